package org.optikern.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.JavaFileObject;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.optikern.interp.Interpreter;
import org.optikern.kernel.UpdateKernel;
import org.optikern.kernel.VectorSupport;
import org.optikern.lang.Expr;
import org.optikern.lang.Exprs;
import org.optikern.lang.Function;
import org.optikern.model.HyperparameterModel;
import org.optikern.model.OptimizerModel;
import org.optikern.model.StateShape;
import org.optikern.model.UpdatePlan;
import org.optikern.lang.Statement;
import org.optikern.optim.InterpretedOptimizer;
import org.optikern.optim.Optimizer;
import org.optikern.optim.OptimizerState;
import org.optikern.tensor.DType;
import org.optikern.tensor.Tensor;
import org.optikern.verify.SingleCallReference;
import org.optikern.model.SpecReader;
import org.optikern.verify.KernelVerification;

/**
 * The generator checked on specs nobody wrote by hand: a random well-formed spec
 * ({@link RandomSpec}) is compiled in process with the processor, its generated scalar kernels are
 * loaded, and each of them must compute what the interpreter computes from the same annotations
 * ({@link KernelVerification}: bit for bit, on arrays full of special values, over a random range).
 */
class GeneratorMatchesInterpreterProperties {
  private static final AtomicInteger SPECS = new AtomicInteger();

  @Property(tries = 60)
  void everyGeneratedKernelOfARandomSpecMatchesTheInterpreter(@ForAll long seed) throws Exception {
    Random random = new Random(seed);
    RandomSpec spec = RandomSpec.generate(random, SPECS.incrementAndGet());
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector")
        .compile(JavaFileObjects.forSourceString("fuzz." + spec.typeName(), spec.source()));
    assertEquals(Compilation.Status.SUCCESS, compilation.status(),
        () -> compilation.diagnostics() + "\n" + spec.source());

    ClassLoader loader = new CompiledClassLoader(compilation);
    Class<?> specType = loader.loadClass("fuzz." + spec.typeName());
    String optimizer = spec.typeName().substring(0, spec.typeName().length() - "Spec".length());
    Class<?> table = loader.loadClass("fuzz." + optimizer + "Kernels");
    @SuppressWarnings("unchecked")
    List<UpdateKernel> scalar = (List<UpdateKernel>) table.getField("SCALAR").get(null);
    @SuppressWarnings("unchecked")
    List<UpdateKernel> vector = (List<UpdateKernel>) table.getMethod("vector").invoke(null);
    int variants = 2 << spec.switchCount();
    assertEquals(3 * variants, scalar.size(), "every dtype x switch combination x clipped");
    OptimizerModel model = SpecReader.model(specType);
    assertEquals(VectorSupport.enabled() ? expectedTwins(model) : 0, vector.size(),
        () -> "SIMD twins of every dtype for variants without pow, exp and log per element; float16 ones, and with "
            + "noise float32 and float64 ones, only without reductions and assigned scalar states; twins written: "
            + vector.stream().map(k -> k.getClass().getSimpleName()).toList() + "\n" + spec.source());
    Interpreter interpreter = new Interpreter(model);

    Method deriveScalars = table.getMethod("deriveScalars", double[].class);
    for (int run = 0; run < 5; run++) {
      check(spec, () -> KernelVerification.checkDerivedScalars(scalars -> invoke(deriveScalars, scalars), interpreter,
          random.nextLong()));
    }

    List<UpdateKernel> kernels = new ArrayList<>(scalar);
    kernels.addAll(vector);
    for (UpdateKernel kernel : kernels) {
      for (int run = 0; run < 3; run++) {
        check(spec, () -> KernelVerification.check(kernel, interpreter, random.nextLong()));
      }
      check(spec, () -> KernelVerification.checkRejectsBadCalls(kernel, interpreter, random.nextLong()));
    }
    check(spec, () -> generatedOptimizerMatchesInterpreted(loader.loadClass("fuzz." + optimizer), specType, random));
  }

