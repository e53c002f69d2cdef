package org.optikern.interp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.optikern.lang.Expr;
import org.optikern.lang.Function;
import org.optikern.lang.Statement;
import org.optikern.model.Extent;
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
 * are rounded to the arithmetic's type once per call. A reduction ({@code let s = sumsq(g*weight)})
 * ends a pass: each pass runs over the whole range, and its reductions reduce the value of their
 * argument at each element as the pass's statements leave it, into 16 partial results (element j of
 * the range into partial j mod 16, in order), combined in a fixed tree; the next pass reads the
 * result like a scalar. A statement that reads nothing per element (a scalar state's new value, a
 * temporary of scalars and reductions) is computed once per pass, before its elements; the scalar
 * states an update assigns are written back into its scalar vector, as a kernel hands them back.
 *
 * <p>In the {@code factored} variant the range is rows of {@code cols} elements (the scalar vector's
 * {@code cols}). Each statement runs over what its value varies with, worked out here from the
 * states' shapes and what each formula reads: per element, per row, per column or once; in
 * statement order, consecutive statements over the same in one loop. {@code rowsum} reduces each
 * row as any reduction does the tensor (column c into partial c mod 16, then the tree),
 * {@code colsum} adds the rows of each column in order; any other reduction of a
 * value per row reduces over the rows (row r into partial r mod 16). Values per row and per
 * column (states, temporaries, sums) are read at the element's row and column.
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
          scalar.statement().value().accept(new NodeCompiler(scalarSlots)), Kind.SCALAR_STATE, null, List.of(),
          Extent.SCALAR, Extent.SCALAR));
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

  /**
   * Whether the variant's update reduces over the tensor or assigns a scalar state: then a kernel
   * must not be run in chunks.
   */
  public boolean inOneCall(SwitchSet switches) {
    CompiledPlan plan = plans.get(switches);
    if (plan == null) {
      throw new IllegalArgumentException("switches " + switches + " do not match the spec's " + model.switches());
    }
    return plan.overRowsOrColumns
        || plan.statements.stream().anyMatch(s -> s.reduction != null || s.kind == Kind.SCALAR_STATE);
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
      if (plan.extentOfArray[a] == Extent.ELEMENT) {
        checkRange(arrays[a], a, offset, length);
      }
    }
    if (scalars.length != model.scalarNames().size()) {
      throw new IllegalArgumentException("expected " + model.scalarNames().size() + " scalars "
          + model.scalarNames() + ", found " + scalars.length);
    }
    // the 2-D view of the range: rows of cols elements, row r and column c at element offset + r*cols + c
    int cols = 1;
    int rows = length;
    if (plan.overRowsOrColumns) {
      double columns = scalars[model.scalarLayout().colsSlot()];
      if (!(columns >= 1) || columns != Math.rint(columns) || length % (int) columns != 0) {
        throw new IllegalArgumentException("a range of " + length + " elements is not a whole number of rows of "
            + columns + " columns");
      }
      cols = (int) columns;
      rows = length / cols;
    }
    for (int a = 0; a < arrays.length; a++) {
      if (plan.extentOfArray[a] != Extent.ELEMENT) {
        checkRange(arrays[a], a, 0, plan.extentOfArray[a] == Extent.ROW ? rows : cols);
      }
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
    // the values per row and per column of temporaries and of rowsum and colsum, by slot, for the whole call
    Map<Integer, double[]> alongAxis = new HashMap<>();
    for (CompiledStatement statement : plan.statements) {
      if (statement.result == Extent.ROW || statement.result == Extent.COLUMN) {
        alongAxis.put(statement.slot, new double[statement.result == Extent.ROW ? rows : cols]);
      }
    }
    View view = new View(dtype, arrays, env, plan, alongAxis, offset, cols);
    // passes: each runs its statements in order, each over what it varies with (the update, the rows, the
    // columns or the elements), consecutive ones over the same in one loop; its reductions take each
    // element's (row's, column's) value as those statements leave it
    List<CompiledStatement> statements = plan.statements;
    for (int first = 0; first < statements.size(); ) {
      int end = endOfPass(statements, first);
      Map<Integer, double[]> partials = new HashMap<>();
      for (int k = first; k < end; k++) {
        CompiledStatement statement = statements.get(k);
        if (statement.reduction != null && statement.reduction != Function.COLSUM) {
          partials.put(k, new double[REDUCTION_LANES]); // rowsum's: those of the current row
        }
        if (statement.reduction != null && statement.reduction.isAlongAxis()) {
          java.util.Arrays.fill(alongAxis.get(statement.slot), 0);
        }
        if (statement.kind == Kind.ONCE || statement.kind == Kind.SCALAR_STATE) {
          // the same for every element: once, before them, even for an empty range
          env[statement.slot] = statement.value.eval(env, arithmetic);
        }
      }
      for (int k = first; k < end; ) {
        Extent over = statements.get(k).over;
        int segmentEnd = k;
        // the statements computed once were computed above: they do not interrupt a loop
        while (segmentEnd < end && (statements.get(segmentEnd).over == over
            || statements.get(segmentEnd).over == Extent.SCALAR)) {
          segmentEnd++;
        }
        if (over != Extent.SCALAR) {
          int count = switch (over) {
            case ROW -> rows;
            case COLUMN -> cols;
            default -> length;
          };
          for (int j = 0; j < count; j++) {
            view.enter(over, j);
            for (int m = k; m < segmentEnd; m++) {
              runAt(statements.get(m), m, over, j, view, partials, arithmetic);
            }
          }
        }
        k = segmentEnd;
      }
      for (int k = first; k < end; k++) {
        if (partials.containsKey(k)) {
          env[statements.get(k).slot] = combine(statements.get(k).reduction, partials.get(k), arithmetic);
        }
      }
      first = end;
    }
    for (CompiledStatement statement : statements) {
      if (statement.kind == Kind.SCALAR_STATE) {
        scalars[statement.slot - arrays.length] = env[statement.slot]; // handed back, as a kernel does
      }
    }
  }

  /** Statement {@code k} at index {@code j} of what it runs over (an element of the range, a row or a column). */
  private static void runAt(CompiledStatement statement, int k, Extent over, int j, View view,
      Map<Integer, double[]> partials, Arithmetic arithmetic) {
    double[] env = view.env;
    switch (statement.kind) {
      case REDUCTION -> {
        double x = statement.value.eval(env, arithmetic);
        if (statement.reduction == Function.ROWSUM) {
          // a row's elements as any reduction's: column c into partial c mod 16, combined at the row's end
          double[] p = partials.get(k);
          int column = j % view.cols;
          p[column % REDUCTION_LANES] = arithmetic.roundSum(p[column % REDUCTION_LANES] + x);
          if (column == view.cols - 1) {
            view.alongAxis.get(statement.slot)[j / view.cols] = combine(Function.SUM, p, arithmetic);
            java.util.Arrays.fill(p, 0);
          }
        } else if (statement.reduction == Function.COLSUM) {
          double[] sums = view.alongAxis.get(statement.slot);
          int column = j % view.cols;
          sums[column] = arithmetic.roundSum(sums[column] + x); // the column's rows, in order
        } else {
          double[] p = partials.get(k);
          int lane = j % REDUCTION_LANES; // the element's, row's or column's index, from the range's start
          p[lane] = step(statement.reduction, p[lane], x, arithmetic);
        }
      }
      case TEMPORARY -> {
        env[statement.slot] = statement.value.eval(env, arithmetic);
        if (statement.result != Extent.ELEMENT) {
          view.alongAxis.get(statement.slot)[j] = env[statement.slot];
        }
      }
      case STORE -> env[statement.slot] = store(view.dtype, view.arrays[statement.slot],
          view.indexIn(over, j), statement.value.eval(env, arithmetic));
      case ONCE, SCALAR_STATE -> { } // before the elements
    }
  }

  /**
   * The arrays and values as one statement sees them at one index: entering element, row or column
   * {@code j} loads every array, temporary and sum that varies along it into its slot, at the
   * element's row and column for the values per row and per column.
   */
  private static final class View {
    final DType dtype;
    final Object[] arrays;
    final double[] env;
    final CompiledPlan plan;
    final Map<Integer, double[]> alongAxis;
    final int offset;
    final int cols;

    View(DType dtype, Object[] arrays, double[] env, CompiledPlan plan, Map<Integer, double[]> alongAxis, int offset,
        int cols) {
      this.dtype = dtype;
      this.arrays = arrays;
      this.env = env;
      this.plan = plan;
      this.alongAxis = alongAxis;
      this.offset = offset;
      this.cols = cols;
    }

    void enter(Extent over, int j) {
      int row = over == Extent.ELEMENT ? j / cols : j;
      int column = over == Extent.ELEMENT ? j % cols : j;
      if (over == Extent.ELEMENT) {
        env[env.length - 1 - plan.temporaryCount] = offset + j; // the element's index, for normal()
      }
      for (int a = 0; a < arrays.length; a++) {
        Extent extent = plan.extentOfArray[a];
        if (extent == Extent.ELEMENT && over == Extent.ELEMENT) {
          env[a] = load(dtype, arrays[a], offset + j);
        } else if (extent == Extent.ROW && over != Extent.COLUMN) {
          env[a] = load(dtype, arrays[a], row);
        } else if (extent == Extent.COLUMN && over != Extent.ROW) {
          env[a] = load(dtype, arrays[a], column);
        }
      }
      for (Map.Entry<Integer, Extent> value : plan.resultExtents.entrySet()) {
        Extent extent = value.getValue();
        if (extent == Extent.ROW && over != Extent.COLUMN) {
          env[value.getKey()] = alongAxis.get(value.getKey())[row];
        } else if (extent == Extent.COLUMN && over != Extent.ROW) {
          env[value.getKey()] = alongAxis.get(value.getKey())[column];
        }
      }
    }

    /** Where a store over {@code over} at {@code j} writes: the element's index, or the row's or column's. */
    int indexIn(Extent over, int j) {
      return over == Extent.ELEMENT ? offset + j : j;
    }
  }

  private static void checkRange(Object array, int a, int from, int size) {
    if (from < 0 || size < 0 || from + size > DType.length(array)) {
      throw new IndexOutOfBoundsException("range [" + from + ", " + (from + size) + ") is outside array " + a
          + " of length " + DType.length(array));
    }
  }

  /** Partial results per reduction: element j of the range joins partial j mod 16. */
  private static final int REDUCTION_LANES = 16;

  /**
   * Where the pass that starts at {@code first} ends: after the reductions that follow its
   * elementwise statements, but before a reduction that reads one of them (its value is known only
   * once the pass is over) and before any statement after them.
   */
  private static int endOfPass(List<CompiledStatement> statements, int first) {
    int k = first;
    while (k < statements.size() && statements.get(k).kind != Kind.REDUCTION) {
      k++;
    }
    List<Integer> reductionSlots = new ArrayList<>();
    while (k < statements.size() && statements.get(k).kind == Kind.REDUCTION
        && statements.get(k).reads.stream().noneMatch(reductionSlots::contains)) {
      reductionSlots.add(statements.get(k++).slot);
    }
    return k == first ? first + 1 : k;
  }

  /**
   * One element's step of a partial result: {@code p + x*x} (the product rounded by the arithmetic),
   * {@code p + x}, {@code p + |x|}, each sum rounded by {@link Arithmetic#roundSum} (MXNet's
   * {@code multi_sum_sq} keeps a float sum of half products), or {@code max(p, |x|)}, where a NaN wins.
   */
  private static double step(Function reduction, double p, double x, Arithmetic arithmetic) {
    return switch (reduction) {
      case SUMSQ -> arithmetic.roundSum(p + arithmetic.round(x * x));
      case SUM -> arithmetic.roundSum(p + x);
      case SUMABS -> arithmetic.roundSum(p + Math.abs(x));
      case MAXABS -> Math.max(p, Math.abs(x)); // Math.max: NaN if either is
      default -> throw new IllegalStateException(reduction + " is not a reduction");
    };
  }

  /** The 16 partials combined pairwise, {@code p[k] (+ or max) p[k + h]} for h = 8, 4, 2, 1. */
  private static double combine(Function reduction, double[] p, Arithmetic arithmetic) {
    for (int h = REDUCTION_LANES / 2; h > 0; h /= 2) {
      for (int k = 0; k < h; k++) {
        p[k] = reduction == Function.MAXABS ? Math.max(p[k], p[k + h]) : arithmetic.roundSum(p[k] + p[k + h]);
      }
    }
    return p[0];
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
    // over what each value varies: an array as its state's shape, a temporary as what it reads
    Map<Integer, Extent> extentOfSlot = new HashMap<>();
    Extent[] extentOfArray = new Extent[arrayCount];
    for (int a = 0; a < arrayCount; a++) {
      extentOfArray[a] = a < 2 ? Extent.ELEMENT : Extent.of(model.stateShape(plan.states().get(a - 2)));
      extentOfSlot.put(a, extentOfArray[a]);
    }
    for (int s = 0; s < model.scalarNames().size(); s++) {
      slots.put(model.scalarNames().get(s), arrayCount + s);
    }
    slots.put(NodeCompiler.ELEMENT, arrayCount + model.scalarNames().size());
    // temporaries after the scalars; a temporary's value is its arithmetic's, never rounded to storage
    int temporaries = 0;
    List<CompiledStatement> statements = new ArrayList<>();
    Map<Integer, Extent> resultExtents = new HashMap<>();
    for (Statement statement : plan.statements()) {
      Function reduction = null;
      Expr value = statement.value();
      if (statement.isReduction()) {
        Expr.Call call = (Expr.Call) value;
        reduction = call.function();
        value = call.args().get(0); // the value per element; the pass reduces it
      }
      List<Integer> reads = new ArrayList<>();
      for (Expr.Name name : org.optikern.lang.Exprs.all(value, Expr.Name.class)) {
        reads.add(slots.get(name.id()));
      }
      Extent read = Extent.SCALAR;
      for (int slot : reads) {
        read = read.join(extentOfSlot.getOrDefault(slot, Extent.SCALAR));
      }
      if (org.optikern.lang.Exprs.all(value, Expr.Call.class).stream().anyMatch(c -> c.function() == Function.NORMAL)) {
        read = Extent.ELEMENT;
      }
      Node node = value.accept(new NodeCompiler(slots));
      if (statement.temporary()) {
        slots.put(statement.target(), arrayCount + model.scalarNames().size() + 1 + temporaries++);
      }
      int slot = slots.get(statement.target());
      Kind kind;
      Extent over;
      Extent result;
      if (reduction != null) {
        kind = Kind.REDUCTION;
        // rowsum and colsum add up elements; another reduction reduces over what its argument varies with
        over = reduction.isAlongAxis() || read == Extent.SCALAR ? Extent.ELEMENT : read;
        result = reduction == Function.ROWSUM ? Extent.ROW : reduction == Function.COLSUM ? Extent.COLUMN
            : Extent.SCALAR;
      } else if (!statement.temporary()) {
        kind = slot < arrayCount ? Kind.STORE : Kind.SCALAR_STATE;
        over = slot < arrayCount ? extentOfArray[slot] : Extent.SCALAR;
        result = over;
      } else {
        kind = read != Extent.SCALAR ? Kind.TEMPORARY : Kind.ONCE;
        over = read;
        result = read;
      }
      extentOfSlot.put(slot, result);
      if (statement.temporary() && (result == Extent.ROW || result == Extent.COLUMN)) {
        resultExtents.put(slot, result);
      }
      statements.add(new CompiledStatement(slot, node, kind, reduction, reads, over, result));
    }
    boolean overRowsOrColumns = java.util.Arrays.stream(extentOfArray).anyMatch(e -> e != Extent.ELEMENT)
        || !resultExtents.isEmpty();
    return new CompiledPlan(plan.states().size(), temporaries, statements, extentOfArray, resultExtents,
        overRowsOrColumns);
  }

  /**
   * {@code extentOfArray}: over what each array (weight, grad, states) varies; {@code resultExtents}: the
   * temporaries and sums with a value per row or per column, by slot; {@code overRowsOrColumns}: whether
   * the update reads the range as rows and columns, whose count then comes in the scalar {@code cols}.
   */
  private record CompiledPlan(int stateCount, int temporaryCount, List<CompiledStatement> statements,
      Extent[] extentOfArray, Map<Integer, Extent> resultExtents, boolean overRowsOrColumns) {}

  /**
   * What a statement does: store into an array per element; compute a temporary per element, or
   * once per pass (it reads no value per element); reduce its value per element ({@code value} is
   * then the reduction's argument); or assign a scalar state, once per pass.
   */
  private enum Kind { STORE, TEMPORARY, ONCE, REDUCTION, SCALAR_STATE }

  /**
   * {@code reduction}: a reduction's function, or null; {@code reads}: the slots its value reads;
   * {@code over}: what it runs over (once per update, per row, per column or per element);
   * {@code result}: over what its target varies.
   */
  private record CompiledStatement(int slot, Node value, Kind kind, Function reduction, List<Integer> reads,
      Extent over, Extent result) {}
}
