package org.optikern.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;

/**
 * Puts a message on one of several repeated annotations. javac's {@code Messager} cannot: it
 * looks for the synthesized container among the annotations written in the source and finds none.
 * So this walks the source tree (javac's Trees API) to the k-th annotation of that type and, if
 * present, to the attribute value. Under a compiler without the Trees API, it reports nothing and
 * the caller falls back to the element.
 */
final class RepeatedAnnotationLocator {
  private final Trees trees;

  private RepeatedAnnotationLocator(Trees trees) {
    this.trees = trees;
  }

  static RepeatedAnnotationLocator create(ProcessingEnvironment env) {
    try {
      return new RepeatedAnnotationLocator(Trees.instance(env));
    } catch (IllegalArgumentException | LinkageError notJavac) {
      return new RepeatedAnnotationLocator(null);
    }
  }

  /** True if the message was printed at the annotation (or its attribute) in the source. */
  boolean print(Kind kind, MirrorOrigin origin, String attribute, String message) {
    if (trees == null || origin.container() == null) {
      return false;
    }
    TreePath path = trees.getPath(origin.element());
    if (path == null || !(path.getLeaf() instanceof ClassTree classTree)) {
      return false;
    }
    int index = origin.indexInContainer();
    String simpleName = ((TypeElement) origin.mirror().getAnnotationType().asElement()).getSimpleName().toString();
    int seen = 0;
    for (AnnotationTree annotation : classTree.getModifiers().getAnnotations()) {
      if (!isNamed(annotation.getAnnotationType(), simpleName)) {
        continue;
      }
      if (seen++ == index) {
        Tree target = attributeValue(annotation, attribute);
        CompilationUnitTree unit = path.getCompilationUnit();
        trees.printMessage(kind, message, target == null ? annotation : target, unit);
        return true;
      }
    }
    return false;
  }

  private static boolean isNamed(Tree type, String simpleName) {
    String written = type.toString();
    return written.equals(simpleName) || written.endsWith("." + simpleName);
  }

  private static Tree attributeValue(AnnotationTree annotation, String attribute) {
    for (ExpressionTree argument : annotation.getArguments()) {
      if (argument instanceof AssignmentTree assignment && assignment.getVariable() instanceof IdentifierTree name
          && name.getName().contentEquals(attribute)) {
        return assignment.getExpression();
      }
      if (!(argument instanceof AssignmentTree) && attribute.equals("value")) {
        return argument; // @Scalar("...") : the single element, written without its name
      }
    }
    return null;
  }
}
