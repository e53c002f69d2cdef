package org.optikern.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.optikern.examples.ModelShapes;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.optim.ParameterUpdate;
import org.optikern.tensor.Tensor;

/**
 * One training step over ResNet-50's parameter list (161 float32 tensors, 25.6M elements, the
 * smallest 64): one {@code update} per tensor, one multi-tensor {@code updateAll}, and one update of
 * a single tensor of the same total size (what the step would cost if it were one tensor).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "--add-modules=jdk.incubator.vector"})
public class MultiTensorBenchmark {
  @Param({"signum", "sgd", "adam", "adamw"})
  public String optimizer;

  private Optimizer perTensor;
  private Optimizer multiTensor;
  private Optimizer single;
  private final List<ParameterUpdate> parametersPerTensor = new ArrayList<>();
  private final List<ParameterUpdate> parametersMulti = new ArrayList<>();
  private ParameterUpdate whole;

  @Setup(Level.Trial)
  public void setUp() {
    Map<String, Object> params = optimizer.equals("sgd") ? Map.of("momentum", 0.9) : Map.of();
    perTensor = Optimizer.create(optimizer, params);
    multiTensor = Optimizer.create(optimizer, params);
    single = Optimizer.create(optimizer, params);
    List<Integer> sizes = ModelShapes.resnet50();
    int total = 0;
    for (int p = 0; p < sizes.size(); p++) {
      parametersPerTensor.add(parameter(perTensor, p, sizes.get(p)));
      parametersMulti.add(parameter(multiTensor, p, sizes.get(p)));
      total += sizes.get(p);
    }
    whole = parameter(single, 0, total);
  }

  /** A float32 parameter of {@code size} elements (a smooth weight, a small gradient) and its state. */
  static ParameterUpdate parameter(Optimizer optimizer, int index, int size) {
    float[] weight = new float[size];
    float[] grad = new float[size];
    for (int i = 0; i < size; i++) {
      weight[i] = (float) Math.sin(i);
      grad[i] = (float) Math.cos(i) * 1e-3f;
    }
    Tensor w = Tensor.of(weight);
    OptimizerState state = optimizer.createState(index, w);
    return new ParameterUpdate(index, w, Tensor.of(grad), state);
  }

  @Benchmark
  public Object oneUpdatePerTensor() {
    for (ParameterUpdate p : parametersPerTensor) {
      perTensor.update(p.index(), p.weight(), p.grad(), p.state());
    }
    return perTensor;
  }

  @Benchmark
  public Object oneMultiTensorUpdate() {
    multiTensor.updateAll(parametersMulti);
    return multiTensor;
  }

  @Benchmark
  public Object oneTensorOfTheSameSize() {
    single.update(whole.index(), whole.weight(), whole.grad(), whole.state());
    return single;
  }
}
