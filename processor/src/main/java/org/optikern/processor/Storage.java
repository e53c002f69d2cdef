package org.optikern.processor;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Objects;
import org.optikern.kernel.KernelMath;
import org.optikern.kernel.OffHeapRanges;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/**
 * Where a kernel's arrays live and how an element is read and written there: the one place the
 * writers ask. Each kernel class has one {@code update} per storage, the same statements over each;
 * the writers never branch on the storage themselves.
 *
 * <p>Heap: {@code float[]}, {@code double[]}, or {@code short[]} of float16 bit patterns. Off-heap: a
 * {@link ByteBuffer} in native byte order, element {@code i} at byte {@code i << shift} (what DJL's
 * {@code NDArray.toByteBuffer(true)} and ND4J's buffers hand out), read and written in place.
 */
sealed interface Storage {
  ClassName HALF = ClassName.get(Half.class);
  ClassName KERNEL_MATH = ClassName.get(KernelMath.class);

  /** Heap arrays and off-heap buffers, in the order each kernel class declares their {@code update}s. */
  static List<Storage> all(DType dtype) {
    return List.of(new Heap(dtype), new OffHeap(dtype));
  }

  DType dtype();

  /** The type of each array parameter of {@code update}. */
  TypeName arrayType();

  /** The statement, before the loop, that throws unless {@code [offset, offset + length)} fits {@code array}. */
  default CodeBlock rangeCheck(String array) {
    return rangeCheck(array, "offset", "length");
  }

  /** The statement that throws unless {@code [from, from + size)} (Java expressions) fits {@code array}. */
  CodeBlock rangeCheck(String array, String from, String size);

  /** Element {@code index} of {@code array}, in the kernel's arithmetic type (float16 widened to float). */
  CodeBlock load(String array, String index);

  /** The statement that stores {@code value} (in the arithmetic type) at {@code index}, rounded to the storage. */
  CodeBlock store(String array, String index, CodeBlock value);

  /** What SIMD code loads {@code array}'s lanes from: the array itself, or the buffer's lane source. */
  default String laneSource(String array) {
    return array;
  }

  /** A whole vector of {@code species} lanes from the lane source {@code source} at element {@code index}. */
  CodeBlock vectorLoad(ClassName vectorType, String species, String source, String index);

  /** Stores {@code vector} into the lane source {@code source} at element {@code index}. */
  CodeBlock vectorStore(CodeBlock vector, String source, String index);

  /** Java arrays on the heap: {@code float[]}, {@code double[]}, {@code short[]} (float16 bits). */
  record Heap(DType dtype) implements Storage {
    @Override
    public TypeName arrayType() {
      return ArrayTypeName.of(switch (dtype) {
        case FLOAT32 -> TypeName.FLOAT;
        case FLOAT64 -> TypeName.DOUBLE;
        case FLOAT16 -> TypeName.SHORT;
      });
    }

    @Override
    public CodeBlock rangeCheck(String array, String from, String size) {
      return CodeBlock.of("$T.checkFromIndexSize($L, $L, $L.length)", Objects.class, from, size, array);
    }

    @Override
    public CodeBlock load(String array, String index) {
      return dtype == DType.FLOAT16 ? CodeBlock.of("$T.toFloat($L[$L])", HALF, array, index)
          : CodeBlock.of("$L[$L]", array, index);
    }

    @Override
    public CodeBlock store(String array, String index, CodeBlock value) {
      return dtype == DType.FLOAT16 ? CodeBlock.of("$L[$L] = $T.fromFloat($L)", array, index, HALF, value)
          : CodeBlock.of("$L[$L] = $L", array, index, value);
    }

    @Override
    public CodeBlock vectorLoad(ClassName vectorType, String species, String array, String index) {
      return CodeBlock.of("$T.fromArray($L, $L, $L)", vectorType, species, array, index);
    }

    @Override
    public CodeBlock vectorStore(CodeBlock vector, String array, String index) {
      return CodeBlock.of("$L.intoArray($L, $L)", vector, array, index);
    }
  }