  /**
   * The float16 twins compute a call's invariants once and hand them to every pass as trailing
   * float parameters: several of them, with different values, and an invariant temporary that one
   * of them reads, must each arrive in its own place.
   */
  @Test
  void halfTwinsReceiveEveryInvariantInItsPlace() throws Exception {
    JavaFileObject source = SpecSources.named("ManyInvariantsSpec", "@OptimizerSpec(name = \"many_invariants\")",
        "@Hyperparameter(name = \"beta\", defaultValue = 0.9)",
        "@Hyperparameter(name = \"gamma\", defaultValue = 0.25)",
        "@Update(formulas = {\"let step = lr/(1 - beta)\",",
        "    \"weight = (1 - lr*wd)*weight - step*gamma*grad + (beta - gamma)*sign(grad) - (1 + gamma)*(weight - 2)\"})");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(source);
    assertEquals(Compilation.Status.SUCCESS, compilation.status(), () -> compilation.diagnostics().toString());
    ClassLoader loader = new CompiledClassLoader(compilation);
    Interpreter interpreter = new Interpreter(SpecReader.model(loader.loadClass("test.ManyInvariantsSpec")));
    @SuppressWarnings("unchecked")
    List<UpdateKernel> vector = (List<UpdateKernel>) loader.loadClass("test.ManyInvariantsKernels").getMethod("vector")
        .invoke(null);
    List<UpdateKernel> halfTwins = vector.stream().filter(k -> k.dtype() == DType.FLOAT16).toList();
    assertEquals(2, halfTwins.size(), "clipped and unclipped float16 twins");
    Random random = new Random(7);
    for (UpdateKernel kernel : halfTwins) {
      for (int run = 0; run < 20; run++) {
        KernelVerification.check(kernel, interpreter, random.nextLong());
      }
    }
  }

  /**
   * The SIMD twins a spec gets: one per dtype for each variant with no pow, exp or log of a
   * per-element value (an array, or a temporary that reads one); float16 ones only for variants that
   * neither reduce nor assign a scalar state; with noise, float32 and float64 ones only for such
   * variants; for the factored variant float32 and float64 ones, unless it draws noise.
   */
  private static long expectedTwins(OptimizerModel model) {
    Set<Function> inexact = EnumSet.of(Function.POW, Function.EXP, Function.LOG);
    return model.allSwitchSets().stream().mapToLong(switches -> {
      UpdatePlan plan = model.plan(switches);
      boolean noise = plan.statements().stream()
          .anyMatch(s -> Exprs.all(s.value(), Expr.Call.class).stream().anyMatch(c -> c.function() == Function.NORMAL));
      if (switches.has(OptimizerModel.FACTORED) && noise) {
        return 0; // a row's draws: scalar kernels only
      }
      Set<String> perElement = new HashSet<>(List.of(OptimizerModel.WEIGHT, OptimizerModel.GRAD));
      Set<String> alongAxes = new HashSet<>();
      for (String state : plan.states()) {
        (model.stateShape(state) == StateShape.FULL ? perElement : alongAxes).add(state);
      }
      // a temporary is per element when it reads something per element, else per row or column when it reads
      // something that is; one computed from scalars is hoisted; rowsum and colsum give a value per row or column,
      // other reductions one per tensor (their argument, per element, is checked below like any formula)
      for (Statement s : plan.statements()) {
        boolean alongAxis = s.isReduction() && ((Expr.Call) s.value()).function().isAlongAxis();
        if (alongAxis) {
          alongAxes.add(s.target());
        } else if (s.temporary() && !s.isReduction() && varies(s.value(), perElement)) {
          perElement.add(s.target());
        } else if (s.temporary() && !s.isReduction() && reads(s.value(), alongAxes)) {
          alongAxes.add(s.target());
        }
      }
      // only formulas over elements run in lanes (those over rows or columns alone run in scalar loops), and in
      // them a value per row or column varies from lane to lane as one per element does
      Set<String> varying = new HashSet<>(perElement);
      varying.addAll(alongAxes);
      boolean exact = plan.statements().stream()
          .filter(s -> varies(s.value(), perElement))
          .flatMap(s -> Exprs.all(s.value(), Expr.Call.class).stream())
          .filter(call -> inexact.contains(call.function()))
          .noneMatch(call -> varies(call, varying));
      boolean inOneCall = plan.statements().stream().anyMatch(Statement::isReduction)
          || !plan.assignedScalarStates().isEmpty() || switches.has(OptimizerModel.FACTORED);
      if (noise) {
        return exact && !inOneCall ? 2 : 0; // float32 and float64 twins of one plain pass draw in lanes
      }
      return !exact ? 0 : inOneCall ? 2 : 3;
    }).sum();
  }

