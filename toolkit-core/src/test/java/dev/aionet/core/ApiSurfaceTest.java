package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No public signature of dev.aionet.core mentions an internal type (Trio's test_exports). */
class ApiSurfaceTest {

  @Test
  void publicSignaturesNeverMentionInternalTypes() throws Exception {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : publicTypes()) {
      List<Executable> members = new ArrayList<>(List.of(type.getDeclaredConstructors()));
      members.addAll(List.of(type.getDeclaredMethods()));
      for (Executable member : members) {
        if (!Modifier.isPublic(member.getModifiers()) && !Modifier.isProtected(member.getModifiers())) {
          continue;
        }
        List<Type> mentioned = new ArrayList<>(List.of(member.getGenericParameterTypes()));
        mentioned.addAll(List.of(member.getGenericExceptionTypes()));
        if (member instanceof Method) {
          mentioned.add(((Method) member).getGenericReturnType());
        }
        for (Type t : mentioned) {
          if (t.getTypeName().contains(".internal.")) {
            leaks.add(type.getSimpleName() + "." + member.getName() + " mentions " + t.getTypeName());
          }
        }
      }
      if (type.getSuperclass() != null && type.getSuperclass().getName().contains(".internal.")) {
        leaks.add(type.getSimpleName() + " extends " + type.getSuperclass().getName());
      }
    }
    assertThat(leaks).isEmpty();
  }

  private static List<Class<?>> publicTypes() throws IOException, URISyntaxException, ClassNotFoundException {
    Path dir = Path.of(Aio.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("dev/aionet/core");
    List<Class<?>> types = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.endsWith(".class") && !name.equals("package-info.class")) {
          Class<?> c = Class.forName("dev.aionet.core." + name.substring(0, name.length() - 6));
          if (Modifier.isPublic(c.getModifiers())) {
            types.add(c);
          }
        }
      }
    }
    assertThat(types).contains(Aio.class, Promise.class, Loop.class);
    return types;
  }
}
