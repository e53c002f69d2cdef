package org.optikern.kernel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The checks a generated kernel makes on each {@link ByteBuffer} before its loop, so that a bad
 * buffer throws before anything is written: a read-only buffer would otherwise throw halfway
 * through the loop, and one in the other byte order would be read as other numbers without a word.
 */
public final class OffHeapRanges {
  private OffHeapRanges() {}

  /**
   * Throws unless {@code buffer} is writable, in native byte order, and holds elements
   * {@code [offset, offset + length)} of {@code 1 << shift} bytes each, counted from byte 0 and
   * below its limit (what absolute gets and puts may reach; the position does not matter).
   */
  public static void check(String name, ByteBuffer buffer, int offset, int length, int shift) {
    Objects.requireNonNull(buffer, name);
    if (buffer.isReadOnly()) {
      throw new IllegalArgumentException(name + " is a read-only buffer; the update writes in place");
    }
    if (buffer.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException(name + " is in " + buffer.order() + " byte order; kernels read "
          + ByteOrder.nativeOrder() + " (set it with buffer.order(ByteOrder.nativeOrder()))");
    }
    Objects.checkFromIndexSize(offset, length, buffer.limit() >> shift);
  }
}
