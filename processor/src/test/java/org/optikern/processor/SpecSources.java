package org.optikern.processor;

import com.google.testing.compile.JavaFileObjects;
import javax.tools.JavaFileObject;

/** Builds spec source files for compile tests from a few annotation lines. */
final class SpecSources {
  private SpecSources() {}

  /** {@code test.TrialSpec} with the given annotation lines above {@code public interface TrialSpec {}}. */
  static JavaFileObject spec(String... annotationLines) {
    return named("TrialSpec", annotationLines);
  }

  static JavaFileObject named(String typeName, String... annotationLines) {
    StringBuilder source = new StringBuilder()
        .append("package test;\n\n")
        .append("import org.optikern.spec.*;\n\n");
    for (String line : annotationLines) {
      source.append(line).append('\n');
    }
    source.append("public interface ").append(typeName).append(" {}\n");
    return JavaFileObjects.forSourceString("test." + typeName, source.toString());
  }
}
