package org.optikern.optimizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.optikern.optimizers.RandomCases.assertSameBits;
import static org.optikern.optimizers.RandomCases.randomTensor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.optikern.kernel.BufferLanes;
import org.optikern.kernel.UpdateKernel;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.Updater;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;

/**
 * Updates of tensors outside the heap through the public API: what a framework that keeps its
 * tensors in native memory (DJL, ND4J) hands over. Results equal the heap path bit for bit; a
 * mixture of storages or a bad buffer is refused by name before anything is written.
 */
class OffHeapUpdatesTest {
  private static final Map<String, Object> ADAM = Map.of("learning_rate", 0.01, "wd", 1e-3);

  /** The README's snippet, verbatim but for the gradient's values: the update lands in the caller's memory. */
  @Test
  void theReadmeSnippetUpdatesTheCallersMemory() {
    Updater updater = new Updater(Optimizer.create("adam", Map.of("learning_rate", 1e-3)));
    ByteBuffer weightMemory = ByteBuffer.allocateDirect(4 * 1024).order(ByteOrder.nativeOrder());
    ByteBuffer gradMemory = ByteBuffer.allocateDirect(4 * 1024).order(ByteOrder.nativeOrder());
    Tensor weight = Tensor.wrap(weightMemory, DType.FLOAT32, 32, 32);  // no copy: updates write there
    Tensor grad = Tensor.wrap(gradMemory, DType.FLOAT32, 32, 32);
    gradMemory.putFloat(4 * 1023, 0.5f);
    updater.update(3, weight, grad);
    assertEquals(-1e-3f, weightMemory.getFloat(4 * 1023), 1e-7f, "Adam's first step moves by about lr");
    assertEquals(0f, weightMemory.getFloat(0), "a zero gradient leaves its weight");
  }

