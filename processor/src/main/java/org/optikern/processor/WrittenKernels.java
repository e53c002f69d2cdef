package org.optikern.processor;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.JavaFile;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernels the processor wrote for one spec, in the order it wrote them (dtype, then variant):
 * every scalar kernel, and the SIMD twins that were not left out. The processor decides which
 * kernels exist, once; the kernel table lists exactly these.
 */
final class WrittenKernels {
  private final List<ClassName> scalar = new ArrayList<>();
  private final List<ClassName> twins = new ArrayList<>();

  void addScalar(JavaFile kernel) {
    scalar.add(ClassName.get(kernel.packageName(), kernel.typeSpec().name()));
  }

  void addTwin(JavaFile twin) {
    twins.add(ClassName.get(twin.packageName(), twin.typeSpec().name()));
  }

  List<ClassName> scalar() {
    return List.copyOf(scalar);
  }

  List<ClassName> twins() {
    return List.copyOf(twins);
  }
}
