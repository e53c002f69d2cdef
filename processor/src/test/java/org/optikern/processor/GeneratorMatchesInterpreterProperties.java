package org.optikern.processor;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.optikern.interp.Interpreter;
import org.optikern.kernel.UpdateKernel;
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
        .compile(JavaFileObjects.forSourceString("fuzz." + spec.typeName(), spec.source()));
    assertEquals(Compilation.Status.SUCCESS, compilation.status(),
        () -> compilation.diagnostics() + "\n" + spec.source());

    ClassLoader loader = new CompiledClassLoader(compilation);
    Class<?> specType = loader.loadClass("fuzz." + spec.typeName());
    String optimizer = spec.typeName().substring(0, spec.typeName().length() - "Spec".length());
    @SuppressWarnings("unchecked")
    List<UpdateKernel> kernels = (List<UpdateKernel>) loader.loadClass("fuzz." + optimizer + "Kernels")
        .getField("SCALAR").get(null);
    assertEquals(3 * (2 << spec.switchCount()), kernels.size(), "every dtype x switch combination x clipped");
    Interpreter interpreter = new Interpreter(SpecReader.model(specType));

    for (UpdateKernel kernel : kernels) {
      for (int run = 0; run < 3; run++) {
        try {
          KernelVerification.check(kernel, interpreter, random.nextLong());
        } catch (AssertionError mismatch) {
          throw new AssertionError(mismatch.getMessage() + "\n" + spec.source(), mismatch);
        }
      }
    }
  }
}
