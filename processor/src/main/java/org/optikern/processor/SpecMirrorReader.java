package org.optikern.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import org.optikern.model.RawSpec;
import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.ParameterFlag;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;

/**
 * Reads a spec from annotation mirrors: the compile-time twin of {@code SpecReader}. It only
 * copies values; every check lives in the shared {@code SpecResolver}.
 */
final class SpecMirrorReader {
  private final Elements elements;

  SpecMirrorReader(Elements elements) {
    this.elements = elements;
  }

  RawSpec read(TypeElement type) {
    AnnotationMirror spec = annotation(type, OptimizerSpec.class);
    MirrorOrigin specOrigin = new MirrorOrigin(type, spec);
    List<RawSpec.RawHyperparameter> hyperparameters = new ArrayList<>();
    for (MirrorOrigin o : repeated(type, Hyperparameter.class, Hyperparameter.List.class)) {
      AnnotationMirror m = o.mirror();
      hyperparameters.add(new RawSpec.RawHyperparameter(string(m, "name"), number(m, "defaultValue"),
          string(m, "doc"), string(m, "valid"), o));
    }
    List<RawSpec.RawSwitch> switches = new ArrayList<>();
    for (MirrorOrigin o : repeated(type, Switch.class, Switch.List.class)) {
      AnnotationMirror m = o.mirror();
      switches.add(new RawSpec.RawSwitch(string(m, "name"), string(m, "when"), o));
    }
    List<RawSpec.RawState> states = new ArrayList<>();
    for (MirrorOrigin o : repeated(type, State.class, State.List.class)) {
      AnnotationMirror m = o.mirror();
      states.add(new RawSpec.RawState(string(m, "name"), string(m, "when"), string(m, "initial"),
          typed(raw(m, "scalar"), Boolean.class, "scalar"), string(m, "shape"), o));
    }
    List<RawSpec.RawScalar> scalars = new ArrayList<>();
    for (MirrorOrigin o : repeated(type, Scalar.class, Scalar.List.class)) {
      AnnotationMirror m = o.mirror();
      scalars.add(new RawSpec.RawScalar(string(m, "value"), string(m, "doc"), o));
    }
    List<RawSpec.RawParameterFlag> flags = new ArrayList<>();
    for (MirrorOrigin o : repeated(type, ParameterFlag.class, ParameterFlag.List.class)) {
      AnnotationMirror m = o.mirror();
      flags.add(new RawSpec.RawParameterFlag(string(m, "name"), strings(m, "suffixes"), o));
    }
    List<RawSpec.RawUpdate> updates = new ArrayList<>();
    for (MirrorOrigin o : repeated(type, Update.class, Update.List.class)) {
      AnnotationMirror m = o.mirror();
      updates.add(new RawSpec.RawUpdate(string(m, "when"), strings(m, "formulas"), o));
    }
    PackageElement pkg = elements.getPackageOf(type);
    return new RawSpec(pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString(), type.getSimpleName().toString(),
        string(spec, "name"), strings(spec, "aliases"), number(spec, "learningRate"),
        strings(spec, "decayedNameSuffixes"), specOrigin, hyperparameters, switches, states, scalars, flags, updates);
  }

  /** The value of {@code attribute} on {@code mirror}, as written or defaulted; null if absent. */
  AnnotationValue value(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(mirror).entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(attribute)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The value as written (not defaulted), for pointing errors at the text the user wrote. */
  AnnotationValue explicitValue(AnnotationMirror mirror, String attribute) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(attribute)) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The mirror of {@code annotation} on {@code element}, which must have it. */
  AnnotationMirror annotation(Element element, Class<?> annotation) {
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      if (isType(m, annotation)) {
        return m;
      }
    }
    throw new IllegalStateException(element + " has no @" + annotation.getSimpleName());
  }

  /** Single occurrences and the container javac builds for repeated ones, in source order. */
  private List<MirrorOrigin> repeated(TypeElement type, Class<?> annotation, Class<?> container) {
    List<MirrorOrigin> result = new ArrayList<>();
    for (AnnotationMirror m : type.getAnnotationMirrors()) {
      if (isType(m, annotation)) {
        result.add(new MirrorOrigin(type, m));
      } else if (isType(m, container)) {
        List<?> items = typed(raw(m, "value"), List.class, "value");
        for (int index = 0; index < items.size(); index++) {
          AnnotationValue entry = typed(items.get(index), AnnotationValue.class, "value");
          result.add(new MirrorOrigin(type, typed(entry.getValue(), AnnotationMirror.class, "value"), m, index));
        }
      }
    }
    return result;
  }

  private static boolean isType(AnnotationMirror mirror, Class<?> annotation) {
    TypeElement element = (TypeElement) mirror.getAnnotationType().asElement();
    return element.getQualifiedName().contentEquals(annotation.getCanonicalName());
  }

  /** A value javac could not compile (an undefined constant, a missing attribute); javac reports it itself. */
  static final class ErroneousValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ErroneousValueException(String attribute) {
      super(attribute);
    }
  }

  private <T> T typed(Object value, Class<T> type, String attribute) {
    if (!type.isInstance(value)) {
      throw new ErroneousValueException(attribute);
    }
    return type.cast(value);
  }

  private Object raw(AnnotationMirror mirror, String attribute) {
    AnnotationValue value = value(mirror, attribute);
    if (value == null) {
      throw new ErroneousValueException(attribute);
    }
    return value.getValue();
  }

  /** javac's stand-in for a value it could not attribute (its {@code Attribute.Error} visits as this string). */
  private static final String JAVAC_ERROR = "<error>";

  private String string(AnnotationMirror mirror, String attribute) {
    String value = typed(raw(mirror, attribute), String.class, attribute);
    if (value.equals(JAVAC_ERROR)) {
      throw new ErroneousValueException(attribute);
    }
    return value;
  }

  private double number(AnnotationMirror mirror, String attribute) {
    return typed(raw(mirror, attribute), Number.class, attribute).doubleValue();
  }

  private List<String> strings(AnnotationMirror mirror, String attribute) {
    List<String> result = new ArrayList<>();
    for (Object item : typed(raw(mirror, attribute), List.class, attribute)) {
      String value = typed(typed(item, AnnotationValue.class, attribute).getValue(), String.class, attribute);
      if (value.equals(JAVAC_ERROR)) {
        throw new ErroneousValueException(attribute);
      }
      result.add(value);
    }
    return result;
  }
}
