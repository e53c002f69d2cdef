package org.optikern.interp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optikern.lang.Expr;
import org.optikern.lang.Function;
import org.optikern.lang.Statement;
import org.optikern.model.OptimizerModel;
import org.optikern.model.ScalarModel;
import org.optikern.model.SwitchSet;
import org.optikern.model.UpdatePlan;
import org.optikern.tensor.DType;
import org.optikern.tensor.Half;

/**
 * The reference implementation: runs a spec's update elementwise, straight from its formulas,
 * with the same reduced {@link UpdatePlan} the generator compiles. The generated kernels must
 * equal it bit for bit.
 *
 * <p>Semantics, per element: load every array into the arithmetic's type; run the statements in
 * order; each assignment rounds the value to the storage type, stores it, and later statements
 * read the stored value; a {@code let} temporary keeps its value in the arithmetic's type. Scalars
 * are rounded to the arithmetic's type once per call. A reduction ({@code let s = sumsq(weight)})
 * splits the statements into passes: each pass runs over the whole range, then the reduction over
 * the range, in order, then the next pass, which reads its value like a scalar.
 */
public final class Interpreter {
  private final OptimizerModel model;
  private final Map<SwitchSet, CompiledPlan> plans = new HashMap<>();
  private final List<CompiledStatement> derivedScalars = new ArrayList<>();

  public Interpreter(OptimizerModel model) {
    this.model = Objects.requireNonNull(model, "model");
    for (SwitchSet switches : model.allSwitchSets()) {
      plans.put(switches, compile(model.plan(switches)));
    }
    Map<String, Integer> scalarSlots = new HashMap<>();
    for (String scalar : model.scalarNames()) {
      scalarSlots.put(scalar, model.scalarIndex(scalar));
    }
    for (ScalarModel scalar : model.derivedScalars()) {
      derivedScalars.add(new CompiledStatement(model.scalarIndex(scalar.name()),
          scalar.statement().value().accept(new NodeCompiler(scalarSlots)), false, -1, null));
    }
  }

  /**
   * Computes the per-update scalars ({@code @Scalar}) in place, in order, in double arithmetic: the
   * vector is laid out as {@link OptimizerModel#scalarNames()}, with the common scalars and
   * hyperparameters filled in; each derived slot is overwritten.
   */
  public void deriveScalars(double[] scalars) {
    if (scalars.length != model.scalarNames().size()) {
      throw new IllegalArgumentException("expected " + model.scalarNames().size() + " scalars "
          + model.scalarNames() + ", found " + scalars.length);
    }
    for (CompiledStatement scalar : derivedScalars) {
      scalars[scalar.slot()] = scalar.value().eval(scalars, Arithmetic.DOUBLE);
    }
  }

  public OptimizerModel model() {
    return model;
  }

  /** Whether the variant's update reduces over the tensor: then a kernel must not be run in chunks. */
  public boolean reduces(SwitchSet switches) {
    CompiledPlan plan = plans.get(switches);
    if (plan == null) {
      throw new IllegalArgumentException("switches " + switches + " do not match the spec's " + model.switches());
    }
    return plan.statements.stream().anyMatch(s -> s.reducedArray >= 0);
  }

  /**
   * Updates {@code [offset, offset + length)} of the arrays in the kernels' arithmetic for their
   * dtype. Arguments as for a generated kernel: {@code states} in the order of
   * {@link OptimizerModel#statesFor}, {@code scalars} laid out as {@link OptimizerModel#scalarNames()}.
   */
  public void update(SwitchSet switches, Object weight, Object grad, Object[] states, int offset, int length,
      double[] scalars) {
    run(Arithmetic.of(DType.ofArray(weight)), switches, weight, grad, states, offset, length, scalars);
  }

  /** As {@link #update}, for float16 arrays, rounding to half after every operation as MXNet does. */
  public void updateWithMxnetHalfArithmetic(SwitchSet switches, short[] weight, short[] grad, short[][] states,
      int offset, int length, double[] scalars) {
    run(Arithmetic.HALF_EVERY_OPERATION, switches, weight, grad, states, offset, length, scalars);
  }

