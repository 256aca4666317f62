package dev.aionet.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.aionet.core.Aio;
import dev.aionet.core.AsyncQueue;
import dev.aionet.core.AsyncTimeoutException;
import dev.aionet.core.Promise;
import dev.aionet.core.Task;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README's "Testing your code" example, compiled and run as it is printed there. */
@ExtendWith(AionetExtension.class)
class ReadmeExampleTest {

  /** The code under test: waits up to 30 minutes for someone to log in. */
  static Promise<String> awaitLogin(AsyncQueue<String> logins) {
    return Aio.waitFor(logins.get(), Duration.ofMinutes(30));
  }

  @Test
  void aLoginWithinTheWindowIsAccepted(TestLoop t) {
    String user = t.run(() -> {
      AsyncQueue<String> logins = new AsyncQueue<>();
      Aio.createTask(() -> Aio.sleep(Duration.ofMinutes(29)).thenCompose(x -> logins.put("ada")));
      return awaitLogin(logins);
    });
    assertEquals("ada", user);
    assertEquals(29 * 60.0, t.time()); // 29 virtual minutes in a few real milliseconds
  }

  @Test
  void withoutALoginItGivesUpAfterExactlyThirtyMinutes(TestLoop t) {
    assertThrows(AsyncTimeoutException.class, () -> t.run(() -> awaitLogin(new AsyncQueue<>())));
    assertEquals(30 * 60.0, t.time());
  }

  /** The same wait as sequential code: an async body awaits on the same virtual clock. */
  static Task<String> loginOrGuest(AsyncQueue<String> logins) {
    return Aio.async(() -> {
      try {
        return Aio.await(awaitLogin(logins));
      } catch (AsyncTimeoutException e) {
        return "guest";
      }
    });
  }

  @Test
  void anAsyncBodyFallsBackToAGuestAfterExactlyThirtyMinutes(TestLoop t) {
    assertEquals("guest", t.run(() -> loginOrGuest(new AsyncQueue<>())));
    assertEquals(30 * 60.0, t.time());
  }
}
