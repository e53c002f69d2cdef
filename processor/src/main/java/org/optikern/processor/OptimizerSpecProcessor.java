package org.optikern.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.FilerException;
import javax.annotation.processing.Messager;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;
import javax.tools.FileObject;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.optikern.model.Conditions;
import org.optikern.model.Diagnostic;
import org.optikern.model.OptimizerModel;
import org.optikern.model.RawSpec;
import org.optikern.model.SpecResolver;
import org.optikern.model.SwitchSet;
import org.optikern.optim.OptimizerFactory;
import org.optikern.spec.Hyperparameter;
import org.optikern.spec.OptimizerSpec;
import org.optikern.spec.ParameterFlag;
import org.optikern.spec.Scalar;
import org.optikern.spec.State;
import org.optikern.spec.Switch;
import org.optikern.spec.Update;
import org.optikern.spec.VerifyKernels;
import org.optikern.tensor.DType;

/**
 * Compiles {@link OptimizerSpec}s. Per spec: read the annotations into a raw spec, validate it
 * with the shared resolver (reporting every problem on the annotation it concerns), then write
 * one kernel per variant, the kernel table, the optimizer class and its registry entry. The files of
 * every spec of a round are generated in memory first; a spec whose class names clash with another
 * spec's or with a type written in this compilation is an error on its {@code @OptimizerSpec}, and
 * nothing of it is written ({@link ClassNameClaims}). A bad spec is a compile error, never a
 * processor crash: any unexpected exception is reported as an error on the spec, with its stack trace.
 */
@AutoService(Processor.class)
public final class OptimizerSpecProcessor extends AbstractProcessor {
  static final String SERVICES_FILE = "META-INF/services/" + OptimizerFactory.class.getName();

  private final Set<String> factories = new TreeSet<>();
  private RepeatedAnnotationLocator locator;
  private ClassNameClaims claims;

