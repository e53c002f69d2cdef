package org.optikern.kernel;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How SIMD twins load and store whole vectors from native memory on any JDK from 17, though they
 * are compiled against JDK 17's Vector API: JDK 17 and 18 load from a {@link ByteBuffer}
 * ({@code fromByteBuffer}), JDK 19 and later only from a {@code MemorySegment}
 * ({@code fromMemorySegment}, final in 22). A twin calls through these method handles, held in
 * {@code static final} fields, which C2 inlines like direct calls: the lanes stay in registers.
 *
 * <p>A kernel first turns each buffer into its lane source once per call with {@link #source()}: the
 * buffer itself, or a segment over its bytes from 0 to its limit. Then, at byte offset {@code o},
 * {@code (FloatVector) load.invokeExact(SPECIES, source, o, order)} and
 * {@code store.invokeExact(vector, source, o, order)}. All null where neither API exists (a JDK that
 * dropped both): the twin then runs the scalar kernel's buffer update.
 */
public final class BufferLanes {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.publicLookup();
  private static final Class<?> SEGMENT = segmentClass();

  private BufferLanes() {}

  /**
   * Whether this JDK's Vector API loads lanes from buffers ({@code fromByteBuffer}, JDK 17 and 18):
   * then twins compiled against it call it directly, the fastest way there.
   */
  public static boolean lanesOverBuffers() {
    return SEGMENT == null && hasVectorApi() && !"handles".equals(System.getProperty(PROPERTY));
  }

  /**
   * {@code -Doptikern.bufferLanes=handles}: on JDK 17 and 18 too, through the method handles, as
   * later JDKs do (so that the build checks that path on the JDK it runs on).
   */
  public static final String PROPERTY = "optikern.bufferLanes";

  private static boolean hasVectorApi() {
    try {
      Class.forName("jdk.incubator.vector.FloatVector");
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** {@code (ByteBuffer) -> Object}: the lane source of a buffer; null if lanes cannot be loaded from memory. */
  public static MethodHandle source() {
    try {
      MethodHandle whole = MethodHandles.lookup().findStatic(BufferLanes.class, "fromByteZero",
          MethodType.methodType(ByteBuffer.class, ByteBuffer.class));
      if (SEGMENT == null) {
        return whole.asType(MethodType.methodType(Object.class, ByteBuffer.class));
      }
      MethodHandle ofBuffer = LOOKUP.findStatic(SEGMENT, "ofBuffer", MethodType.methodType(SEGMENT, java.nio.Buffer.class));
      return MethodHandles.filterReturnValue(whole, ofBuffer.asType(MethodType.methodType(Object.class, ByteBuffer.class)));
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  /**
   * {@code (species, Object source, long byteOffset, ByteOrder) -> vector}: {@code vectorType}'s
   * {@code fromByteBuffer} or {@code fromMemorySegment}; null if it has neither.
   */
  public static MethodHandle load(Class<?> vectorType, Class<?> speciesType) {
    MethodType exact = MethodType.methodType(vectorType, speciesType, Object.class, long.class, ByteOrder.class);
    try {
      MethodHandle load = SEGMENT != null
          ? LOOKUP.findStatic(vectorType, "fromMemorySegment",
              MethodType.methodType(vectorType, speciesType, SEGMENT, long.class, ByteOrder.class))
          : LOOKUP.findStatic(vectorType, "fromByteBuffer",
              MethodType.methodType(vectorType, speciesType, ByteBuffer.class, int.class, ByteOrder.class));
      // Object to the buffer or segment, and (for buffers) the long offset to an int: both exact here
      return MethodHandles.explicitCastArguments(load, exact);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  /** {@code (vector, Object source, long byteOffset, ByteOrder) -> void}: {@code intoByteBuffer} or {@code intoMemorySegment}. */
  public static MethodHandle store(Class<?> vectorType) {
    MethodType exact = MethodType.methodType(void.class, vectorType, Object.class, long.class, ByteOrder.class);
    try {
      MethodHandle store = SEGMENT != null
          ? LOOKUP.findVirtual(vectorType, "intoMemorySegment",
              MethodType.methodType(void.class, SEGMENT, long.class, ByteOrder.class))
          : LOOKUP.findVirtual(vectorType, "intoByteBuffer",
              MethodType.methodType(void.class, ByteBuffer.class, int.class, ByteOrder.class));
      return MethodHandles.explicitCastArguments(store, exact);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  /** The buffer's bytes from 0 to its limit, whatever its position: kernels index from byte 0. */
  private static ByteBuffer fromByteZero(ByteBuffer buffer) {
    return buffer.duplicate().position(0).order(buffer.order());
  }

  /**
   * {@code java.lang.foreign.MemorySegment} where the Vector API loads from segments (JDK 19 and
   * later); null where it still loads from buffers.
   */
  private static Class<?> segmentClass() {
    try {
      Class<?> floats = Class.forName("jdk.incubator.vector.FloatVector");
      Class<?> species = Class.forName("jdk.incubator.vector.VectorSpecies");
      try {
        floats.getMethod("fromByteBuffer", species, ByteBuffer.class, int.class, ByteOrder.class);
        return null;
      } catch (NoSuchMethodException e) {
        return Class.forName("java.lang.foreign.MemorySegment");
      }
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
