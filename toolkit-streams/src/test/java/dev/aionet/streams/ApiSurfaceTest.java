package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.testing.PublicSurface;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The public types of {@code dev.aionet.streams} are exactly the listed ones, and no public
 * signature mentions an internal type (as Trio's {@code test_exports} pins its namespace). A new
 * public type is a new promise to users: list it here on purpose, or keep it out of the API package.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ApiSurfaceTest {
  /** Every public type of dev.aionet.streams, nested ones as Outer.Inner; one per line, sorted. */
  private static final Set<String> API = new TreeSet<>(Set.of(

      "ClientHandler",
      "ClientOptions",
      "ClientOptions.Builder",
      "Codec",
      "Connection",
      "Datagram",
      "DatagramEndpoint",
      "DatagramOptions",
      "DatagramOptions.Builder",
      "Datagrams",
      "ConnectionResetException",
      "IncompleteReadException",
      "LimitOverrunException",
      "MessageConnection",
      "MessageHandler",
      "MessageReader",
      "MessageWriter",
      "Messages",
      "Server",
      "ServerOptions",
      "ServerOptions.Builder",
      "ServerStats",
      "StreamReader",
      "StreamWriter",
      "Streams",
      "UnexpectedMessageException"));

  private static final PublicSurface SURFACE = PublicSurface.of("dev.aionet.streams");

  @Test
  void thePublicTypesAreExactlyTheListedOnes() {
    assertThat(SURFACE.differencesFrom(API, "dev.aionet.streams.ApiSurfaceTest.API")).isEmpty();
  }

  @Test
  void publicSignaturesNeverMentionInternalTypes() {
    assertThat(SURFACE.internalTypesInSignatures()).isEmpty();
  }
}
