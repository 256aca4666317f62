package dev.aionet.test;

import dev.aionet.core.Loop;
import dev.aionet.core.LoopError;
import dev.aionet.test.internal.LeakWatch;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 support: gives a test method (or its {@code @BeforeEach} methods) a {@link TestLoop}
 * or {@link Loop} parameter, closes that loop after the test, and fails the test, with one
 * message listing every problem, if
 * <ul>
 *   <li>a task of the loop was left running when the test ended (it is cancelled); with the
 *       clock jumping ahead whenever the loop is idle, that is a task awaiting something no timer
 *       brings: a promise nobody completes, a queue nobody fills, a connection still open,</li>
 *   <li>an error reached the loop's exception handler (an exception thrown by a callback, a task
 *       failure nobody retrieved, ...), or</li>
 *   <li>Netty reported a leaked {@code ByteBuf} (leak detection is raised to {@code PARANOID};
 *       each test ends with a garbage collection so leaks show up in the test that made them).</li>
 * </ul>
 *
 * <pre>{@code
 * @ExtendWith(AionetExtension.class)
 * class RetryTest {
 *   @Test
 *   void givesUpAfterThreeAttempts(TestLoop t) {
 *     assertThrows(AsyncTimeoutException.class, () -> t.run(() -> Retry.call(flakyService)));
 *     assertEquals(90.0, t.time()); // three 30 s timeouts, in milliseconds of real time
 *   }
 * }
 * }</pre>
 *
 * <p>A {@code Loop} and a {@code TestLoop} parameter of the same test are the same loop. Each test
 * gets a new one with the default {@link TestLoopOptions}; a test that needs other options
 * creates its own {@code TestLoop} (the leak check still applies).
 *
 * @since 0.2
 */
public final class AionetExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(AionetExtension.class);
  private static final String LOOP = "testLoop";

  /** Creates the extension; JUnit does, for {@code @ExtendWith(AionetExtension.class)}. */
  public AionetExtension() {}

  static {
    LeakWatch.installed(); // listen for leaks from the moment the extension is registered
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestLoop.class || type == Loop.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (parameter.getDeclaringExecutable() instanceof Constructor) {
      throw new ParameterResolutionException("AionetExtension gives each test method its own loop: take the "
          + parameter.getParameter().getType().getSimpleName() + " as a parameter of the test or @BeforeEach method,"
          + " not of the constructor");
    }
    TestLoop loop = context.getStore(NAMESPACE).getOrComputeIfAbsent(LOOP, key -> TestLoop.create(), TestLoop.class);
    return parameter.getParameter().getType() == Loop.class ? loop.loop() : loop;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<String> problems = new ArrayList<>();
    List<Throwable> causes = new ArrayList<>();
    TestLoop loop = context.getStore(NAMESPACE).remove(LOOP, TestLoop.class);
    if (loop != null) {
      List<String> left = loop.unfinishedTasks();
      if (!left.isEmpty()) {
        problems.add(left.size() + " task(s) left running when the test ended (now cancelled):\n    "
            + String.join("\n    ", left));
      }
      loop.close();
      List<LoopError> errors = loop.errors();
      if (!errors.isEmpty()) {
        StringBuilder b = new StringBuilder(errors.size() + " error(s) reached the loop's exception handler:");
        for (LoopError e : errors) {
          b.append("\n    ").append(e.message());
          if (e.exception() != null) {
            b.append(": ").append(e.exception());
            causes.add(e.exception());
          }
          e.task().ifPresent(t -> b.append(" (task ").append(t.name()).append(')'));
        }
        problems.add(b.toString());
      }
    }
    List<String> leaks = LeakWatch.drain();
    if (!leaks.isEmpty()) {
      problems.add(leaks.size() + " ByteBuf leak(s) reported by Netty:\n    " + String.join("\n    ", leaks));
    }
    if (!problems.isEmpty()) {
      AssertionError failure = new AssertionError("AionetExtension: " + context.getDisplayName() + ":\n  "
          + String.join("\n  ", problems));
      causes.forEach(failure::addSuppressed);
      throw failure;
    }
  }
}
