package org.optikern.processor;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.TypeSpec;
import javax.annotation.processing.Generated;
import javax.lang.model.element.Element;

/** What every generated file of one spec shares: the {@code @Generated} marker naming its spec. */
record Generation(String specType, Element origin) {
  /** A class builder with the marker and the spec as originating element (for incremental builds). */
  TypeSpec.Builder classBuilder(com.palantir.javapoet.ClassName name) {
    return TypeSpec.classBuilder(name).addAnnotation(generatedAnnotation()).addOriginatingElement(origin);
  }

  AnnotationSpec generatedAnnotation() {
    return AnnotationSpec.builder(Generated.class)
        .addMember("value", "$S", OptimizerSpecProcessor.class.getName())
        .addMember("comments", "$S", "from " + specType)
        .build();
  }
}
