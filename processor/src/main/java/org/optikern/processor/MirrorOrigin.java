package org.optikern.processor;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;

/** Where a part of a spec was written: the annotation on the spec type, for diagnostics. */
record MirrorOrigin(Element element, AnnotationMirror mirror) {
  @Override
  public String toString() {
    return element + " " + mirror;
  }
}
