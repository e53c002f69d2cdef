package org.optikern.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's user project is the one the build compiles and tests ({@code user-project-check},
 * which builds {@code src/it/readme-user-project} against this build's artifacts): its
 * {@code pom.xml} and sources appear in the README verbatim, so what a newcomer copies is what CI
 * built.
 */
class ReadmeUserProjectTest {
  private static final Path ROOT = Path.of("..");
  private static final Path PROJECT = ROOT.resolve("user-project-check/src/it/readme-user-project");

  private static List<String> fencedBlocks(String markdown) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  private static String read(Path path) throws IOException {
    return Files.readString(path);
  }

  @Test
  void theReadmeShowsTheUserProjectVerbatim() throws IOException {
    List<String> blocks = fencedBlocks(read(ROOT.resolve("README.md")));
    Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(read(ROOT.resolve("pom.xml")));
    assertTrue(version.find());
    String pom = read(PROJECT.resolve("pom.xml")).replace("@project.version@", version.group(1));
    assertTrue(blocks.contains(pom), "the README's user pom.xml differs from " + PROJECT.resolve("pom.xml"));
    for (String source : List.of("src/main/java/com/example/MomentumSgdSpec.java",
        "src/test/java/com/example/VerifiedSpecs.java")) {
      assertTrue(blocks.contains(read(PROJECT.resolve(source))), "the README does not show " + source + " verbatim");
    }
  }

  @Test
  void theReadmeUsageSnippetIsTheOneTheUserProjectRuns() throws IOException {
    String usage = fencedBlocks(read(ROOT.resolve("README.md"))).stream()
        .filter(b -> b.startsWith("Optimizer opt = Optimizer.create(\"msgd\"")).findFirst().orElseThrow();
    String test = read(PROJECT.resolve("src/test/java/com/example/UsageExampleTest.java"));
    for (String line : usage.strip().split("\n")) {
      assertTrue(test.contains("    " + line + "\n"), "UsageExampleTest does not run the README's line: " + line);
    }
  }

  @Test
  void theUserProjectChecksThatItsSuitesRan() throws IOException {
    String script = read(PROJECT.resolve("verify.groovy"));
    assertTrue(script.contains("TEST-com.example.MomentumSgdKernelTests.xml"));
    assertEquals(1, fencedBlocks(read(ROOT.resolve("README.md"))).stream().filter(b -> b.contains("<project")).count(),
        "one complete pom.xml in the README");
  }
}