  /** Every spec annotation: this processor claims them all, so javac does not warn that none did. */
  private static final List<Class<? extends Annotation>> SPEC_PARTS = List.of(Hyperparameter.class,
      Hyperparameter.List.class, Switch.class, Switch.List.class, State.class, State.List.class, Scalar.class,
      Scalar.List.class, ParameterFlag.class, ParameterFlag.List.class, Update.class, Update.List.class);

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    Set<String> names = new TreeSet<>();
    names.add(OptimizerSpec.class.getCanonicalName());
    names.add(VerifyKernels.class.getCanonicalName());
    SPEC_PARTS.forEach(part -> names.add(part.getCanonicalName()));
    return names;
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    // every spec of the round is checked and generated in memory first, then each claims its class names
    // (in order of qualified name, so that the result does not depend on the order of the source files)
    List<PlannedSpec> planned = new ArrayList<>();
    List<Element> specs = new ArrayList<>(round.getElementsAnnotatedWith(OptimizerSpec.class));
    specs.sort(Comparator.comparing(OptimizerSpecProcessor::qualifiedName));
    for (Element element : specs) {
      guarded(element, "this spec", e -> planSpec(e, planned));
    }
    for (PlannedSpec spec : planned) {
      guarded(spec.type(), "this spec", e -> writeSpec(spec));
    }
    for (Element element : round.getElementsAnnotatedWith(VerifyKernels.class)) {
      guarded(element, "@VerifyKernels", this::processVerification);
    }
    for (Class<? extends Annotation> part : SPEC_PARTS) {
      for (Element element : round.getElementsAnnotatedWith(part)) {
        if (element.getAnnotation(OptimizerSpec.class) == null) {
          Class<?> named = part.getEnclosingClass() != null ? part.getEnclosingClass() : part;
          processingEnv.getMessager().printMessage(Kind.ERROR, "@" + named.getSimpleName()
              + " has no effect without @OptimizerSpec on the same interface", element);
        }
      }
    }
    if (round.processingOver() && !factories.isEmpty()) {
      writeServices();
    }
    return true;
  }

  private interface ElementStep {
    void process(Element element) throws IOException;
  }

  /** Runs one element's step; anything unexpected becomes an error on the element, never a crash. */
  private void guarded(Element element, String what, ElementStep step) {
    try {
      step.process(element);
    } catch (SpecMirrorReader.ErroneousValueException javacReportsIt) {
      // an annotation value javac could not compile (it reports that itself): nothing to add
    } catch (RuntimeException | IOException | StackOverflowError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      processingEnv.getMessager().printMessage(Kind.ERROR,
          "[OptikernInternal] the Optikern processor failed on " + what + "; please report it with the spec:\n" + trace,
          element);
    }
  }

  private void planSpec(Element element, List<PlannedSpec> planned) throws IOException {
    Messager messager = processingEnv.getMessager();
    if (element.getKind() != ElementKind.INTERFACE) {
      messager.printMessage(Kind.ERROR, "@OptimizerSpec belongs on an interface (the spec declares, it does not implement)",
          element);
      return;
    }
    TypeElement type = (TypeElement) element;
    if (!type.getSimpleName().toString().endsWith(Names.SPEC_SUFFIX)
        || type.getSimpleName().length() == Names.SPEC_SUFFIX.length()) {
      messager.printMessage(Kind.ERROR, "an @OptimizerSpec interface is named XxxSpec; the generated optimizer is "
          + "then named Xxx (found '" + type.getSimpleName() + "')", element);
      return;
    }
    if (type.getNestingKind().isNested() || type.getModifiers().contains(Modifier.PRIVATE)) {
      messager.printMessage(Kind.ERROR, "an @OptimizerSpec interface must be a top-level type", element);
      return;
    }
    SpecMirrorReader reader = new SpecMirrorReader(processingEnv.getElementUtils());
    RawSpec raw = reader.read(type);
    SpecResolver.Result result = SpecResolver.resolve(raw);
    for (Diagnostic d : result.diagnostics()) {
      report(reader, d);
    }
    if (result.model().isEmpty()) {
      return;
    }
    OptimizerModel model = result.model().get();
    if (!fitsTheJvm(reader, raw, model)) {
      return;
    }
    Generation generation = new Generation(type.getQualifiedName().toString(), type);
    List<JavaFile> files = new ArrayList<>();
    List<ClassNameClaims.GeneratedClass> classes = new ArrayList<>();
    WrittenKernels written = new WrittenKernels();
    javax.lang.model.element.TypeElement floatVector =
        processingEnv.getElementUtils().getTypeElement(VectorKernelWriter.VECTOR_PACKAGE + ".FloatVector");
    boolean withVectors = floatVector != null;
    // JDK 17's and 18's Vector API load from ByteBuffers; a compilation against a later one has only segments
    boolean bufferLanes = withVectors && floatVector.getEnclosedElements().stream()
        .anyMatch(e -> e.getSimpleName().contentEquals("fromByteBuffer"));
    // per @Update, the kernel whose largest method is over the JVM's limit by most
    Map<Integer, String> tooLarge = new TreeMap<>();
    Map<Integer, Integer> tooLargeTokens = new TreeMap<>();
    for (DType dtype : DType.values()) {
      for (SwitchSet switches : model.allSwitchSets()) {
        JavaFile kernel = new KernelWriter(model, switches, dtype).write(generation);
        CodeSize.Largest size = CodeSize.largestMethod(kernel);
        if (!size.fits()) {
          int update = updateOf(model, switches);
          if (size.tokens() > tooLargeTokens.getOrDefault(update, 0)) {
            tooLargeTokens.put(update, size.tokens());
            tooLarge.put(update, "the " + dtype.mxnetName() + " kernel of this @Update (variant " + switches + ") is too large "
                + "for the JVM: its " + size.describe() + "; write fewer or shorter formulas in one @Update");
          }
          continue;
        }
        add(files, classes, kernel, ClassNameClaims.KERNEL);
        written.addScalar(kernel);
        if (!withVectors || !VectorKernelWriter.lanewiseExact(model, switches, dtype)) {
          continue;
        }
        String problem = VectorKernelWriter.limitProblem(model, switches, dtype);
        JavaFile twin = null;
        if (problem == null) {
          twin = new VectorKernelWriter(model, switches, dtype, bufferLanes).write(generation);
          CodeSize.Largest twinSize = CodeSize.largestMethod(twin);
          if (!twinSize.fits()) {
            problem = "variant " + switches + " has no " + dtype.mxnetName() + " SIMD kernel, only the scalar one: "
                + "the SIMD kernel's " + twinSize.describe();
          }
        }
        if (problem == null) {
          add(files, classes, twin, ClassNameClaims.SIMD_KERNEL);
          written.addTwin(twin);
        } else {
          note(reader, raw, model, switches, problem);
        }
      }
    }
    tooLarge.forEach((update, problem) ->
        report(reader, new Diagnostic(problem, raw.updates().get(update).origin(), "formulas")));
    if (!tooLarge.isEmpty()) {
      return;
    }
    OptimizerWriter optimizer = new OptimizerWriter(model);
    add(files, classes, optimizer.writeKernelTable(generation, withVectors, written), ClassNameClaims.KERNEL_TABLE);
    add(files, classes, optimizer.write(generation), ClassNameClaims.OPTIMIZER);
    planned.add(new PlannedSpec(type, reader.annotation(type, OptimizerSpec.class), files, classes,
        optimizer.factoryClass().reflectionName()));
  }

  /**
   * Whether every scalar kernel's {@code update} can be compiled: its parameters within the JVM's limit.
   * Each problem is an error on the {@code @Update} concerned, once, for the dtype that needs most slots.
   */
  private boolean fitsTheJvm(SpecMirrorReader reader, RawSpec raw, OptimizerModel model) {
    Set<Integer> reported = new TreeSet<>();
    for (SwitchSet switches : model.allSwitchSets()) {
      int update = updateOf(model, switches);
      KernelWriter worst = null;
      for (DType dtype : DType.values()) {
        KernelWriter kernel = new KernelWriter(model, switches, dtype);
        if (worst == null || kernel.parameterSlots() > worst.parameterSlots()) {
          worst = kernel;
        }
      }
      String problem = worst.parameterProblem();
      if (problem != null && reported.add(update)) {
        report(reader, new Diagnostic(problem, raw.updates().get(update).origin(), "formulas"));
      }
    }
    return reported.isEmpty();
  }

  /**
   * The index of the {@code @Update} a variant runs; a model's updates are its raw spec's, in order (the
   * resolver builds no model when any update is bad).
   */
  private static int updateOf(OptimizerModel model, SwitchSet switches) {
    for (int i = 0; i < model.updates().size(); i++) {
      if (Conditions.selects(model.updates().get(i).when(), switches)) {
        return i;
      }
    }
    throw new IllegalStateException("validation let through a variant with no update: " + switches);
  }

  /** A note on the {@code @Update} of a variant: what the generated code does differently, and why. */
  private void note(SpecMirrorReader reader, RawSpec raw, OptimizerModel model, SwitchSet switches, String message) {
    MirrorOrigin origin = (MirrorOrigin) raw.updates().get(updateOf(model, switches)).origin();
    AnnotationMirror mirror = origin.container() != null ? origin.container() : origin.mirror();
    processingEnv.getMessager().printMessage(Kind.NOTE, message, origin.element(), mirror);
  }

  /** A valid spec's generated files, not written yet. */
  private record PlannedSpec(TypeElement type, AnnotationMirror annotation, List<JavaFile> files,
      List<ClassNameClaims.GeneratedClass> classes, String factory) {}

  private static void add(List<JavaFile> files, List<ClassNameClaims.GeneratedClass> classes, JavaFile file,
      String role) {
    files.add(file);
    classes.add(new ClassNameClaims.GeneratedClass(qualifiedName(file), role));
  }

  private static String qualifiedName(JavaFile file) {
    return file.packageName().isEmpty() ? file.typeSpec().name() : file.packageName() + "." + file.typeSpec().name();
  }

  private static String qualifiedName(Element element) {
    return element instanceof TypeElement type ? type.getQualifiedName().toString() : element.toString();
  }

  /** Claims the spec's class names, then writes its files; a clash is an error on its {@code @OptimizerSpec}. */
  private void writeSpec(PlannedSpec spec) throws IOException {
    List<String> clashes = claims().claim(spec.type().getQualifiedName().toString(), spec.classes());
    for (String clash : clashes) {
      processingEnv.getMessager().printMessage(Kind.ERROR, clash, spec.type(), spec.annotation());
    }
    if (!clashes.isEmpty()) {
      return;
    }
    for (JavaFile file : spec.files()) {
      if (!writeFile(file, spec.type(), spec.annotation(), null)) {
        return;
      }
    }
    factories.add(spec.factory());
  }

  /**
   * Writes one generated file; a {@code FilerException} (a type of that name exists where the claims
   * could not see it) is an error at {@code element}, never a crash. False if it was not written.
   */
  private boolean writeFile(JavaFile file, Element element, AnnotationMirror annotation, AnnotationValue value)
      throws IOException {
    try {
      JavaFileObject source = processingEnv.getFiler().createSourceFile(qualifiedName(file),
          file.typeSpec().originatingElements().toArray(Element[]::new));
      try (Writer writer = source.openWriter()) {
        writer.write(LineWrapper.wrap(file.toString()));
      }
      return true;
    } catch (FilerException exists) {
      processingEnv.getMessager().printMessage(Kind.ERROR, "the generated class " + qualifiedName(file)
          + " clashes with a type of that name in this compilation (javac: " + exists.getMessage() + "); rename "
          + "the spec or that type", element, annotation, value);
      return false;
    }
  }

  private ClassNameClaims claims() {
    if (claims == null) {
      claims = new ClassNameClaims(processingEnv);
    }
    return claims;
  }

  /** {@code @VerifyKernels({XxxSpec.class, ...})}: each spec's property suite, next to the annotated test class. */
  private void processVerification(Element element) throws IOException {
    Messager messager = processingEnv.getMessager();
    SpecMirrorReader reader = new SpecMirrorReader(processingEnv.getElementUtils());
    AnnotationMirror verify = reader.annotation(element, VerifyKernels.class);
    AnnotationValue triesValue = reader.value(verify, "tries");
    if (!(triesValue.getValue() instanceof Integer tries) || tries < 1) {
      messager.printMessage(Kind.ERROR, "@VerifyKernels tries must be at least 1, found " + triesValue.getValue(),
          element, verify, triesValue);
      return;
    }
    AnnotationValue specsValue = reader.value(verify, "value");
    AnnotationValue allValue = reader.value(verify, "allInPackage");
    if (specsValue == null || !(specsValue.getValue() instanceof List<?> specs)
        || allValue == null || !(allValue.getValue() instanceof Boolean allInPackage)) {
      return; // javac reports a value it could not compile
    }
    Set<String> named = new TreeSet<>();
    for (Object item : specs) {
      if (item instanceof AnnotationValue specValue && specValue.getValue() instanceof DeclaredType declared) {
        TypeElement spec = (TypeElement) declared.asElement();
        named.add(spec.getQualifiedName().toString());
        verify(reader, element, verify, specValue, spec, tries);
      }
    }
    if (allInPackage) {
      PackageElement pkg = processingEnv.getElementUtils().getPackageOf(element);
      List<TypeElement> found = new ArrayList<>();
      for (Element member : pkg.getEnclosedElements()) {
        if (member.getAnnotation(OptimizerSpec.class) != null && member instanceof TypeElement spec
            && !named.contains(spec.getQualifiedName().toString())) {
          found.add(spec);
        }
      }
      if (found.isEmpty() && named.isEmpty()) {
        messager.printMessage(Kind.ERROR, "@VerifyKernels(allInPackage = true) found no @OptimizerSpec interface in "
            + "package " + pkg.getQualifiedName(), element, verify, allValue);
      }
      for (TypeElement spec : found) {
        verify(reader, element, verify, allValue, spec, tries);
      }
    } else if (named.isEmpty()) {
      messager.printMessage(Kind.ERROR, "@VerifyKernels needs the specs to verify, or allInPackage = true", element,
          verify);
    }
  }

  private void verify(SpecMirrorReader reader, Element element, AnnotationMirror verify, AnnotationValue specValue,
      TypeElement spec, int tries) throws IOException {
    Messager messager = processingEnv.getMessager();
    if (spec.getAnnotation(OptimizerSpec.class) == null) {
      messager.printMessage(Kind.ERROR, "@VerifyKernels needs @OptimizerSpec interfaces; " + spec.getQualifiedName()
          + " is not one", element, verify, specValue);
      return;
    }
    SpecResolver.Result result = SpecResolver.resolve(reader.read(spec));
    if (result.model().isEmpty()) {
      messager.printMessage(Kind.ERROR, "cannot verify " + spec.getSimpleName() + ": the spec has "
          + result.errors().size() + " error(s), reported where it is compiled; the first: "
          + result.errors().get(0).message(), element, verify, specValue);
      return;
    }
    PackageElement testPackage = processingEnv.getElementUtils().getPackageOf(element);
    PropertySuiteWriter writer = new PropertySuiteWriter(result.model().get(),
        testPackage.isUnnamed() ? "" : testPackage.getQualifiedName().toString(), element.getSimpleName().toString(),
        tries);
    JavaFile suite = writer.write(new Generation(spec.getQualifiedName().toString(), element));
    String owner = spec.getQualifiedName().toString();
    String suiteName = qualifiedName(suite);
    if (owner.equals(claims().ownerOf(suiteName))) {
      messager.printMessage(Kind.ERROR, "the property suite of " + spec.getSimpleName() + " is already generated in this "
          + "package (" + PropertySuiteWriter.className(result.model().get()) + "): name each spec once per package",
          element, verify, specValue);
      return;
    }
    List<String> clashes = claims().claim(owner,
        List.of(new ClassNameClaims.GeneratedClass(suiteName, ClassNameClaims.PROPERTY_SUITE)));
    for (String clash : clashes) {
      messager.printMessage(Kind.ERROR, clash, element, verify, specValue);
    }
    if (clashes.isEmpty()) {
      writeFile(suite, element, verify, specValue);
    }
  }

  private void report(SpecMirrorReader reader, Diagnostic diagnostic) {
    Messager messager = processingEnv.getMessager();
    Kind kind = diagnostic.isError() ? Kind.ERROR : Kind.WARNING;
    if (diagnostic.origin() instanceof MirrorOrigin origin) {
      if (locator().print(kind, origin, diagnostic.attribute(), diagnostic.message())) {
        return;
      }
      AnnotationValue value = reader.explicitValue(origin.mirror(), diagnostic.attribute());
      AnnotationMirror mirror = origin.container() != null ? origin.container() : origin.mirror();
      if (value != null) {
        messager.printMessage(kind, diagnostic.message(), origin.element(), mirror, value);
      } else {
        messager.printMessage(kind, diagnostic.message(), origin.element(), mirror);
      }
    } else {
      messager.printMessage(kind, diagnostic.message());
    }
  }

  private RepeatedAnnotationLocator locator() {
    if (locator == null) {
      locator = RepeatedAnnotationLocator.create(processingEnv);
    }
    return locator;
  }

  /** Merges with an existing services file, as AutoService does, so that incremental builds keep earlier entries. */
  private void writeServices() {
    Filer filer = processingEnv.getFiler();
    Set<String> all = new TreeSet<>(factories);
    try {
      FileObject existing = filer.getResource(StandardLocation.CLASS_OUTPUT, "", SERVICES_FILE);
      try (BufferedReader in = new BufferedReader(new InputStreamReader(existing.openInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (!line.isBlank() && !line.startsWith("#")) {
            all.add(line.trim());
          }
        }
      }
    } catch (IOException | IllegalArgumentException noExistingFile) {
      // first build: nothing to merge
    }
    try {
      FileObject file = filer.createResource(StandardLocation.CLASS_OUTPUT, "", SERVICES_FILE);
      try (Writer out = file.openWriter()) {
        for (String factory : all) {
          out.write(factory);
          out.write('\n');
        }
      }
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Kind.ERROR, "could not write " + SERVICES_FILE + ": " + e.getMessage());
    }
  }
}
