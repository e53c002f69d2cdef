package org.optikern.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A few generated files, checked in as they are generated: a change in what the processor writes
 * shows up in review as a diff of real generated code, not only as a changed assertion. The README's
 * momentum SGD, compiled with the vector module: its float32 kernel, its float32 SIMD twin and its
 * float16 SIMD twin, and the kernel table, as javac of JDK 17 compiles them. After an intended change, regenerate with
 * {@code mvn -pl processor -am test -Dtest=GoldenGeneratedFilesTest -Doptikern.updateGolden=true}
 * and commit the files under {@code src/test/resources/golden/}.
 */
class GoldenGeneratedFilesTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final List<String> FILES = List.of("MomentumSgdMomentumClippedF32Kernel",
      "MomentumSgdMomentumClippedF32VectorKernel", "MomentumSgdMomentumClippedF16VectorKernel", "MomentumSgdKernels");

  @Test
  void generatedFilesAreTheCheckedInOnes() throws IOException {
    // the twins call fromByteBuffer only where the compiling JDK's Vector API has it: the files are JDK 17's
    Assumptions.assumeTrue(Runtime.version().feature() < 19, "the golden files are what javac of JDK 17 or 18 "
        + "generates; this JDK's Vector API has no fromByteBuffer, so its twins differ");
    Compilation compilation = javac().withProcessors(new OptimizerSpecProcessor())
        .withOptions("--add-modules", "jdk.incubator.vector").compile(GeneratedCodeTest.SGD);
    assertThat(compilation).succeeded();
    boolean update = Boolean.getBoolean("optikern.updateGolden");
    for (String name : FILES) {
      String generated = compilation.generatedSourceFile("test." + name).orElseThrow().getCharContent(true).toString();
      Path golden = GOLDEN.resolve(name + ".java.txt");
      if (update) {
        Files.createDirectories(GOLDEN);
        Files.writeString(golden, generated, StandardCharsets.UTF_8);
      }
      assertEquals(Files.readString(golden, StandardCharsets.UTF_8), generated, name + " differs from " + golden
          + " (after an intended change: -Doptikern.updateGolden=true, and commit the new file)");
    }
  }
}
