package org.optikern.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.optikern.spec.OptimizerSpec;

/** How the class path's factories decide a name: never by their order. */
class OptimizerRegistryTest {
  @OptimizerSpec(name = "adam", replaces = true)
  interface ReplacingSpec {}

  @OptimizerSpec(name = "adam")
  interface PlainSpec {}

  private abstract static class Named implements OptimizerFactory {
    @Override
    public String name() {
      return "adam";
    }

    @Override
    public Optimizer create(Map<String, ?> params) {
      throw new UnsupportedOperationException();
    }
  }

  static final class BuiltIn extends Named {}

  static final class Accidental extends Named {
    @Override
    public Optional<Class<?>> spec() {
      return Optional.of(PlainSpec.class);
    }
  }

  static final class OnPurpose extends Named {
    @Override
    public Optional<Class<?>> spec() {
      return Optional.of(ReplacingSpec.class);
    }
  }

  static final class AlsoOnPurpose extends Named {
    @Override
    public Optional<Class<?>> spec() {
      return Optional.of(ReplacingSpec.class);
    }

    @Override
    public List<String> aliases() {
      return List.of("ADAM_TOO");
    }
  }

  @Test
  void aFactoryThatReplacesWinsInEitherOrder() {
    OptimizerFactory builtIn = new BuiltIn();
    OptimizerFactory onPurpose = new OnPurpose();
    assertSame(onPurpose, OptimizerRegistry.resolve(List.of(builtIn, onPurpose)).factories().get("adam"));
    assertSame(onPurpose, OptimizerRegistry.resolve(List.of(onPurpose, builtIn)).factories().get("adam"));
  }

  @Test
  void anAccidentalClashIsAmbiguousAndNamesBoth() {
    OptimizerRegistry.Resolution r = OptimizerRegistry.resolve(List.of(new BuiltIn(), new Accidental()));
    assertTrue(r.factories().isEmpty());
    assertEquals("optimizer name 'adam' is claimed by 2 optimizers on the class path: "
        + "org.optikern.optim.OptimizerRegistryTest$Accidental and org.optikern.optim.OptimizerRegistryTest$BuiltIn; "
        + "mark the one to use with @OptimizerSpec(replaces = true), rename the other, or register one explicitly "
        + "with Optimizer.register", OptimizerRegistry.ambiguity("adam", r.ambiguous().get("adam")));
  }

  @Test
  void twoThatReplaceAreAmbiguousToo() {
    OptimizerRegistry.Resolution r = OptimizerRegistry.resolve(List.of(new OnPurpose(), new AlsoOnPurpose()));
    assertEquals(2, r.ambiguous().get("adam").size());
    assertTrue(r.factories().containsKey("adam_too"), "an alias only one claims is not ambiguous");
  }

  @Test
  void theSameFactoryFoundTwiceIsOne() {
    OptimizerRegistry.Resolution r = OptimizerRegistry.resolve(List.of(new BuiltIn(), new BuiltIn()));
    assertTrue(r.ambiguous().isEmpty());
    assertEquals(BuiltIn.class, r.factories().get("adam").getClass());
  }
}
