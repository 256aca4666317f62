package dev.aionet.testing;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which types of aionet's {@code internal} packages a module's main code uses (tests excluded),
 * for the test that pins them to an allow-list: implementation packages are shared between
 * aionet's own modules only where the list says so, and say why.
 */
public final class InternalUse {
  /** aionet's implementation packages; nothing outside the module that owns one relies on it. */
  public static final List<String> INTERNAL_PACKAGES = List.of("dev.aionet.core.internal", "dev.aionet.streams.internal");

  /** Type name to the first place the module uses it, e.g. "Connector.open(...) (Connector.java:39)". */
  private final Map<String, String> used = new TreeMap<>();

  private InternalUse(String rootPackage, List<String> foreignPackages) {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(rootPackage);
    if (classes.isEmpty()) {
      throw new AssertionError("no main classes found in " + rootPackage);
    }
    for (JavaClass c : classes) {
      if (!c.getPackageName().startsWith(rootPackage)) {
        continue;
      }
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass().getBaseComponentType();
        if (foreignPackages.contains(target.getPackageName())) {
          used.putIfAbsent(topLevelName(target.getName()), d.getDescription());
        }
      }
    }
  }

  /**
   * Collects what the main classes under {@code rootPackage} use of {@code foreignPackages}
   * (exactly those packages, by name; a nested type counts as its top-level type).
   *
   * @param rootPackage the module's packages, e.g. {@code dev.aionet.streams}
   * @param foreignPackages the internal packages of other modules
   * @return the use
   */
  public static InternalUse of(String rootPackage, List<String> foreignPackages) {
    return new InternalUse(rootPackage, foreignPackages);
  }

  private static String topLevelName(String name) {
    int nested = name.indexOf('$');
    return nested < 0 ? name : name.substring(0, nested);
  }

  /**
   * Returns the used types (fully qualified, top-level), sorted.
   *
   * @return the names
   */
  public java.util.Set<String> types() {
    return used.keySet();
  }

  /**
   * Returns one line for each used type missing from {@code allowed}, with where it is used, and
   * one for each allowed type no longer used; empty when the use is exactly the allow-list.
   *
   * @param allowed fully qualified type names to the reason the module may use each
   * @param listName where the allow-list is, for the message
   * @return the differences
   */
  public List<String> differencesFrom(Map<String, String> allowed, String listName) {
    List<String> differences = new ArrayList<>();
    used.forEach((type, where) -> {
      if (!allowed.containsKey(type)) {
        differences.add(type + " is used but not allowed: " + where + ". Use a public type instead, or add \""
            + type + "\" with the reason to " + listName);
      }
    });
    for (String type : allowed.keySet()) {
      if (!used.containsKey(type)) {
        differences.add(type + " is allowed in " + listName + " but no longer used: remove it from the list");
      }
    }
    return differences;
  }
}