  private void run(Arithmetic arithmetic, SwitchSet switches, Object weight, Object grad, Object[] states,
      int offset, int length, double[] scalars) {
    CompiledPlan plan = plans.get(switches);
    if (plan == null) {
      throw new IllegalArgumentException("switches " + switches + " do not match the spec's " + model.switches());
    }
    DType dtype = DType.ofArray(weight);
    Object[] arrays = new Object[2 + plan.stateCount];
    arrays[0] = weight;
    arrays[1] = grad;
    if (states.length != plan.stateCount) {
      throw new IllegalArgumentException("variant " + switches + " has " + plan.stateCount + " state arrays, "
          + states.length + " given");
    }
    System.arraycopy(states, 0, arrays, 2, states.length);
    for (int a = 0; a < arrays.length; a++) {
      if (DType.ofArray(arrays[a]) != dtype) {
        throw new IllegalArgumentException("array " + a + " is " + DType.ofArray(arrays[a]).mxnetName()
            + " but the weight is " + dtype.mxnetName());
      }
      if (offset < 0 || length < 0 || offset + length > DType.length(arrays[a])) {
        throw new IndexOutOfBoundsException("range [" + offset + ", " + (offset + length) + ") is outside array "
            + a + " of length " + DType.length(arrays[a]));
      }
    }
    if (scalars.length != model.scalarNames().size()) {
      throw new IllegalArgumentException("expected " + model.scalarNames().size() + " scalars "
          + model.scalarNames() + ", found " + scalars.length);
    }
    int elementSlot = arrays.length + scalars.length;
    double[] env = new double[elementSlot + 1 + plan.temporaryCount];
    for (int s = 0; s < scalars.length; s++) {
      env[arrays.length + s] = arithmetic.round(scalars[s]);
    }
    if (model.usesNoise()) {
      // a key, not a number to compute with: it must reach normal() exactly
      int key = model.scalarIndex(OptimizerModel.NOISE_KEY);
      env[arrays.length + key] = scalars[key];
    }
    // passes: the elementwise statements between reductions, each over the whole range
    List<CompiledStatement> statements = plan.statements;
    for (int first = 0; first < statements.size(); ) {
      if (statements.get(first).reducedArray >= 0) {
        CompiledStatement reduction = statements.get(first++);
        env[reduction.slot] = reduce(reduction.reduction, dtype, arrays[reduction.reducedArray], offset, length,
            arithmetic);
        continue;
      }
      int end = first;
      while (end < statements.size() && statements.get(end).reducedArray < 0) {
        end++;
      }
      for (int i = offset; i < offset + length; i++) {
        env[elementSlot] = i;
        for (int a = 0; a < arrays.length; a++) {
          env[a] = load(dtype, arrays[a], i);
        }
        for (int k = first; k < end; k++) {
          CompiledStatement statement = statements.get(k);
          double value = statement.value.eval(env, arithmetic);
          env[statement.slot] = statement.temporary ? value : store(dtype, arrays[statement.slot], i, value);
        }
      }
      first = end;
    }
  }

  /**
   * A reduction over the range in order, from 0: {@code s + x*x} (each product rounded by the
   * arithmetic), {@code s + x}, {@code s + |x|}, each sum rounded by {@link Arithmetic#roundSum}
   * (MXNet's {@code multi_sum_sq} keeps a float sum of half products), or {@code max(s, |x|)}, where
   * a NaN wins.
   */
  private static double reduce(Function reduction, DType dtype, Object array, int offset, int length,
      Arithmetic arithmetic) {
    double s = 0;
    for (int i = offset; i < offset + length; i++) {
      double x = load(dtype, array, i);
      s = switch (reduction) {
        case SUMSQ -> arithmetic.roundSum(s + arithmetic.round(x * x));
        case SUM -> arithmetic.roundSum(s + x);
        case SUMABS -> arithmetic.roundSum(s + Math.abs(x));
        case MAXABS -> Math.max(s, Math.abs(x)); // Math.max: NaN if either is
        default -> throw new IllegalStateException(reduction + " is not a reduction");
      };
    }
    return s;
  }

  private static double load(DType dtype, Object array, int i) {
    return switch (dtype) {
      case FLOAT32 -> ((float[]) array)[i];
      case FLOAT64 -> ((double[]) array)[i];
      case FLOAT16 -> Half.toFloat(((short[]) array)[i]);
    };
  }

  /** Stores {@code value} rounded to the storage type and returns what was stored. */
  private static double store(DType dtype, Object array, int i, double value) {
    switch (dtype) {
      case FLOAT32 -> {
        float stored = (float) value;
        ((float[]) array)[i] = stored;
        return stored;
      }
      case FLOAT64 -> {
        ((double[]) array)[i] = value;
        return value;
      }
      default -> {
        short stored = Half.fromFloat((float) value);
        ((short[]) array)[i] = stored;
        return Half.toFloat(stored);
      }
    }
  }

  private CompiledPlan compile(UpdatePlan plan) {
    Map<String, Integer> slots = new HashMap<>();
    slots.put(OptimizerModel.WEIGHT, 0);
    slots.put(OptimizerModel.GRAD, 1);
    for (int s = 0; s < plan.states().size(); s++) {
      slots.put(plan.states().get(s), 2 + s);
    }
    int arrayCount = 2 + plan.states().size();
    for (int s = 0; s < model.scalarNames().size(); s++) {
      slots.put(model.scalarNames().get(s), arrayCount + s);
    }
    slots.put(NodeCompiler.ELEMENT, arrayCount + model.scalarNames().size());
    // temporaries after the scalars; a temporary's value is its arithmetic's, never rounded to storage
    int temporaries = 0;
    List<CompiledStatement> statements = new ArrayList<>();
    for (Statement statement : plan.statements()) {
      int reducedArray = -1;
      Function reduction = null;
      Node value = null;
      if (statement.isReduction()) {
        Expr.Call call = (Expr.Call) statement.value();
        reduction = call.function();
        reducedArray = slots.get(((Expr.Name) call.args().get(0)).id());
      } else {
        value = statement.value().accept(new NodeCompiler(slots));
      }
      if (statement.temporary()) {
        slots.put(statement.target(), arrayCount + model.scalarNames().size() + 1 + temporaries++);
      }
      statements.add(new CompiledStatement(slots.get(statement.target()), value, statement.temporary(), reducedArray,
          reduction));
    }
    return new CompiledPlan(plan.states().size(), temporaries, statements);
  }

  private record CompiledPlan(int stateCount, int temporaryCount, List<CompiledStatement> statements) {}

  /**
   * {@code reducedArray}: the array slot a reduction runs over, or -1 for an elementwise statement;
   * {@code reduction}: which one, or null.
   */
  private record CompiledStatement(int slot, Node value, boolean temporary, int reducedArray, Function reduction) {}
}
