package dev.aionet.streams;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.aionet.core.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** startUnixServer / openUnixConnection on every transport (NIO uses the JDK's Unix sockets). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UnixSocketTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path dir;

  @ParameterizedTest
  @MethodSource("dev.aionet.streams.TestLoop#transports")
  void aUnixServerServesLinesHasNoPortAndRemovesItsFileOnClose(Transport transport) {
    Path socket = dir.resolve("echo.sock");
    try (TestLoop t = TestLoop.create(transport)) {
      Server server = t.run(() -> Streams.startUnixServer(Echo::echo, socket, ServerOptions.defaults()));
      assertThat(server.port()).isEqualTo(-1);
      assertThat(server.sockets()).hasSize(1);
      assertThat(server.sockets().get(0).toString()).contains("echo.sock");
      assertThat(Files.exists(socket)).isTrue();

      Connection c = t.run(() -> Streams.openUnixConnection(socket, ClientOptions.defaults()));
      c.writer().write("over a file\n", US_ASCII);
      assertThat(new String(c.reader().readLine().join(WAIT), US_ASCII)).isEqualTo("over a file\n");
      assertThat(c.writer().canWriteEof()).isTrue();
      c.writer().writeEof();
      assertThat(c.reader().read(-1).join(WAIT)).as("the echo handler saw EOF and closed").isEmpty();
      c.writer().close();
      server.close();
      server.waitClosed().join(WAIT);
      assertThat(Files.exists(socket)).isFalse();
    }
  }
}
