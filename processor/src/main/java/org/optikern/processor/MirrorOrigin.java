package org.optikern.processor;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;

/**
 * Where a part of a spec was written, for diagnostics: the annotation, and, for a repeated
 * annotation, the container javac wraps it in. javac locates a message only through an annotation
 * written directly on the element, so messages about a repeated one go through its container.
 */
record MirrorOrigin(Element element, AnnotationMirror mirror, AnnotationMirror container, int indexInContainer) {
  MirrorOrigin(Element element, AnnotationMirror mirror) {
    this(element, mirror, null, -1);
  }

  @Override
  public String toString() {
    return element + " " + mirror;
  }
}
