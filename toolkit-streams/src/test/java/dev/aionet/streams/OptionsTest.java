package dev.aionet.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ServerOptions and ClientOptions: defaults and refused values. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OptionsTest {

  @Test
  void defaultsAreAsyncioAndNettyDefaultsWithEveryProtectionOff() {
    ServerOptions server = ServerOptions.defaults();
    assertThat(server.limit()).isEqualTo(65536);
    assertThat(server.backlog()).as("the OS's SOMAXCONN").isEmpty();
    assertThat(server.lowWaterMark()).isEqualTo(32 * 1024);
    assertThat(server.highWaterMark()).isEqualTo(64 * 1024);
    assertThat(server.sslHandshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(server.maxConnections()).isZero();
    assertThat(server.idleTimeout()).isEmpty();
    assertThat(server.readTimeout()).isEmpty();
    assertThat(server.ssl()).isEmpty();
    ClientOptions client = ClientOptions.defaults();
    assertThat(client.limit()).isEqualTo(65536);
    assertThat(client.connectTimeout()).isEmpty();
    assertThat(client.ssl()).isEmpty();
  }

  @Test
  void badValuesAreRefusedAtOnce() {
    // asyncio: ValueError('Limit cannot be <= 0'); asyncio: 'high (..) must be >= low (..) must be >= 0'
    assertThatThrownBy(() -> ServerOptions.builder().limit(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Limit cannot be <= 0");
    assertThatThrownBy(() -> ClientOptions.builder().limit(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerOptions.builder().writeBufferWaterMark(10, 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("high (5) must be >= low (10) must be >= 0");
    assertThatThrownBy(() -> ServerOptions.builder().maxConnections(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerOptions.builder().idleTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerOptions.builder().readTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServerOptions.builder().backlog(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
