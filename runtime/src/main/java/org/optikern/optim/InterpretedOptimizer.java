package org.optikern.optim;

import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.optikern.interp.Interpreter;
import org.optikern.kernel.OffHeapRanges;
import org.optikern.kernel.UpdateKernel;
import org.optikern.model.OptimizerModel;
import org.optikern.model.SpecReader;
import org.optikern.model.StateShape;
import org.optikern.model.SwitchSet;
import org.optikern.tensor.BufferRanges;
import org.optikern.tensor.DType;

/**
 * Any spec, run by the {@link Interpreter} behind the same {@link Optimizer} API as the generated
 * optimizers, so the two can be compared call for call. Also useful to try a spec without the
 * annotation processor (it is slower than generated kernels).
 */
public final class InterpretedOptimizer extends Optimizer {
  private final Map<DType, UpdateKernel> kernels = new EnumMap<>(DType.class);
  private final Map<DType, UpdateKernel> factoredKernels = new EnumMap<>(DType.class);
  private final Interpreter interpreter;

  public InterpretedOptimizer(OptimizerModel model, Map<String, ?> params) {
    super(OptimizerDescriptor.of(model), params);
    this.interpreter = new Interpreter(model);
    SwitchSet switches = model.switchesFor(constructionScalars());
    for (DType dtype : DType.values()) {
      kernels.put(dtype, interpreted(model, dtype, switches));
      if (model.factored()) {
        factoredKernels.put(dtype, interpreted(model, dtype, switches.with(OptimizerModel.FACTORED, true)));
      }
    }
  }

  private UpdateKernel interpreted(OptimizerModel model, DType dtype, SwitchSet switches) {
    List<String> states = model.statesFor(switches);
    boolean inOneCall = model.plan(switches).inOneCall();
    return new UpdateKernel() {
      @Override
      public DType dtype() {
        return dtype;
      }

      @Override
      public SwitchSet switches() {
        return switches;
      }

      @Override
      public List<String> stateNames() {
        return states;
      }

      @Override
      public boolean inOneCall() {
        return inOneCall;
      }

      @Override
      public void update(Object weight, Object grad, Object[] stateArrays, int offset, int length, double[] scalars) {
        if (!(weight instanceof ByteBuffer)) {
          interpreter.update(switches, weight, grad, stateArrays, offset, length, scalars);
          return;
        }
        // tensors outside the heap: the interpreter reads arrays, so the range is copied in and back out
        // (a state of one value per row or column, whole: its indices are not the elements')
        int shift = Integer.numberOfTrailingZeros(dtype.bytes());
        OffHeapRanges.check("weight", (ByteBuffer) weight, offset, length, shift);
        OffHeapRanges.check("grad", (ByteBuffer) grad, offset, length, shift);
        Object[] stateCopies = new Object[stateArrays.length];
        int[] from = new int[stateArrays.length];
        int[] count = new int[stateArrays.length];
        for (int s = 0; s < stateArrays.length; s++) {
          boolean full = model.stateShape(states.get(s)) == StateShape.FULL;
          from[s] = full ? offset : 0;
          count[s] = full ? length : ((ByteBuffer) stateArrays[s]).capacity() >> shift;
          OffHeapRanges.check(states.get(s), (ByteBuffer) stateArrays[s], from[s], count[s], shift);
          stateCopies[s] = BufferRanges.toArray((ByteBuffer) stateArrays[s], dtype, from[s], count[s]);
        }
        Object weightCopy = BufferRanges.toArray((ByteBuffer) weight, dtype, offset, length);
        Object gradCopy = BufferRanges.toArray((ByteBuffer) grad, dtype, offset, length);
        interpreter.update(switches, weightCopy, gradCopy, stateCopies, offset, length, scalars);
        BufferRanges.intoBuffer(weightCopy, (ByteBuffer) weight, dtype, offset, length);
        for (int s = 0; s < stateArrays.length; s++) {
          BufferRanges.intoBuffer(stateCopies[s], (ByteBuffer) stateArrays[s], dtype, from[s], count[s]);
        }
      }
    };
  }

  /**
   * The interpreter of the spec a registered optimizer was generated from: the reference that
   * {@code Optimizer.create(name, params)} must agree with.
   *
   * @throws IllegalArgumentException for an unknown name, or an optimizer registered by hand
   */
  public static InterpretedOptimizer create(String name, Map<String, ?> params) {
    OptimizerFactory factory = OptimizerRegistry.factory(name);
    Class<?> spec = factory.spec().orElseThrow(() -> new IllegalArgumentException("optimizer " + name
        + " (" + factory.getClass().getName() + ") was not generated from an @OptimizerSpec: there is no spec to interpret"));
    return of(spec, params);
  }

  /** Reads the spec annotations of {@code specType} by reflection. */
  public static InterpretedOptimizer of(Class<?> specType, Map<String, ?> params) {
    return new InterpretedOptimizer(SpecReader.model(specType), params);
  }

  /** The spec's model, as read from its annotations: what this optimizer interprets. */
  public OptimizerModel model() {
    return interpreter.model();
  }

  /** A parameter group's optimizer: the same spec, interpreted, with the group's parameters. */
  @Override
  protected Optimizer withParameters(Map<String, ?> parameters) {
    return new InterpretedOptimizer(interpreter.model(), parameters);
  }

  @Override
  protected void deriveScalars(double[] scalars) {
    interpreter.deriveScalars(scalars);
  }

  @Override
  protected UpdateKernel kernel(DType dtype) {
    return kernels.get(dtype);
  }

  @Override
  protected UpdateKernel factoredKernel(DType dtype) {
    UpdateKernel kernel = factoredKernels.get(dtype);
    return kernel != null ? kernel : super.factoredKernel(dtype);
  }
}
