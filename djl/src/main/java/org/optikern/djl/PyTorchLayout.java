package org.optikern.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.util.NativeResource;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Whether a PyTorch tensor's {@code toByteBuffer(true)} is a view of its memory. DJL 0.36.0 decides
 * that in {@code JniUtils.getByteBuffer} (CPU device, not sparse, layout 0 = strided, contiguous) but
 * offers no public API to ask: {@code torchIsContiguous} and {@code torchLayout} live in the
 * package-private {@code ai.djl.pytorch.jni.PyTorchLibrary}. They are looked up once by reflection,
 * which works when DJL is on the class path (as DJL is normally used); when it does not, the adapter
 * copies instead ({@link EngineMemory#forEngine}), which is always correct.
 */
final class PyTorchLayout {
  private static final int STRIDED = 0;
  private static final Object LIBRARY;
  private static final Method IS_CONTIGUOUS;
  private static final Method LAYOUT;
  private static final String UNAVAILABLE;

  static {
    Object library = null;
    Method isContiguous = null;
    Method layout = null;
    String unavailable = null;
    try {
      Class<?> type = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
      Field lib = type.getDeclaredField("LIB");
      lib.setAccessible(true);
      isContiguous = type.getDeclaredMethod("torchIsContiguous", long.class);
      isContiguous.setAccessible(true);
      layout = type.getDeclaredMethod("torchLayout", long.class);
      layout.setAccessible(true);
      library = lib.get(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      unavailable = "cannot ask DJL's PyTorch library whether a tensor is contiguous (" + e + ")";
    }
    LIBRARY = library;
    IS_CONTIGUOUS = isContiguous;
    LAYOUT = layout;
    UNAVAILABLE = unavailable;
  }

  private PyTorchLayout() {}

  /** Null when tensors can be checked, else why not. */
  static String unavailableReason() {
    return UNAVAILABLE;
  }

  /** Null when {@code array.toByteBuffer(true)} is a direct view of its memory, else what prevents it. */
  static String whyNotADirectView(NDArray array) {
    if (!array.getDevice().equals(ai.djl.Device.cpu())) {
      return "is on " + array.getDevice() + " (Optikern updates memory the CPU can address; DJL would copy it to "
          + "the CPU first)";
    }
    if (array.isSparse()) {
      return "is sparse (" + array.getSparseFormat() + ")";
    }
    long handle = handleOf(array);
    int layout = (Integer) call(LAYOUT, handle);
    if (layout != STRIDED) {
      return "has PyTorch layout " + layout + ", not strided";
    }
    if (!(Boolean) call(IS_CONTIGUOUS, handle)) {
      return "is not contiguous (a transposed or sliced view of other memory)";
    }
    return null;
  }

  private static long handleOf(NDArray array) {
    if (array instanceof NativeResource<?> resource && resource.getHandle() instanceof Long handle) {
      return handle;
    }
    throw new IllegalArgumentException("not a PyTorch tensor: " + array.getClass().getName());
  }

  private static Object call(Method method, long handle) {
    try {
      return method.invoke(LIBRARY, handle);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("PyTorch failed on " + method.getName(), e.getCause());
    }
  }
}
