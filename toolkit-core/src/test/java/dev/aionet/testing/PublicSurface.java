package dev.aionet.testing;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The public types of one API package as its compiled main classes hold them (tests excluded),
 * for each module's {@code ApiSurfaceTest}: a public type added to the package without being
 * listed in that test, or a public signature that mentions an {@code internal} type, fails it.
 */
public final class PublicSurface {
  private final String packageName;
  private final List<Class<?>> types = new ArrayList<>();

  private PublicSurface(String packageName) {
    this.packageName = packageName;
    for (JavaClass c : new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(packageName)) {
      if (c.getPackageName().equals(packageName) && isApi(c)) {
        types.add(c.reflect());
      }
    }
  }

  /**
   * Scans {@code packageName} (not its subpackages) in the main classes on the class path.
   *
   * @param packageName for example {@code dev.aionet.core}
   * @return the surface
   */
  public static PublicSurface of(String packageName) {
    return new PublicSurface(packageName);
  }

  /** A public top-level type, or a public member type of one (ServerOptions.Builder). */
  private static boolean isApi(JavaClass c) {
    if (!c.getModifiers().contains(JavaModifier.PUBLIC) || c.isAnonymousClass() || c.isLocalClass()) {
      return false;
    }
    Optional<JavaClass> enclosing = c.getEnclosingClass();
    return enclosing.isEmpty() || isApi(enclosing.get());
  }

  /**
   * Returns the names of the public types relative to the package, sorted: {@code "Aio"},
   * {@code "ServerOptions.Builder"}.
   *
   * @return the names
   */
  public Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (Class<?> type : types) {
      names.add(type.getName().substring(packageName.length() + 1).replace('$', '.'));
    }
    return names;
  }

  /**
   * Returns, for each listed name that is no public type and each public type that is not
   * listed, one line saying what to change; empty when {@code expected} is exactly the surface.
   *
   * @param expected the names the test lists, as {@link #names()} spells them
   * @param listName where the names are listed, for the message ({@code "ApiSurfaceTest.API"})
   * @return the differences
   */
  public List<String> differencesFrom(Set<String> expected, String listName) {
    List<String> differences = new ArrayList<>();
    for (String name : names()) {
      if (!expected.contains(name)) {
        differences.add(packageName + "." + name + " is public but not listed: add \"" + name + "\" to "
            + listName + " if it is meant to be API, else make it package-private or move it to "
            + packageName + ".internal");
      }
    }
    for (String name : expected) {
      if (!names().contains(name)) {
        differences.add("\"" + name + "\" is listed in " + listName + " but " + packageName
            + " has no public type of that name: remove it from the list");
      }
    }
    return differences;
  }

  /**
   * Returns each public or protected member signature, public field and supertype of the public
   * types that mentions a type of an {@code internal} package (type arguments included).
   *
   * @return one line per mention; empty when nothing leaks
   */
  public List<String> internalTypesInSignatures() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : types) {
      List<Type> supertypes = new ArrayList<>(List.of(type.getGenericInterfaces()));
      if (type.getGenericSuperclass() != null) {
        supertypes.add(type.getGenericSuperclass());
      }
      for (Type t : supertypes) {
        addIfInternal(leaks, type.getName() + " extends or implements", t);
      }
      List<Member> members = new ArrayList<>(List.of(type.getDeclaredConstructors()));
      members.addAll(List.of(type.getDeclaredMethods()));
      members.addAll(List.of(type.getDeclaredFields()));
      for (Member member : members) {
        if (member.isSynthetic()
            || !(Modifier.isPublic(member.getModifiers()) || Modifier.isProtected(member.getModifiers()))) {
          continue;
        }
        String where = type.getName() + "." + member.getName();
        if (member instanceof Field) {
          addIfInternal(leaks, where, ((Field) member).getGenericType());
          continue;
        }
        Executable executable = (Executable) member;
        List<Type> mentioned = new ArrayList<>(List.of(executable.getGenericParameterTypes()));
        mentioned.addAll(List.of(executable.getGenericExceptionTypes()));
        if (executable instanceof Method) {
          mentioned.add(((Method) executable).getGenericReturnType());
        }
        for (Type t : mentioned) {
          addIfInternal(leaks, where, t);
        }
      }
    }
    return leaks;
  }

  private static void addIfInternal(List<String> leaks, String where, Type type) {
    if (type.getTypeName().contains(".internal.")) {
      leaks.add(where + " mentions " + type.getTypeName());
    }
  }
}
