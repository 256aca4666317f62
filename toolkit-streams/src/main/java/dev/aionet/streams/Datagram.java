package dev.aionet.streams;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * One datagram a {@link DatagramEndpoint} received: its bytes, whole (never truncated), and who
 * sent it (asyncio's {@code datagram_received(data, addr)} arguments as one value).
 *
 * <p>{@code data} is the endpoint's own copy: no Netty buffer stands behind it, so there is
 * nothing to release. Two datagrams are equal when their bytes and senders are.
 *
 * @param data the payload, 0 to {@link DatagramOptions#maxDatagramSize()} bytes
 * @param sender the address it came from (a connected endpoint: always its remote address)
 * @since 0.2
 */
public record Datagram(byte[] data, InetSocketAddress sender) {

  /**
   * Creates a datagram.
   *
   * @param data the payload
   * @param sender the address it came from
   */
  public Datagram {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(sender, "sender");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Datagram && Arrays.equals(data, ((Datagram) o).data)
        && sender.equals(((Datagram) o).sender);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + sender.hashCode();
  }

  /** Shows the size and the sender, not the bytes. */
  @Override
  public String toString() {
    return "Datagram[" + data.length + " bytes from " + sender + "]";
  }
}
