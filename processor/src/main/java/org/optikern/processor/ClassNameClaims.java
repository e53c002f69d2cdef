package org.optikern.processor;

import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Which generated class names are taken, so that two specs (or a spec and a hand-written class) that
 * would generate the same class are a positioned error before any file is written, never javac's
 * {@code FilerException: Attempt to recreate a file}. A name is taken when a spec or a property suite
 * of this compilation claimed it, or when a type of that name is written in this compilation (a
 * source file, or one generated in an earlier round). A class of that name on the class path is not a
 * clash: javac's {@code Filer} allows it too, and it is what a stale output of an earlier build looks like.
 */
final class ClassNameClaims {
  /** One class a spec would generate: its qualified name and what it is ("the optimizer", "a kernel", ...). */
  record GeneratedClass(String qualifiedName, String role) {
    boolean isKernel() {
      return role.equals(KERNEL) || role.equals(SIMD_KERNEL);
    }
  }

  static final String OPTIMIZER = "the optimizer";
  static final String KERNEL_TABLE = "the kernel table";
  static final String KERNEL = "a kernel";
  static final String SIMD_KERNEL = "a SIMD kernel";
  static final String PROPERTY_SUITE = "the property suite";

  private record Claim(GeneratedClass generated, String owner) {}

  private final Map<String, Claim> claims = new HashMap<>();
  private final Elements elements;
  /** javac's source trees, to tell a type written in this compilation from one on the class path; null elsewhere. */
  private final Trees trees;

  ClassNameClaims(ProcessingEnvironment env) {
    this.elements = env.getElementUtils();
    Trees found;
    try {
      found = Trees.instance(env);
    } catch (IllegalArgumentException | LinkageError notJavac) {
      found = null; // then only claims are checked; the Filer reports the rest, and the processor positions it
    }
    this.trees = found;
  }

  /** The owner of a claimed name ({@code test.FooSpec}), or null. */
  String ownerOf(String qualifiedName) {
    Claim claim = claims.get(qualifiedName);
    return claim == null ? null : claim.owner();
  }

  /**
   * Claims every class of {@code classes} for {@code owner} (a spec's qualified name) if none of them is
   * taken; otherwise claims none and returns why, one message per spec or type it clashes with.
   */
  List<String> claim(String owner, List<GeneratedClass> classes) {
    String ownerSimple = owner.substring(owner.lastIndexOf('.') + 1);
    // by what it clashes with: the first class, and how many more
    Map<String, List<String>> clashes = new LinkedHashMap<>();
    Map<String, GeneratedClass> first = new LinkedHashMap<>();
    for (GeneratedClass c : classes) {
      String with = clashOf(c);
      if (with != null) {
        first.putIfAbsent(with, c);
        clashes.computeIfAbsent(with, k -> new ArrayList<>()).add(c.qualifiedName());
      }
    }
    List<String> messages = new ArrayList<>();
    for (Map.Entry<String, GeneratedClass> e : first.entrySet()) {
      GeneratedClass ours = e.getValue();
      int more = clashes.get(e.getKey()).size() - 1;
      Claim theirs = claims.get(ours.qualifiedName());
      StringBuilder message = new StringBuilder("the generated class ").append(ours.qualifiedName()).append(" (")
          .append(ours.role()).append(" of ").append(ownerSimple).append(") would clash with ");
      if (theirs != null) {
        message.append(ours.qualifiedName()).append(", ").append(theirs.generated().role()).append(" generated for ")
            .append(theirs.owner());
        if (more > 0) {
          message.append(" (and ").append(more).append(" more of their generated classes)");
        }
        message.append("; rename one of the specs");
        if (ours.isKernel() || theirs.generated().isKernel()) {
          message.append(", or a switch (switches name the kernels)");
        }
      } else {
        TypeElement existing = elements.getTypeElement(ours.qualifiedName());
        String kind = kindOf(existing);
        message.append("the ").append(kind).append(' ').append(ours.qualifiedName())
            .append(" written in this compilation");
        if (more > 0) {
          message.append(" (and ").append(more).append(" more generated classes with existing types)");
        }
        message.append("; rename the spec or that ").append(kind);
      }
      messages.add(message.toString());
    }
    if (messages.isEmpty()) {
      classes.forEach(c -> claims.put(c.qualifiedName(), new Claim(c, owner)));
    }
    return messages;
  }

  /** What {@code c} clashes with: a claim's owner, or the type of that name; null when the name is free. */
  private String clashOf(GeneratedClass c) {
    Claim claim = claims.get(c.qualifiedName());
    if (claim != null) {
      return "claim " + claim.owner();
    }
    if (trees == null) {
      return null;
    }
    TypeElement existing = elements.getTypeElement(c.qualifiedName());
    if (existing != null && trees.getPath(existing) != null) {
      return "type " + c.qualifiedName();
    }
    return null;
  }

  private static String kindOf(TypeElement type) {
    if (type == null) {
      return "type";
    }
    return switch (type.getKind()) {
      case INTERFACE -> "interface";
      case ENUM -> "enum";
      case ANNOTATION_TYPE -> "annotation type";
      case RECORD -> "record";
      default -> "class";
    };
  }
}
