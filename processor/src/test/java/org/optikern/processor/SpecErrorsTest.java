package org.optikern.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.optikern.processor.SpecErrorAssertions.assertError;
import static org.optikern.processor.SpecErrorAssertions.assertOnlyError;
import static org.optikern.processor.SpecErrorAssertions.compile;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** Every problem in a spec is a compile error on the annotation that has it, with the offending text. */
class SpecErrorsTest {
  private static final String OPTIMIZER = "@OptimizerSpec(name = \"trial\")";
  private static final String HYPER = "@Hyperparameter(name = \"momentum\", defaultValue = 0.9)";
  private static final String SWITCH = "@Switch(name = \"momentum\", when = \"momentum != 0\")";
  private static final String STATE = "@State(name = \"mom\", when = \"momentum\")";


  @Test
  void unknownNameSuggestsTheNearestOne() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = \"weight = weight - lr*sign(gard)\")");
    assertError(source, "unknown name 'gard' (did you mean 'grad'?) at column 27", "gard");
    // the formula is repeated with a caret line under the unknown name
    assertThat(compile(source)).hadErrorContaining("weight = weight - lr*sign(gard)\n");
    assertThat(compile(source)).hadErrorContaining("                        ^^^^");
  }

  @Test
  void aValidityConditionUsesHyperparametersOnly() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Hyperparameter(name = \"eps\", defaultValue = 1e-8, valid = \"eps > 0 && grad < 1\")",
        "@Update(formulas = \"weight = weight - lr*grad/eps\")");
    assertError(source, "a validity condition may only use hyperparameters, and 'grad' is not one", "grad < 1");
  }

  @Test
  void theDefaultMustSatisfyTheValidityCondition() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Hyperparameter(name = \"eps\", defaultValue = 0, valid = \"eps > 0\")",
        "@Update(formulas = \"weight = weight - lr*grad/eps\")");
    assertError(source, "the default 0.0 of 'eps' does not satisfy its condition 'eps > 0'", "defaultValue = 0");
  }

  @Test
  void aValidityConditionIsParsedWithPositions() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Hyperparameter(name = \"eps\", defaultValue = 1, valid = \"eps >> 0\")",
        "@Update(formulas = \"weight = weight - lr*grad/eps\")");
    assertError(source, "at column 6", "eps >> 0");
  }

  @Test
  void syntaxErrorNamesTheColumn() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight - lr*(grad\")");
    assertError(source, "expected ')' to close '(', found the end of the formula at column 27", "lr*(grad");
  }

  @Test
  void anUnclosedCallNamesTheFunction() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight - lr*sign(grad\")");
    assertError(source, "expected ')' to close the arguments of sign(, found the end of the formula at column 31",
        "lr*sign(grad");
  }

  @Test
  void unexpectedCharacter() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight % grad\")");
    assertError(source, "unexpected character '%' at column 17", "weight % grad");
  }

  @Test
  void aNoBreakSpaceIsNamed() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight -\u00a0lr*grad\")");
    assertError(source, "unexpected character U+00A0 NO-BREAK SPACE (write an ordinary space) at column 18", "lr*grad");
  }

  @Test
  void aComparisonInAFormulaSuggestsGt() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight - lr*(grad > 0)\")");
    assertError(source, "a formula computes numbers, and '>' compares: use gt(grad, 0) (1 where it holds, else 0) at "
        + "column 23", "grad > 0");
  }

  @Test
  void assignmentToGradIsRejected() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"grad = grad * 2\", \"weight = weight - grad\"})");
    assertError(source, "cannot assign to 'grad': the gradient is read-only at column 1", "grad = grad * 2");
  }

  @Test
  void assignmentToHyperparameterIsRejected() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER,
        "@Update(formulas = {\"momentum = 0.5\", \"weight = weight - grad\"})");
    assertError(source, "cannot assign to hyperparameter 'momentum'", "momentum = 0.5");
  }

  @Test
  void assignmentToCommonScalarIsRejected() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = {\"lr = 1\", \"weight = weight - grad\"})");
    assertError(source, "cannot assign to 'lr': it is a scalar every optimizer passes to its kernels", "lr = 1");
  }

  @Test
  void assignmentToTheElementCountIsRejected() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = {\"size = 4\", \"weight = weight - grad\"})");
    assertError(source, "cannot assign to 'size': it is the parameter's number of elements at column 1", "size = 4");
  }

  @Test
  void assignmentToRowsOrColumnsIsRejected() {
    JavaFileObject rows = SpecSources.spec(OPTIMIZER, "@Update(formulas = {\"rows = 2\", \"weight = weight - grad\"})");
    assertError(rows, "cannot assign to 'rows': it is the number of rows of the parameter's 2-D view at column 1",
        "rows = 2");
    JavaFileObject cols = SpecSources.spec(OPTIMIZER, "@Update(formulas = {\"cols = 2\", \"weight = weight - grad\"})");
    assertError(cols, "cannot assign to 'cols': it is the number of columns of the parameter's 2-D view at column 1",
        "cols = 2");
  }

  @Test
  void assignmentToUndeclaredArrayIsRejected() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"velocity = grad\", \"weight = weight - grad\"})");
    assertError(source, "unknown name 'velocity'", "velocity = grad");
    assertThat(compile(source)).hadErrorContaining("only 'weight' and declared @State arrays can be assigned");
  }

  @Test
  void stateUsedWhereItDoesNotExist() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, SWITCH, STATE,
        "@Update(when = \"momentum\", formulas = {\"mom = momentum*mom + grad\", \"weight = weight - lr*mom\"})",
        "@Update(when = \"!momentum\", formulas = \"weight = weight - lr*mom\")");
    assertError(source, "state 'mom' is used in the variant !momentum && clipped, where it does not exist "
        + "(declared with when = \"momentum\")", "when = \"!momentum\"");
  }

  @Test
  void switchOnUnknownHyperparameter() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER,
        "@Switch(name = \"nesterov\", when = \"nesterov_on > 0\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "unknown name 'nesterov_on'", "nesterov_on > 0");
  }

  @Test
  void switchOnAnArrayOrVaryingScalar() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Switch(name = \"fast\", when = \"lr > 1\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "a switch condition may only use hyperparameters, and 'lr' is not one", "lr > 1");
  }

  @Test
  void switchConditionNeedsAComparison() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, "@Switch(name = \"on\", when = \"momentum\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "a switch condition compares hyperparameters, e.g. 'momentum != 0'", "when = \"momentum\")");
  }

  @Test
  void unknownSwitchInWhen() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, SWITCH,
        "@Update(when = \"momentun\", formulas = \"weight = weight - lr*grad\")",
        "@Update(when = \"!momentum\", formulas = \"weight = weight - lr*grad\")");
    assertError(source, "unknown switch 'momentun' (did you mean 'momentum'?)", "momentun");
  }

  @Test
  void comparisonInWhenBelongsInASwitch() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER,
        "@Update(when = \"momentum > 0\", formulas = \"weight = weight - lr*grad\")");
    assertError(source, "'when' selects switches by name", "momentum > 0");
  }

  @Test
  void variantWithoutUpdate() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, SWITCH,
        "@Update(when = \"momentum\", formulas = \"weight = weight - lr*grad\")");
    assertError(source, "no @Update covers the variant !momentum && clipped", OPTIMIZER);
  }

  @Test
  void variantWithTwoUpdates() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, SWITCH,
        "@Update(formulas = \"weight = weight - lr*grad\")",
        "@Update(when = \"clipped\", formulas = \"weight = weight - lr*clip(grad, clip_gradient)\")");
    assertError(source, "@Update(when = \"clipped\") and @Update(when = \"\") both cover the variant", "when = \"clipped\"");
  }

  @Test
  void updateMustAssignWeight() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"acc\")",
        "@Update(formulas = \"acc = acc + grad\")");
    assertError(source, "this @Update never assigns 'weight'", "acc = acc + grad");
  }

  @Test
  void unknownFunction() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight - lr*signum(grad)\")");
    assertError(source, "unknown function 'signum' (known: sign, clip, abs, sqrt, min, max, square, pow, exp, log, gt, eq, where, if, sumsq, sum, sumabs, maxabs, rowsum, colsum, normal) at column 22",
        "signum(grad)");
  }

  @Test
  void wrongArity() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight - lr*clip(grad)\")");
    assertError(source, "clip takes 2 arguments, found 1", "clip(grad)");
  }

  @Test
  void duplicateNames() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, "@State(name = \"momentum\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "state 'momentum' clashes with a hyperparameter of the same name", "@State(name = \"momentum\")");
  }

  @Test
  void builtInNamesCannotBeDeclared() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Hyperparameter(name = \"lr\", defaultValue = 1)",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "hyperparameter 'lr' clashes with a built-in name", "name = \"lr\"");
  }

  @Test
  void reservedNames() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Hyperparameter(name = \"length\", defaultValue = 1)",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "hyperparameter name 'length' is reserved for generated code", "name = \"length\"");
  }

  @Test
  void specNamesAreLowerCase() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Hyperparameter(name = \"Beta\", defaultValue = 1)",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "hyperparameter name 'Beta' is not a valid name (a lower-case letter", "name = \"Beta\"");
  }

  @Test
  void namesThatWouldOverrideAnOptimizerAccessor() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Hyperparameter(name = \"num_update\", defaultValue = 1)",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "hyperparameter name 'num_update' would make the accessor numUpdate(), which every optimizer "
        + "already has", "num_update");
  }

  @Test
  void namesThatWouldOverrideAProtectedMethodOfObject() {
    for (String name : new String[] {"clone", "finalize"}) {
      JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Hyperparameter(name = \"" + name + "\", defaultValue = 1)",
          "@Update(formulas = \"weight = weight - lr*" + name + "*grad\")");
      assertError(source, "hyperparameter name '" + name + "' would make the accessor " + name + "(), which every "
          + "optimizer already has", "name = \"" + name + "\"");
    }
  }

  @Test
  void namesOfCommonParameters() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Hyperparameter(name = \"multi_precision\", defaultValue = 1)", "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "hyperparameter name 'multi_precision' is a parameter every optimizer takes", "multi_precision");
  }

  @Test
  void namesThatMeetInCamelCase() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Hyperparameter(name = \"beta1\", defaultValue = 1)",
        "@Hyperparameter(name = \"beta_1\", defaultValue = 1)", "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "hyperparameter 'beta_1' and 'beta1' would both become beta1 in generated code", "beta_1");
  }

  @Test
  void switchesWhoseVariantsWouldShareAClassName() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER,
        "@Switch(name = \"no\", when = \"momentum > 1\")", "@Switch(name = \"no_x\", when = \"momentum > 2\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "would both be named NoNoNoXClipped in generated class names; rename a switch", OPTIMIZER);
  }

  @Test
  void literalTooLargeForFloat() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight - 1e39*grad\")");
    assertError(source, "number '1e39' is too large for float32 and float16 kernels: it would become Infinity (largest "
        + "float: 3.4028235E38) at column 19", "1e39");
  }

  @Test
  void formulasNestedTooDeep() {
    String deep = "(".repeat(150) + "grad" + ")".repeat(150);
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = " + deep + "\")");
    assertError(source, "the formula nests deeper than 100 levels", "weight = ((");
    String chain = "grad" + " + grad".repeat(5000);
    assertError(SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = " + chain + "\")"),
        "the formula chains more than 250 operations (each one holds the ones before it); split it with 'let' "
        + "temporaries at column 1767", "weight = grad");
  }

  @Test
  void aLongFlatSumIsNotDeep() {
    // 101 terms nest no parenthesis: only parentheses, calls and minus signs count as levels
    String sum = "grad" + " + grad".repeat(100);
    assertThat(compile(SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight - lr*(" + sum + ")\")")))
        .succeeded();
    // the longest chain accepted compiles, in the scalar and the SIMD kernels
    String longest = "grad" + " + grad".repeat(249);
    assertThat(javac().withProcessors(new OptimizerSpecProcessor()).withOptions("--add-modules", "jdk.incubator.vector")
        .compile(SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = " + longest + "\")"))).succeeded();
  }

  @Test
  void aValueJavacCannotCompileIsLeftToJavac() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Hyperparameter(name = UNDEFINED, defaultValue = 1)",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorContaining("cannot find symbol");
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void invalidOptimizerName() {
    JavaFileObject source = SpecSources.spec("@OptimizerSpec(name = \"my optimizer\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "optimizer name 'my optimizer' is not a valid name", "my optimizer");
  }

  @Test
  void nonFiniteDefault() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Hyperparameter(name = \"beta\", defaultValue = Double.NaN)", "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "hyperparameter 'beta' needs a finite default, found NaN", "Double.NaN");
  }

  @Test
  void specMustBeAnInterface() {
    JavaFileObject source = com.google.testing.compile.JavaFileObjects.forSourceString("test.TrialSpec",
        "package test;\nimport org.optikern.spec.*;\n" + OPTIMIZER
            + "\n@Update(formulas = \"weight = weight - lr*grad\")\npublic class TrialSpec {}\n");
    assertError(source, "@OptimizerSpec belongs on an interface", "public class TrialSpec");
  }

  @Test
  void specNameMustEndInSpec() {
    JavaFileObject source = SpecSources.named("Trial", OPTIMIZER, "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "an @OptimizerSpec interface is named XxxSpec", "public interface Trial");
  }

  @Test
  void specPartWithoutOptimizerSpec() {
    JavaFileObject source = SpecSources.spec("@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "@Update has no effect without @OptimizerSpec on the same interface", "public interface TrialSpec");
  }

  @Test
  void repeatedSpecPartWithoutOptimizerSpec() {
    JavaFileObject source = SpecSources.spec("@Hyperparameter(name = \"a\", defaultValue = 1)",
        "@Hyperparameter(name = \"b\", defaultValue = 1)");
    assertError(source, "@Hyperparameter has no effect without @OptimizerSpec", "public interface TrialSpec");
  }

  @Test
  void aliasRepeatingARegistryKey() {
    JavaFileObject source = SpecSources.spec("@OptimizerSpec(name = \"trial\", aliases = {\"TRIAL\"})",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "alias 'TRIAL' repeats a registry key of this optimizer (keys are case-insensitive)", "TRIAL");
  }

  @Test
  void invalidAlias() {
    JavaFileObject source = SpecSources.spec("@OptimizerSpec(name = \"trial\", aliases = \"2fast\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "alias '2fast' is not a valid name", "2fast");
  }

  @Test
  void invalidDefaultLearningRate() {
    JavaFileObject source = SpecSources.spec("@OptimizerSpec(name = \"trial\", learningRate = -1)",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "learningRate must be a finite number >= 0, found -1.0", "learningRate = -1");
  }

  @Test
  void tooManySwitches() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER,
        "@Switch(name = \"a\", when = \"momentum > 1\")", "@Switch(name = \"b\", when = \"momentum > 2\")",
        "@Switch(name = \"c\", when = \"momentum > 3\")", "@Switch(name = \"d\", when = \"momentum > 4\")",
        "@Switch(name = \"e\", when = \"momentum > 5\")", "@Switch(name = \"f\", when = \"momentum > 6\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "a spec may declare at most 5 switches (each doubles the generated kernels), found 6", OPTIMIZER);
  }

  @Test
  void updateWithoutFormulas() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = {})");
    assertError(source, "an @Update needs at least one formula", "formulas = {}");
  }

  @Test
  void functionCallInSwitchCondition() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, "@Switch(name = \"on\", when = \"abs(momentum) > 0\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "a switch condition may not call functions", "abs(momentum)");
  }

  @Test
  void nameOfAFunction() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"sign\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "state 'sign' clashes with a function of the same name", "name = \"sign\"");
  }

  @Test
  void switchNamedLikeTheBuiltInOne() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, "@Switch(name = \"clipped\", when = \"momentum > 0\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "switch 'clipped' clashes with the built-in switch of the same name", "name = \"clipped\"");
  }

  @Test
  void specMustBeTopLevel() {
    JavaFileObject source = com.google.testing.compile.JavaFileObjects.forSourceString("test.Outer",
        "package test;\nimport org.optikern.spec.*;\npublic class Outer {\n" + OPTIMIZER
            + "\n@Update(formulas = \"weight = weight - lr*grad\")\npublic interface InnerSpec {}\n}\n");
    assertError(source, "an @OptimizerSpec interface must be a top-level type", "public interface InnerSpec");
  }

  @Test
  void noUpdateAtAll() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER);
    assertError(source, "an optimizer spec needs at least one @Update", OPTIMIZER);
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"grad = 1\", \"weight = weight - lr*sign(gard)\"})");
    Compilation compilation = compile(source);
    assertThat(compilation).hadErrorCount(2);
  }

  // ---- per-update scalars (@Scalar) ----

  private static final String UPDATE_WITH_LR_T = "@Update(formulas = \"weight = weight - lr_t*grad\")";

  @Test
  void aScalarCannotReadAnArray() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"lr_t = lr*weight\")", UPDATE_WITH_LR_T);
    assertError(source, "a @Scalar is computed once per update, before the elementwise phase: it cannot read the "
        + "array 'weight' at column 11", "lr_t = lr*weight");
  }

  @Test
  void aScalarReadsOnlyScalarsDeclaredBeforeIt() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"lr_t = lr*coef\")", "@Scalar(\"coef = 1 - t\")",
        UPDATE_WITH_LR_T);
    assertError(source, "scalar 'coef' is not computed yet here: a @Scalar reads only the scalars declared before it"
        + " at column 11", "lr_t = lr*coef");
  }

  @Test
  void aScalarCannotReadItself() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"lr_t = lr_t*2\")", UPDATE_WITH_LR_T);
    assertError(source, "scalar 'lr_t' is not computed yet here", "lr_t = lr_t*2");
  }

  @Test
  void anUnknownNameInAScalarSuggestsOne() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, "@Scalar(\"lr_t = lr*pow(momentun, t)\")",
        UPDATE_WITH_LR_T);
    assertError(source, "unknown name 'momentun' (did you mean 'momentum'?) at column 15", "momentun");
  }

  @Test
  void clipBelongsInUpdates() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"lr_t = clip(lr, clip_gradient)\")",
        UPDATE_WITH_LR_T);
    assertError(source, "clip belongs in @Update formulas (unclipped variants drop it); a @Scalar is the same in every "
        + "variant at column 8", "lr_t = clip");
  }

  @Test
  void aScalarIsParsedWithPositions() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"lr_t = lr *\")", UPDATE_WITH_LR_T);
    assertError(source, "expected a number, a name or '(', found the end of the formula at column 12", "lr_t = lr *");
    // the scalar is still known by name, so its use in the update adds no second error
    assertThat(compile(source)).hadErrorCount(1);
  }

  @Test
  void aScalarClashesWithAHyperparameter() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, "@Scalar(\"momentum = lr*2\")", UPDATE_WITH_LR_T);
    assertError(source, "scalar 'momentum' clashes with a hyperparameter of the same name", "momentum = lr*2");
  }

  @Test
  void twoScalarsOfOneName() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"lr_t = lr*2\")", "@Scalar(\"lr_t = lr*3\")",
        UPDATE_WITH_LR_T);
    assertError(source, "scalar 'lr_t' clashes with a scalar of the same name", "lr_t = lr*3");
  }

  @Test
  void aScalarNameFollowsTheNamingRules() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"scalars = lr*2\")",
        "@Update(formulas = \"weight = weight - scalars*grad\")");
    assertError(source, "scalar name 'scalars' is reserved for generated code", "scalars = lr*2");
    assertThat(compile(source)).hadErrorContaining("at column 1:\n    scalars = lr*2\n    ^^^^^^^");
  }

  @Test
  void theUpdateCountIsBuiltIn() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Hyperparameter(name = \"t\", defaultValue = 1)",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "hyperparameter 't' clashes with a built-in name of the same name", "name = \"t\"");
  }

  @Test
  void anUpdateCannotAssignAScalar() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"lr_t = lr*2\")",
        "@Update(formulas = {\"lr_t = 1\", \"weight = weight - lr_t*grad\"})");
    assertError(source, "cannot assign to scalar 'lr_t': a @Scalar is computed once per update, before the elementwise "
        + "phase at column 1", "lr_t = 1");
  }

  @Test
  void powTakesTwoArguments() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"lr_t = lr*pow(t)\")", UPDATE_WITH_LR_T);
    assertError(source, "pow takes 2 arguments, found 1 at column 11", "pow(t)");
  }

  // ---- per-element temporaries (let) ----

  @Test
  void assigningAnUnknownNameSuggestsLet() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"g = rescale_grad*grad\", \"weight = weight - lr*g\"})");
    assertError(source, "only 'weight' and declared @State arrays can be assigned; a per-element temporary is declared "
        + "with 'let g = ...' at column 1", "g = rescale_grad*grad");
  }

  @Test
  void aTemporaryIsDeclaredOnce() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"let g = grad\", \"let g = 2*grad\", \"weight = weight - lr*g\"})");
    assertError(source, "temporary 'g' is already declared by a 'let' in this @Update (a temporary is assigned once) "
        + "at column 5", "let g = 2*grad");
  }

  @Test
  void aTemporaryIsNotReassigned() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"let g = grad\", \"g = 2*g\", \"weight = weight - lr*g\"})");
    assertError(source, "cannot assign to temporary 'g': a temporary is assigned once, by its 'let' at column 1",
        "g = 2*g");
  }

  @Test
  void aTemporaryMustBeRead() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, SWITCH, STATE,
        "@Update(when = \"momentum\", formulas = {\"let mon = momentum*mom - lr*grad\", \"weight = weight + mom\"})",
        "@Update(when = \"!momentum\", formulas = \"weight = weight - lr*grad\")");
    assertError(source, "temporary 'mon' is never read at column 5", "let mon");
  }

  @Test
  void aTemporaryIsReadOnlyAfterItsLet() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"weight = weight - lr*g\", \"let g = grad\"})");
    assertError(source, "temporary 'g' is read before its 'let' at column 22", "weight = weight - lr*g");
    assertThat(compile(source)).hadErrorCount(1);
  }

  @Test
  void aTemporaryCannotShadowASpecName() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"let lr = 2*grad\", \"weight = weight - lr\"})");
    assertError(source, "temporary 'lr' clashes with a name the spec already has at column 5", "let lr");
  }

  @Test
  void aTemporaryFollowsTheNamingRules() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"let offset = 2*grad\", \"weight = weight - offset\"})");
    assertError(source, "temporary 'offset' is reserved for generated code", "let offset");
    // reading the badly named temporary adds no second error
    assertThat(compile(source)).hadErrorCount(1);
  }

  @Test
  void aTemporaryCannotEndLikeTheLocalsOfAReduction() {
    // a reduction g_sq's partials live in g_sq_partials: a temporary of that name would be declared twice
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"let g_sq = sumsq(grad)\", \"let g_sq_partials = sum(grad)\","
            + " \"weight = weight - lr*g_sq*g_sq_partials*grad\"})");
    assertError(source, "temporary 'g_sq_partials' is reserved for generated code", "let g_sq_partials");
    assertThat(compile(source)).hadErrorCount(1);
  }

  @Test
  void letIsNotAName() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"let\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    assertError(source, "state name 'let' is the keyword that declares a temporary", "name = \"let\"");
  }

  @Test
  void aScalarHasNoLet() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"let lr_t = lr*2\")", UPDATE_WITH_LR_T);
    assertError(source, "a @Scalar is declared without 'let': write 'lr_t = ...' at column 1", "let lr_t");
  }

  @Test
  void aStateStartsAsZerosAsTheWeightOrFilledWithAHyperparameter() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"previous\", initial = \"ones\")",
        "@Update(formulas = {\"previous = weight\", \"weight = weight - lr*grad\"})");
    assertError(source, "a state starts as zeros (initial = \"0\"), as a copy of the weight (initial = \"weight\") or "
        + "filled with the value of a @Hyperparameter (initial = \"its name\"), found 'ones'", "initial = \"ones\"");
  }

  @Test
  void aStateFilledWithAMisspeltHyperparameterSuggestsIt() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Hyperparameter(name = \"initial_value\", defaultValue = 1e-6)",
        "@State(name = \"v\", initial = \"inital_value\")",
        "@Update(formulas = {\"v = v + grad*grad\", \"weight = weight - lr*grad/sqrt(v)\"})");
    assertError(source, "found 'inital_value' (did you mean 'initial_value'?)", "initial = \"inital_value\"");
  }

  @Test
  void aStateMayStartFilledWithAHyperparameter() {
    // TF Addons' Yogi: the second moment starts at initial_accumulator_value
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Hyperparameter(name = \"initial_value\", defaultValue = 1e-6)",
        "@State(name = \"v\", initial = \"initial_value\")",
        "@Update(formulas = {\"v = v + grad*grad\", \"weight = weight - lr*grad/sqrt(v)\"})");
    Compilation compilation = compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(0);
  }

  // ---- reductions ----

  @Test
  void aReductionIsTheWholeValueOfALet() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight - lr*sumsq(grad)\")");
    assertError(source, "sumsq(...) reduces over the whole tensor: write it as the whole value of a 'let', "
        + "e.g. 'let s = sumsq(grad)', and use that name at column 22", "sumsq(grad)");
  }

  @Test
  void aReductionDoesNotReduceAgain() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"let n = sum(grad*sumabs(grad))\", \"weight = weight - lr*n*grad\"})");
    assertError(source, "sumabs(...) reduces over the whole tensor inside another reduction: write it as the whole "
        + "value of a 'let', e.g. 'let s = sumabs(grad)', and use that name at column 18", "sumabs(grad)");
  }

  @Test
  void aTemporaryEndsWithItsPass() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"m\")", "@Update(formulas = {"
        + "\"let g = 2*grad\", \"m = g\", \"let m_sq = sumsq(m)\", \"weight = weight - lr*m_sq*g\"})");
    assertError(source, "temporary 'g' holds one value per element of the pass before a reduction (let ... = "
        + "sumsq(...)); after it, those values are gone: store it in a @State, or compute it again at column 27",
        "m_sq*g");
  }

  @Test
  void aTemporaryReadOnlyAfterItsPassIsNotAlsoReportedAsNeverRead() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = {"
        + "\"let g = 2*grad\", \"let w_sq = sumsq(weight)\", \"weight = weight - lr*w_sq*g\"})");
    assertOnlyError(source, "temporary 'g' holds one value per element of the pass before a reduction", "w_sq*g");
  }

  @Test
  void aLetThatDoesNotParseIsReportedOnceNotAgainWhereItsNameIsRead() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {\"let g = 2*(grad\", \"weight = weight - lr*g\"})");
    assertOnlyError(source, "expected ')' to close '(', found the end of the formula at column 16", "let g = 2*(grad");
  }

  @Test
  void aScalarCannotReduce() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"lr_t = lr*sumsq(weight)\")", UPDATE_WITH_LR_T);
    assertError(source, "sumsq(...) reduces an array: it belongs in an @Update, as 'let x = sumsq(weight)' at column 11",
        "lr_t = lr*sumsq(weight)");
  }

  @Test
  void clipGradientIsOnlyTheBoundOfClip() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = \"weight = weight - lr*clip(grad, 2*clip_gradient)\")");
    assertError(source, "clip_gradient is read only as the bound of clip(x, clip_gradient): unclipped variants drop "
        + "that clip, and there clip_gradient is -1 or not positive at column 35", "2*clip_gradient");
  }

  @Test
  void noiseIsDrawnPerElement() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Scalar(\"lr_t = lr*normal()\")", UPDATE_WITH_LR_T);
    assertError(source, "normal() draws one value per element: it belongs in an @Update formula at column 11",
        "lr*normal()");
  }

  // ---- scalar states ----

  @Test
  void aScalarStateStartsAsANumber() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"schedule\", scalar = true, initial = \"weight\")",
        "@Scalar(\"schedule = schedule*0.9\")", "@Update(formulas = \"weight = weight - lr*schedule*grad\")");
    assertError(source, "a scalar state starts as a number, e.g. initial = \"1\", found 'weight'", "initial = \"weight\"");
  }

  @Test
  void aScalarStateExistsInEveryVariant() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, SWITCH,
        "@State(name = \"schedule\", scalar = true, initial = \"1\", when = \"momentum\")",
        "@Update(formulas = \"weight = weight - lr*schedule*grad\")");
    assertError(source, "a scalar state exists in every variant: drop its when", "when = \"momentum\"");
  }

  @Test
  void aScalarStateIsAssignedInOnePlace() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"schedule\", scalar = true, initial = \"1\")",
        "@Scalar(\"schedule = 0.5*schedule\")",
        "@Update(formulas = {\"let g_sq = sumsq(grad)\", \"schedule = g_sq\", \"weight = weight - lr*schedule*grad\"})");
    assertError(source, "scalar state 'schedule' is assigned by a @Scalar, once per update before the elementwise "
        + "passes, and again here: assign it in one place at column 1", "schedule = g_sq");
  }

  @Test
  void aScalarStateIsNotAssignedAValuePerElement() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"nu\", scalar = true, initial = \"0\")",
        "@Update(formulas = {\"let g = 2*grad\", \"nu = 0.9*nu + g\", \"weight = weight - lr*nu*grad\"})");
    assertError(source, "scalar state 'nu' is one number per parameter: its formula may read scalars, reductions and "
        + "temporaries computed from them, not 'g', which has a value per element; reduce it first, e.g. "
        + "'let s = sum(g)' at column 15", "nu = 0.9*nu + g");
  }

  @Test
  void aScalarStateIsNotAssignedANoiseDraw() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"nu\", scalar = true, initial = \"0\")",
        "@Update(formulas = {\"nu = normal()\", \"weight = weight - lr*nu*grad\"})");
    assertError(source, "scalar state 'nu' is one number per parameter: normal() draws one value per element at "
        + "column 6", "nu = normal()");
  }

  @Test
  void aScalarStateMayBeReadBeforeItsPassOrOncePerCallInIt() {
    // the weight reads the old nu in the pass the reduction ends; 'old' reads it once per call, before nu's
    // new value, in the pass that assigns it: both are what the kernels compute
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"nu\", scalar = true, initial = \"0\")",
        "@Update(formulas = {\"weight = weight - lr*nu*grad\", \"let g_sq = sumsq(grad)\", \"let old = 2*nu\",",
        "    \"nu = g_sq + old\", \"weight = weight - lr*nu*grad\"})");
    Compilation compilation = compile(source);
    assertThat(compilation).succeeded();
  }

  @Test
  void aScalarStateIsNotAssignedAfterItIsReadPerElementInThePass() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"nu\", scalar = true, initial = \"0\")",
        "@Update(formulas = {\"let g_sq = sumsq(grad)\", \"weight = weight - lr*nu*grad\", \"nu = g_sq\"})");
    assertError(source, "scalar state 'nu' is read per element earlier in this pass, but the kernels compute it once, "
        + "before the pass's loop: assign it before those formulas, or after a reduction that ends the pass at "
        + "column 1", "nu = g_sq");
  }

  @Test
  void oneDrawPerUpdate() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER,
        "@Update(formulas = \"weight = weight + normal() - normal()\")");
    assertError(source, "a second normal() in one @Update would repeat the first draw of the element: write "
        + "'let z = normal()' and use z at column 30", "normal() - normal()");
  }

  // ---- parameter flags ----

  @Test
  void aParameterFlagNeedsNameEndings() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@ParameterFlag(name = \"exempt\", suffixes = {})",
        "@Update(formulas = \"weight = weight - lr*(1 - exempt)*grad\")");
    assertError(source, "a parameter flag needs name endings to look for, none of them empty", "suffixes = {}");
  }

  @Test
  void aParameterFlagIsReadOnly() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@ParameterFlag(name = \"exempt\", suffixes = \"bias\")",
        "@Update(formulas = {\"exempt = 1\", \"weight = weight - lr*grad\"})");
    assertError(source, "cannot assign to parameter flag 'exempt': it comes from the parameter's name at column 1",
        "exempt = 1");
  }

  // ---- generated class names ----

  private static final String PLAIN_UPDATE = "@Update(formulas = \"weight = weight - lr*grad\")";

  @Test
  void aSwitchLabelThatMakesAnotherSpecsKernelName() {
    JavaFileObject foo = SpecSources.named("FooSpec", "@OptimizerSpec(name = \"foo\")",
        "@Hyperparameter(name = \"momentum\", defaultValue = 0.9)", "@Switch(name = \"bar\", when = \"momentum > 0\")",
        PLAIN_UPDATE);
    JavaFileObject fooBar = SpecSources.named("FooBarSpec", "@OptimizerSpec(name = \"foo_bar\")", PLAIN_UPDATE);
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor()).compile(foo, fooBar);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("the generated class test.FooBarClippedF32Kernel (a kernel of FooSpec) "
        + "would clash with test.FooBarClippedF32Kernel, a kernel generated for test.FooBarSpec (and 5 more of their "
        + "generated classes); rename one of the specs, or a switch (switches name the kernels)").inFile(foo).onLineContaining("@OptimizerSpec");
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void aKernelTableThatIsAnotherSpecsOptimizer() {
    JavaFileObject foo = SpecSources.named("FooSpec", "@OptimizerSpec(name = \"foo\")", PLAIN_UPDATE);
    JavaFileObject fooKernels = SpecSources.named("FooKernelsSpec", "@OptimizerSpec(name = \"foo_kernels\")",
        PLAIN_UPDATE);
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor()).compile(foo, fooKernels);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("the generated class test.FooKernels (the kernel table of FooSpec) would "
        + "clash with test.FooKernels, the optimizer generated for test.FooKernelsSpec; rename one of the specs")
        .inFile(foo).onLineContaining("@OptimizerSpec");
    assertThat(compilation).hadErrorCount(1);
  }

  @Test
  void anOptimizerThatIsAHandWrittenClass() {
    JavaFileObject foo = SpecSources.named("FooSpec", "@OptimizerSpec(name = \"foo\")", PLAIN_UPDATE);
    JavaFileObject handWritten = com.google.testing.compile.JavaFileObjects.forSourceString("test.Foo",
        "package test;\n\npublic class Foo {}\n");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor()).compile(foo, handWritten);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("the generated class test.Foo (the optimizer of FooSpec) would clash with "
        + "the class test.Foo written in this compilation; rename the spec or that class")
        .inFile(foo).onLineContaining("@OptimizerSpec");
    assertThat(compilation).hadErrorCount(1);
  }

  // ---- the JVM's limits on generated methods ----

  /** {@code count} hyperparameters h0, h1, ..., all read by one update (with lr): count + 1 scalars. */
  private static JavaFileObject readingHyperparameters(int count) {
    java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(OPTIMIZER));
    StringBuilder sum = new StringBuilder("grad");
    for (int i = 0; i < count; i++) {
      lines.add("@Hyperparameter(name = \"h" + i + "\", defaultValue = 1)");
      sum.append(" + h").append(i);
    }
    lines.add("@Update(formulas = \"weight = weight - lr*(" + sum + ")\")");
    return SpecSources.spec(lines.toArray(String[]::new));
  }

  @Test
  void aKernelTakesAtMost255ParameterSlots() {
    // float64: weight, grad, offset, length, and 2 slots for each double scalar: 4 + 2*(124 + 1) = 254
    assertThat(compile(readingHyperparameters(124))).succeeded();
    assertError(readingHyperparameters(125), "the float64 kernel of this @Update (variant clipped) would take 256 "
        + "parameter slots, over the JVM's limit of 255 (JVM spec 4.3.3): one each for weight, grad, 0 state arrays, "
        + "offset and length, two for each of the 126 scalars it reads (a double); read fewer hyperparameters or "
        + "@Scalars in one @Update, or declare fewer states", "@Update(formulas = \"weight = weight - lr*(grad + h0");
  }

  /** {@code count} states, each assigned by the one update. */
  private static JavaFileObject withStates(int count) {
    java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(OPTIMIZER));
    StringBuilder formulas = new StringBuilder("\"weight = weight - lr*grad\"");
    for (int i = 0; i < count; i++) {
      lines.add("@State(name = \"s" + i + "\")");
      formulas.append(", \"s").append(i).append(" = grad\"");
    }
    lines.add("@Update(formulas = {" + formulas + "})");
    return SpecSources.spec(lines.toArray(String[]::new));
  }

  @Test
  void aKernelTakesOneParameterSlotPerState() {
    // float64: weight, grad, 249 states, offset, length = 253, and lr (2 slots) = 255
    assertThat(compile(withStates(249))).succeeded();
    assertError(withStates(250), "the float64 kernel of this @Update (variant clipped) would take 256 parameter slots, "
        + "over the JVM's limit of 255 (JVM spec 4.3.3): one each for weight, grad, 250 state arrays, offset and length, "
        + "two for each of the 1 scalars it reads (a double)", "@Update(formulas = {\"weight = weight - lr*grad\"");
  }

  /**
   * {@code count} distinct loop invariants, (lr + 0), (lr + 1), ..., as factors of temporaries of 100 each
   * (a temporary is never stored, so the float16 SIMD kernel stays small).
   */
  private static JavaFileObject withInvariants(int count) {
    StringBuilder formulas = new StringBuilder();
    String previous = "grad";
    for (int i = 0; i < count; i += 100) {
      formulas.append("\"let g").append(i).append(" = ").append(previous);
      for (int k = i; k < Math.min(count, i + 100); k++) {
        formulas.append("*(lr + ").append(k).append(")");
      }
      formulas.append("\", ");
      previous = "g" + i;
    }
    return SpecSources.spec(OPTIMIZER, "@Update(formulas = {" + formulas + "\"weight = weight - " + previous + "\"})");
  }

  @Test
  void aFloat16SimdKernelWithTooManyInvariantsIsLeftOut() {
    // lanes(weight, grad, laneStart, laneEnd, halfShift, lr, invariants...): 6 + 249 = 255 slots
    Compilation fits = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(withInvariants(249));
    assertThat(fits).succeeded();
    assertThat(fits).generatedSourceFile("test.TrialClippedF16VectorKernel");
    JavaFileObject over = withInvariants(250);
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(over);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadNoteContaining("variant clipped has no float16 SIMD kernel, only the scalar one: the SIMD "
        + "kernel's lanes() would take 256 parameter slots (arrays, 3 ints, the scalars read and the 250 loop "
        + "invariants), over the JVM's limit of 255").inFile(over).onLineContaining("@Update");
    assertThat(compilation.generatedSourceFile("test.TrialClippedF16VectorKernel").isPresent()).isFalse();
    assertThat(compilation).generatedSourceFile("test.TrialClippedF32VectorKernel");
  }

  private static Compilation compileWithVectors(JavaFileObject source) {
    return javac().withProcessors(new OptimizerSpecProcessor()).withOptions("--add-modules", "jdk.incubator.vector")
        .compile(source);
  }

  /** One @Update of {@code count} formulas {@code weight = weight - (lr + k)*grad}: each stores the weight. */
  private static JavaFileObject storingTheWeight(int count) {
    java.util.List<String> formulas = new java.util.ArrayList<>();
    for (int k = 0; k < count; k++) {
      formulas.add("\"weight = weight - (lr + " + k + ")*grad\"");
    }
    return SpecSources.spec(OPTIMIZER, "@Update(formulas = {" + String.join(", ", formulas) + "})");
  }

  @Test
  void aFloat16SimdKernelOverTheJvmsCodeLimitIsLeftOut() {
    // each stored weight narrows, stores and widens again: about 179 tokens of lanesFromMemory() per formula
    Compilation fits = compileWithVectors(storingTheWeight(121));
    assertThat(fits).succeeded();
    assertThat(fits).generatedSourceFile("test.TrialClippedF16VectorKernel");
    JavaFileObject over = storingTheWeight(122);
    Compilation compilation = compileWithVectors(over);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadNoteContaining("variant clipped has no float16 SIMD kernel, only the scalar one: the SIMD "
        + "kernel's lanesFromMemory() could compile to up to 66,057 bytes of bytecode (22,019 tokens of Java, at most 3 bytes "
        + "each), over the JVM's limit of 65,535 bytes per method").inFile(over).onLineContaining("@Update");
    assertThat(compilation.generatedSourceFile("test.TrialClippedF16VectorKernel").isPresent()).isFalse();
    assertThat(compilation).generatedSourceFile("test.TrialClippedF16Kernel");
    assertThat(compilation).generatedSourceFile("test.TrialClippedF32VectorKernel");
    // the kernel table lists only the twins written
    assertThat(compilation).generatedSourceFile("test.TrialKernels").contentsAsUtf8String()
        .contains("SIMD_TWINS = 4");
  }

  /** {@code count} distinct literals, grad*0.5 + grad*1.5 + ..., in temporaries of 100 terms each. */
  private static JavaFileObject withLiterals(int count) {
    StringBuilder formulas = new StringBuilder();
    String previous = "grad";
    for (int i = 0; i < count; i += 100) {
      formulas.append("\"let g").append(i).append(" = ").append(previous);
      for (int k = i; k < Math.min(count, i + 100); k++) {
        formulas.append(" + grad*").append(k).append(".5");
      }
      formulas.append("\", ");
      previous = "g" + i;
    }
    return SpecSources.spec(OPTIMIZER, "@Update(formulas = {" + formulas + "\"weight = weight - lr*" + previous + "\"})");
  }

  @Test
  void aFloat32SimdKernelOverTheJvmsCodeLimitIsLeftOut() {
    // a literal is a broadcast before the loop and an operand in it: about 15 tokens of updateFromMemory() each (the largest method: lanes through handles)
    Compilation fits = compileWithVectors(withLiterals(1440));
    assertThat(fits).succeeded();
    assertThat(fits).generatedSourceFile("test.TrialClippedF32VectorKernel");
    JavaFileObject over = withLiterals(1441);
    Compilation compilation = compileWithVectors(over);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadNoteContaining("variant clipped has no float32 SIMD kernel, only the scalar one: the SIMD "
        + "kernel's updateFromMemory() could compile to up to 65,568 bytes of bytecode (21,856 tokens of Java, at most 3 bytes "
        + "each), over the JVM's limit of 65,535 bytes per method").inFile(over).onLineContaining("@Update");
    assertThat(compilation.generatedSourceFile("test.TrialClippedF32VectorKernel").isPresent()).isFalse();
    assertThat(compilation).generatedSourceFile("test.TrialClippedF32Kernel");
  }

  /** {@code count} temporaries, each one addition: let g1 = g0 + grad, ... */
  private static JavaFileObject withTemporaries(int count) {
    StringBuilder formulas = new StringBuilder("\"let g0 = grad*grad\", ");
    for (int i = 1; i < count; i++) {
      formulas.append("\"let g").append(i).append(" = g").append(i - 1).append(" + grad\", ");
    }
    return SpecSources.spec(OPTIMIZER,
        "@Update(formulas = {" + formulas + "\"weight = weight - lr*g" + (count - 1) + "\"})");
  }

  @Test
  void aScalarKernelOverTheJvmsCodeLimitIsAnError() {
    // about 8 tokens per temporary; the float16 kernel's buffer update (conversions to and from half) is the largest
    assertThat(compile(withTemporaries(2719))).succeeded();
    assertError(withTemporaries(2720), "the float16 kernel of this @Update (variant clipped) is too large for the JVM: "
        + "its update() could compile to up to 65,559 bytes of bytecode (21,853 tokens of Java, at most 3 bytes each), "
        + "over the JVM's limit of 65,535 bytes per method; write fewer or shorter formulas in one @Update",
        "@Update(formulas = {\"let g0 = grad*grad\"");
  }

  @Test
  void aStateReadButNeverAssignedIsAnError() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"v\")",
        "@Update(formulas = \"weight = weight - lr*grad/(v + 1)\")");
    assertError(source, "state 'v' is read, but no @Update assigns it: it would be zeros in every update "
        + "(initial = \"0\"); assign it in an @Update, or write 0 at column 28", "grad/(v + 1)");
  }

  @Test
  void aStateFilledWithAHyperparameterReadButNeverAssignedIsAnError() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Hyperparameter(name = \"eps\", defaultValue = 1e-6)",
        "@State(name = \"v\", initial = \"eps\")", "@Update(formulas = \"weight = weight - lr*grad/(v + 1)\")");
    assertError(source, "state 'v' is read, but no @Update assigns it: every element would be eps in every update "
        + "(initial = \"eps\"); assign it in an @Update, or read eps at column 28", "grad/(v + 1)");
  }

  @Test
  void aStateStartingAsTheWeightMayOnlyBeRead() {
    // a copy of the weight when the state was created: the anchor of a regularizer towards the starting point
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"start\", initial = \"weight\")",
        "@Update(formulas = \"weight = weight - lr*(grad + 0.1*(weight - start))\")");
    Compilation compilation = compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(0);
  }

  @Test
  void anUnusedStateIsAWarning() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"velocity\")",
        "@Update(formulas = \"weight = weight - lr*grad\")");
    Compilation compilation = compile(source);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningContaining("state 'velocity' is never used by any formula, yet it costs an array "
        + "as large as the weight for every parameter: remove it").inFile(source)
        .onLineContaining("@State(name = \"velocity\")");
  }

  @Test
  void aScalarStateNoScalarAssignsIsAnError() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@State(name = \"schedule\", scalar = true, initial = \"1\")",
        "@Update(formulas = \"weight = weight - lr*schedule*grad\")");
    assertError(source, "scalar state 'schedule' is never assigned: no @Scalar or @Update computes it, so it would be "
        + "1.0 in every update; assign it with @Scalar(\"schedule = ...\") or in an @Update, or make it a "
        + "@Hyperparameter", "@State(name = \"schedule\"");
  }

  @Test
  void aLiteralThatIsZeroInFloatIsAnError() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight - lr*grad/(1 + 1e-50)\")");
    assertError(source, "number '1e-50' is too small for float32 and float16 kernels: it would become 0.0 (smallest "
        + "float: 1.4E-45) at column 32", "1e-50");
  }

  @Test
  void aLiteralThatIsZeroInDoubleIsAnError() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, "@Update(formulas = \"weight = weight - lr*grad/(1 + 1e-400)\")");
    assertError(source, "number '1e-400' is too small for a double: it would become 0.0 (smallest double: 4.9E-324) at "
        + "column 32", "1e-400");
  }

  @Test
  void aChoiceIsMadeByASwitch() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, SWITCH, STATE,
        "@Update(formulas = {\"mom = if(fast, momentum*mom + grad, mom)\", \"weight = weight - lr*grad\"})");
    assertError(source, "if(...) chooses a formula per variant, when the kernels are generated: its first argument is a "
        + "switch, one of [momentum, clipped], not 'fast'; a choice per element is where(c, a, b) at column 10",
        "if(fast");
  }

  @Test
  void aChoiceOfAnExpressionIsNotASwitch() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, SWITCH,
        "@Update(formulas = \"weight = weight - lr*if(2*momentum, grad, 0)\")");
    assertError(source, "its first argument is a switch, one of [momentum, clipped], not an expression", "if(2*momentum");
  }

  @Test
  void aScalarHasNoChoicePerVariant() {
    JavaFileObject source = SpecSources.spec(OPTIMIZER, HYPER, SWITCH, "@Scalar(\"lr_t = if(momentum, lr, 2*lr)\")",
        UPDATE_WITH_LR_T);
    assertError(source, "if(...) chooses a formula per variant: it belongs in @Update formulas; a @Scalar is computed "
        + "once for every variant", "if(momentum, lr");
  }
}