  private static boolean reads(Expr expr, Set<String> names) {
    return Exprs.all(expr, Expr.Name.class).stream().anyMatch(n -> names.contains(n.id()));
  }

  /** Whether {@code expr} varies from element to element: it reads one of {@code names} or draws {@code normal()}. */
  private static boolean varies(Expr expr, Set<String> names) {
    return reads(expr, names)
        || Exprs.all(expr, Expr.Call.class).stream().anyMatch(c -> c.function() == Function.NORMAL);
  }

  private static void invoke(Method method, double[] scalars) {
    try {
      method.invoke(null, (Object) scalars);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The optimizer class too: its switch conditions pick the kernel the spec's conditions pick. Both
   * the generated and the interpreted optimizer are compared with the independent single-call
   * reference: the weight, every state array and every scalar state, after every update.
   */
  private static void generatedOptimizerMatchesInterpreted(Class<?> optimizerClass, Class<?> specType, Random random)
      throws ReflectiveOperationException {
    Map<String, Object> params = new HashMap<>();
    for (HyperparameterModel h : SpecReader.model(specType).hyperparameters()) {
      params.put(h.name(), new double[] {0.0, 0.5, 1.0, -1.5, 2.5}[random.nextInt(5)]);
    }
    params.put("clip_gradient", random.nextBoolean() ? null : 0.75);
    params.put("wd", 0.01);
    Optimizer generated = (Optimizer) optimizerClass.getConstructor(Map.class).newInstance(params);
    Optimizer interpreted = InterpretedOptimizer.of(specType, params);
    SingleCallReference reference = new SingleCallReference(specType, params);
    float[] values = new float[9];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    // a vector, or a matrix (the factored variant, where the spec has one), of 9 elements
    int[] shape = new int[][] {{9}, {3, 3}, {1, 9}, {9, 1}, {3, 1, 3}}[random.nextInt(5)];
    Tensor weightG = Tensor.of(values.clone(), shape);
    Tensor weightI = Tensor.of(values.clone(), shape);
    Tensor weightR = Tensor.of(values.clone(), shape);
    OptimizerState stateG = generated.createState(0, weightG);
    OptimizerState stateI = interpreted.createState(0, weightI);
    assertEquals(stateI.names(), stateG.names(), "the same variant's states");
    for (int step = 0; step < 3; step++) {
      float[] grad = new float[values.length];
      for (int i = 0; i < grad.length; i++) {
        grad[i] = (float) random.nextGaussian();
      }
      generated.update(0, weightG, Tensor.of(grad.clone(), shape), stateG);
      interpreted.update(0, weightI, Tensor.of(grad.clone(), shape), stateI);
      reference.update(0, weightR, Tensor.of(grad, shape));
      SingleCallReference.ReferenceState expected = reference.state(0);
      for (Optimizer o : java.util.List.of(generated, interpreted)) {
        String side = (o == generated ? "generated" : "interpreted") + " optimizer with " + params + ", update " + step;
        OptimizerState state = o == generated ? stateG : stateI;
        assertSameFloats(side + ": weight", weightR, o == generated ? weightG : weightI);
        assertEquals(expected.arrays().keySet(), new java.util.HashSet<>(state.names()), side + ": states");
        for (String name : state.names()) {
          assertSameFloats(side + ": state " + name, expected.arrays().get(name), state.get(name));
        }
        for (int s = 0; s < state.scalarNames().size(); s++) {
          assertEquals(Double.doubleToLongBits(expected.scalarValues()[s]),
              Double.doubleToLongBits(state.scalar(state.scalarNames().get(s))),
              side + ": scalar state " + state.scalarNames().get(s));
        }
      }
    }
  }

  private static void assertSameFloats(String what, Tensor expected, Tensor actual) {
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(Float.floatToIntBits(expected.floatData()[i]), Float.floatToIntBits(actual.floatData()[i]),
          what + "[" + i + "]");
    }
  }

  private interface Check {
    void run() throws ReflectiveOperationException;
  }

  private static void check(RandomSpec spec, Check check) throws ReflectiveOperationException {
    try {
      check.run();
    } catch (AssertionError mismatch) {
      throw new AssertionError(mismatch.getMessage() + "\n" + spec.source(), mismatch);
    }
  }
}
