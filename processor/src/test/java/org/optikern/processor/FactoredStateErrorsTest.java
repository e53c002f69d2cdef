package org.optikern.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.optikern.processor.SpecErrorAssertions.assertError;
import static org.optikern.processor.SpecErrorAssertions.compile;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The errors of states with one value per row or column ({@code @State(shape = ...)}) and of
 * {@code rowsum} and {@code colsum}: each on the annotation that has it, one test per message.
 */
class FactoredStateErrorsTest {
  private static final String OPTIMIZER = "@OptimizerSpec(name = \"trial\")";
  private static final String ROW_STATE = "@State(name = \"v_row\", shape = \"rows\", when = \"factored\")";
  private static final String FULL_STATE = "@State(name = \"v\", when = \"!factored\")";
  private static final String UNFACTORED_UPDATE = "@Update(when = \"!factored\", formulas = {"
      + "\"v = 0.9*v + grad*grad\", \"weight = weight - lr*grad/sqrt(v + 1e-8)\"})";


  /** A spec with a row state, its two updates given: the factored one is {@code factoredFormulas}. */
  private static JavaFileObject factored(String rowState, String... factoredFormulas) {
    StringBuilder formulas = new StringBuilder();
    for (String f : factoredFormulas) {
      formulas.append(formulas.length() == 0 ? "" : ", ").append('"').append(f).append('"');
    }
    return SpecSources.spec(OPTIMIZER, rowState, FULL_STATE,
        "@Update(when = \"factored\", formulas = {" + formulas + "})", UNFACTORED_UPDATE);
  }

  @Test
  void aFactoredSpecCompiles() {
    Compilation compilation = compile(factored(ROW_STATE, "let g_rows = rowsum(grad*grad)",
        "v_row = 0.9*v_row + g_rows/cols", "weight = weight - lr*grad/sqrt(v_row + 1e-8)"));
    assertThat(compilation).succeeded();
  }

  @Test
  void aShapeIsRowsOrColumns() {
    JavaFileObject source = factored("@State(name = \"v_row\", shape = \"row\", when = \"factored\")",
        "weight = weight - lr*grad");
    assertError(source, "a state's shape is the weight's (leave it out), \"rows\" (one value per row of the weight's "
        + "2-D view) or \"columns\" (one per column), found 'row'", "shape = \"row\"");
  }

  @Test
  void aScalarStateHasNoShape() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@State(name = \"nu\", scalar = true, initial = \"1\", shape = \"rows\")",
        "@Update(formulas = \"weight = weight - lr*nu*grad\")");
    assertError(source, "a scalar state is one number per parameter: it has no shape; drop shape = \"rows\" or "
        + "scalar = true", "shape = \"rows\"");
  }

  @Test
  void aRowStateDoesNotStartAsTheWeight() {
    JavaFileObject source = factored("@State(name = \"v_row\", shape = \"rows\", when = \"factored\", "
        + "initial = \"weight\")", "weight = weight - lr*grad*v_row");
    assertError(source, "a state of one value per row cannot start as a copy of the weight, which has another shape: "
        + "start it as zeros or with a hyperparameter's value", "initial = \"weight\"");
  }

  @Test
  void aRowStateExistsOnlyWhenFactored() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"v_row\", shape = \"rows\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "state 'v_row' has one value per row of the weight's 2-D view, which only weights of two or "
        + "more dimensions have: declare it when = \"factored\"", "shape = \"rows\"");
  }

  @Test
  void aRowStateIsNotAssignedAValuePerElement() {
    JavaFileObject source = factored(ROW_STATE, "v_row = 0.9*v_row + grad*grad",
        "weight = weight - lr*grad/sqrt(v_row + 1e-8)");
    assertError(source, "state 'v_row' has a value per row: its formula may read scalars, reductions and values per "
        + "row, not 'grad', which has a value per element; sum it first, e.g. 'let s = rowsum(grad)'",
        "v_row = 0.9*v_row + grad*grad");
  }

  @Test
  void rowsumIsOnlyInTheFactoredUpdate() {
    JavaFileObject source = factored(ROW_STATE, "let g_rows = rowsum(grad*grad)", "v_row = 0.9*v_row + g_rows",
        "weight = weight - lr*grad/sqrt(v_row + 1e-8)");
    JavaFileObject everywhere = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"let s = colsum(grad)\", \"weight = weight - lr*grad\"})");
    assertThat(compile(source)).succeeded();
    assertError(everywhere, "colsum(...) sums along the columns of the weight's 2-D view, which only weights of two "
        + "or more dimensions have: use it in an @Update with when = \"factored\" (a spec has that variant once it "
        + "declares a @State(shape = \"rows\") or \"columns\")", "colsum(grad)");
  }

  @Test
  void aValuePerElementDoesNotOutliveItsPassButOnePerRowDoes() {
    // v_row's new value is computed per row before the elements of its pass: the row statement after the
    // elements of g starts a pass, and g, one value per element, is gone after it
    JavaFileObject source = factored(ROW_STATE, "let g_rows = rowsum(grad*grad)", "let g = 2*grad",
        "v_row = 0.9*v_row + g_rows", "weight = weight - lr*g/sqrt(v_row + 1e-8)");
    assertError(source, "temporary 'g' holds one value per element of the pass before a reduction", "let g = 2*grad");
    JavaFileObject perRow = factored(ROW_STATE, "let g_rows = rowsum(grad*grad)", "let r = 1/sqrt(g_rows + 1)",
        "let s = sumsq(grad)", "v_row = 0.9*v_row + r*s", "weight = weight - lr*grad*r/sqrt(v_row + 1e-8)");
    assertThat(compile(perRow)).succeeded();
  }
}
