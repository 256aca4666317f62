package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** No public signature of dev.aionet.streams mentions an internal type (Trio's test_exports). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ApiSurfaceTest {
  private static final List<Class<?>> API = List.of(Streams.class, ClientHandler.class, Connection.class,
      Server.class, StreamReader.class, StreamWriter.class, ServerOptions.class, ServerOptions.Builder.class,
      ClientOptions.class, ClientOptions.Builder.class, IncompleteReadException.class,
      LimitOverrunException.class, ConnectionResetException.class);

  @Test
  void publicSignaturesNeverMentionInternalTypes() {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : API) {
      List<Executable> members = new ArrayList<>(List.of(type.getDeclaredMethods()));
      for (Constructor<?> c : type.getDeclaredConstructors()) {
        members.add(c);
      }
      for (Executable member : members) {
        if (!Modifier.isPublic(member.getModifiers()) || member.isSynthetic()) {
          continue;
        }
        List<Type> types = new ArrayList<>(List.of(member.getGenericParameterTypes()));
        if (member instanceof Method) {
          types.add(((Method) member).getGenericReturnType());
        }
        for (Type t : types) {
          if (t.getTypeName().contains(".internal.")) {
            leaks.add(type.getSimpleName() + "." + member.getName() + ": " + t.getTypeName());
          }
        }
      }
    }
    assertThat(leaks).isEmpty();
  }
}