  /**
   * Direct (or heap) {@link ByteBuffer}s in native byte order, indexed absolutely from byte 0:
   * {@link OffHeapRanges} checks order, writability and range before anything is written. SIMD code
   * loads lanes through the method handles of {@link org.optikern.kernel.BufferLanes}, held in the
   * twin's fields named here, from each buffer's lane source ({@code weightMemory}).
   */
  record OffHeap(DType dtype, boolean throughHandles) implements Storage {
    private static final ClassName BYTE_ORDER = ClassName.get(ByteOrder.class);
    static final String LANE_SOURCE = "LANE_SOURCE";
    static final String LOAD_LANES = "LOAD_LANES";
    static final String STORE_LANES = "STORE_LANES";

    /** For scalar code, where no lanes are loaded: either way. */
    OffHeap(DType dtype) {
      this(dtype, true);
    }

    /**
     * SIMD code over buffers: {@code throughHandles}, lanes load through {@link org.optikern.kernel.BufferLanes}'
     * handles from a lane source (any JDK); otherwise by direct calls of JDK 17's {@code fromByteBuffer}.
     */
    static OffHeap lanes(DType dtype, boolean throughHandles) {
      return new OffHeap(dtype, throughHandles);
    }

    /** Camel case, like the SIMD writers' other locals: a spec's names are lower case. */
    @Override
    public String laneSource(String array) {
      return throughHandles ? array + "Memory" : array;
    }

    /** The expression, once per call, that makes {@code array}'s lane source. */
    CodeBlock laneSourceOf(String array) {
      return CodeBlock.of("(Object) $L.invokeExact($L)", LANE_SOURCE, array);
    }

    @Override
    public TypeName arrayType() {
      return ClassName.get(ByteBuffer.class);
    }

    /** log2 of the element's size in bytes: element {@code i} starts at byte {@code i << shift}. */
    int shift() {
      return switch (dtype) {
        case FLOAT16 -> 1;
        case FLOAT32 -> 2;
        case FLOAT64 -> 3;
      };
    }

    @Override
    public CodeBlock rangeCheck(String array, String from, String size) {
      return CodeBlock.of("$T.check($S, $L, $L, $L, $L)", ClassName.get(OffHeapRanges.class), array, array, from, size,
          shift());
    }

    @Override
    public CodeBlock load(String array, String index) {
      return switch (dtype) {
        case FLOAT16 -> CodeBlock.of("$T.toFloat($L.getShort($L << 1))", HALF, array, index);
        case FLOAT32 -> CodeBlock.of("$L.getFloat($L << 2)", array, index);
        case FLOAT64 -> CodeBlock.of("$L.getDouble($L << 3)", array, index);
      };
    }

    @Override
    public CodeBlock store(String array, String index, CodeBlock value) {
      return switch (dtype) {
        case FLOAT16 -> CodeBlock.of("$L.putShort($L << 1, $T.fromFloat($L))", array, index, HALF, value);
        case FLOAT32 -> CodeBlock.of("$L.putFloat($L << 2, $L)", array, index, value);
        case FLOAT64 -> CodeBlock.of("$L.putDouble($L << 3, $L)", array, index, value);
      };
    }

    @Override
    public CodeBlock vectorLoad(ClassName vectorType, String species, String source, String index) {
      if (!throughHandles) {
        return CodeBlock.of("$T.fromByteBuffer($L, $L, $L << $L, $T.nativeOrder())", vectorType, species, source,
            index, shift(), BYTE_ORDER);
      }
      return CodeBlock.of("(($T) $L.invokeExact($L, $L, (long) $L << $L, $T.nativeOrder()))", vectorType, LOAD_LANES,
          species, source, index, shift(), BYTE_ORDER);
    }

    @Override
    public CodeBlock vectorStore(CodeBlock vector, String source, String index) {
      if (!throughHandles) {
        return CodeBlock.of("$L.intoByteBuffer($L, $L << $L, $T.nativeOrder())", vector, source, index, shift(),
            BYTE_ORDER);
      }
      return CodeBlock.of("$L.invokeExact($L, $L, (long) $L << $L, $T.nativeOrder())", STORE_LANES, vector, source,
          index, shift(), BYTE_ORDER);
    }
  }
}
