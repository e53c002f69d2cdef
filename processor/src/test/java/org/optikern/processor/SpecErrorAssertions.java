package org.optikern.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import javax.tools.JavaFileObject;

/** Compiling a spec with the processor, and the assertion every error test makes: this message, on that line. */
final class SpecErrorAssertions {
  private SpecErrorAssertions() {}

  static Compilation compile(JavaFileObject source) {
    return javac().withProcessors(new OptimizerSpecProcessor()).compile(source);
  }

  /** The compilation fails with {@code message} on the line of {@code source} that contains {@code onLineContaining}. */
  static void assertError(JavaFileObject source, String message, String onLineContaining) {
    assertErrorIn(compile(source), source, message, onLineContaining);
  }

  /** As {@link #assertError}, and no other error: the mistake is not reported again as its consequences. */
  static void assertOnlyError(JavaFileObject source, String message, String onLineContaining) {
    Compilation compilation = compile(source);
    assertErrorIn(compilation, source, message, onLineContaining);
    assertThat(compilation).hadErrorCount(1);
  }

  private static void assertErrorIn(Compilation compilation, JavaFileObject source, String message,
      String onLineContaining) {
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(message).inFile(source).onLineContaining(onLineContaining);
  }
}