  @Test
  void anOffHeapWeightWithAHeapGradientIsRefusedBeforeAnyWrite() {
    Updater updater = new Updater(Optimizer.create("adam", ADAM));
    Tensor weight = Tensor.of(new float[] {1f, 2f, 3f}).offHeap();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> updater.update(0, weight, Tensor.of(new float[] {1f, 1f, 1f})));
    assertEquals("grad is on the heap (a Java array) but the weight is off-heap (a ByteBuffer): one update reads all "
        + "its tensors from one kind of storage (copy with Tensor.onHeap() or offHeap())", e.getMessage());
    assertEquals(1.0, weight.get(0));
    assertTrue(updater.state(0).isEmpty(), "no state kept for a refused update");
    assertEquals(0, updater.optimizer().updateCount(0));
  }

  @Test
  void aStateOnTheHeapForAnOffHeapWeightIsRefusedByTheOptimizer() {
    Optimizer adam = Optimizer.create("adam", ADAM);
    OptimizerState heapState = adam.createState(0, Tensor.zeros(DType.FLOAT32, 3));
    Tensor weight = Tensor.of(new float[] {1f, 2f, 3f}).offHeap();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adam.update(0, weight, Tensor.zerosOffHeap(DType.FLOAT32, 3), heapState));
    assertEquals("state 'mean' is on the heap (a Java array) but the weight is off-heap (a ByteBuffer): one update "
        + "reads all its tensors from one kind of storage (copy with Tensor.onHeap() or offHeap())", e.getMessage());
    assertTrue(adam.createState(0, weight).arrays().stream().allMatch(Tensor::isOffHeap),
        "createState puts the states where the weight is");
  }

  @Test
  void aKernelRefusesABadBufferBeforeWritingAnything() {
    UpdateKernel kernel = SignumKernels.select(DType.FLOAT32, true, true);
    ByteBuffer weight = direct(new float[] {1f, 2f});
    ByteBuffer grad = direct(new float[] {1f, 1f});
    ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    ByteBuffer mom = ByteBuffer.allocateDirect(8).order(other);
    double[] scalars = new double[] {0.1, 0, 1, -1, 1, 0.9, 0};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> kernel.update(weight, grad, new Object[] {mom}, 0, 2, scalars));
    assertTrue(e.getMessage().startsWith("mom is in " + other + " byte order; kernels read " + ByteOrder.nativeOrder()),
        e.getMessage());
    assertEquals(1f, weight.getFloat(0));
    ByteBuffer readOnly = direct(new float[] {0f, 0f}).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    assertEquals("mom is a read-only buffer; the update writes in place", assertThrows(IllegalArgumentException.class,
        () -> kernel.update(weight, grad, new Object[] {readOnly}, 0, 2, scalars)).getMessage());
    assertThrows(IndexOutOfBoundsException.class,
        () -> kernel.update(weight, grad, new Object[] {direct(new float[] {0f})}, 0, 2, scalars));
    assertEquals(1f, weight.getFloat(0));
    assertEquals(2f, weight.getFloat(4));
  }

  /** Training off-heap, saving, loading into a new updater and going on equals the same on the heap. */
  @Test
  void checkpointsOfOffHeapStatesResumeBitForBit() throws Exception {
    Random random = new Random(15);
    Tensor start = randomTensor(DType.FLOAT32, 4099, random);
    Tensor[] grads = new Tensor[4];
    for (int step = 0; step < grads.length; step++) {
      grads[step] = randomTensor(DType.FLOAT32, 4099, random);
    }
    Updater onHeap = new Updater(Optimizer.create("adam", ADAM));
    Tensor heapWeight = start.copy();
    for (Tensor grad : grads) {
      onHeap.update(0, heapWeight, grad.copy());
    }
    Updater offHeap = new Updater(Optimizer.create("adam", ADAM));
    Tensor weight = start.offHeap();
    offHeap.update(0, weight, grads[0].offHeap());
    offHeap.update(0, weight, grads[1].offHeap());
    ByteArrayOutputStream saved = new ByteArrayOutputStream();
    offHeap.save(saved);
    Updater resumed = new Updater(Optimizer.create("adam", ADAM));
    resumed.load(new ByteArrayInputStream(saved.toByteArray()));
    assertFalse(resumed.state(0).orElseThrow().arrays().get(0).isOffHeap(), "a loaded state is on the heap");
    resumed.update(0, weight, grads[2].offHeap());
    assertTrue(resumed.state(0).orElseThrow().arrays().get(0).isOffHeap(), "and moves next to its off-heap weight");
    resumed.update(0, weight, grads[3].offHeap());
    assertSameBits("weight", heapWeight, weight);
    assertSameBits("mean", onHeap.state(0).orElseThrow().get("mean"), resumed.state(0).orElseThrow().get("mean"));
    assertSameBits("variance", onHeap.state(0).orElseThrow().get("variance"),
        resumed.state(0).orElseThrow().get("variance"));
    assertEquals(4, resumed.optimizer().updateCount(0));
  }

  @Test
  void multiPrecisionUpdatesOfAnOffHeapFloat16WeightEqualTheHeapPath() {
    Map<String, Object> params = Map.of("learning_rate", 0.01, "multi_precision", true, "momentum", 0.9);
    Random random = new Random(16);
    Tensor start = randomTensor(DType.FLOAT16, 2051, random);
    Updater onHeap = new Updater(Optimizer.create("sgd", params));
    Updater offHeap = new Updater(Optimizer.create("sgd", params));
    Tensor heapWeight = start.copy();
    Tensor weight = start.offHeap();
    for (int step = 0; step < 3; step++) {
      Tensor grad = randomTensor(DType.FLOAT16, 2051, random);
      onHeap.update(0, heapWeight, grad.copy());
      offHeap.update(0, weight, grad.offHeap());
    }
    assertTrue(weight.isOffHeap());
    assertSameBits("float16 weight", heapWeight, weight);
    assertSameBits("master", onHeap.state(0).orElseThrow().master().orElseThrow(),
        offHeap.state(0).orElseThrow().master().orElseThrow());
  }

  /**
   * The SIMD twins' buffer lanes take the path this JVM should: JDK 17's {@code fromByteBuffer} here,
   * unless the build asks for the method handles of later JDKs ({@code -Doptikern.bufferLanes=handles},
   * the sixteen-core run), so that the properties of that run check the handles' path.
   */
  @Test
  void theBufferLanesAreTheOnesThisJvmShouldTake() {
    boolean handlesAsked = "handles".equals(System.getProperty(BufferLanes.PROPERTY));
    boolean jdkWithBufferLoads = Runtime.version().feature() < 19;
    assertEquals(jdkWithBufferLoads && !handlesAsked, BufferLanes.lanesOverBuffers());
    assertTrue(BufferLanes.source() != null && BufferLanes.load(
        jdk.incubator.vector.FloatVector.class, jdk.incubator.vector.VectorSpecies.class) != null,
        "this test JVM runs with the vector module: lanes load from memory one way or the other");
  }

  private static ByteBuffer direct(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder());
    for (int i = 0; i < values.length; i++) {
      buffer.putFloat(i * 4, values[i]);
    }
    return buffer;
  }
}
