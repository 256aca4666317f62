package dev.aionet.streams;

import dev.aionet.core.Promise;
import dev.aionet.streams.internal.DatagramOpener;

/**
 * Opens UDP endpoints: asyncio's {@code loop.create_datagram_endpoint}, with the protocol's
 * callbacks replaced by an awaitable {@link DatagramEndpoint#receive()}.
 *
 * <table>
 *   <caption>asyncio and aionet</caption>
 *   <tr><th>asyncio</th><th>aionet</th></tr>
 *   <tr><td>{@code create_datagram_endpoint(P, local_addr=(host, port))}</td>
 *       <td>{@code Datagrams.bind(host, port)}</td></tr>
 *   <tr><td>{@code create_datagram_endpoint(P, remote_addr=(host, port))}</td>
 *       <td>{@code Datagrams.connect(host, port)}</td></tr>
 *   <tr><td>{@code P.datagram_received(data, addr)}</td><td>{@code endpoint.receive()}</td></tr>
 *   <tr><td>{@code P.error_received(exc)}</td><td>the next {@code receive()} fails with it</td></tr>
 *   <tr><td>{@code transport.sendto(data, addr)}</td><td>{@code endpoint.send(data, addr)}</td></tr>
 * </table>
 *
 * <p>The host is an address literal ({@code "127.0.0.1"}, {@code "::1"}, {@code "0.0.0.0"},
 * {@code "::"}) or a name, resolved as for TCP connections: by Netty's asynchronous DNS resolver
 * over {@code /etc/hosts} and the system's DNS servers, never blocking the loop thread (a name
 * without an address fails the promise with an {@code UnknownHostException} naming it); the
 * socket's family (IPv4 or IPv6) follows the address. Each opens its socket on the calling loop thread
 * (on NIO or epoll, whichever the loop runs), and the endpoint stays there.
 *
 * <p><b>Threading.</b> Loop-bound: called off every loop thread they throw
 * {@code IllegalStateException("no running event loop")}.
 *
 * @since 0.2
 */
public final class Datagrams {
  private Datagrams() {}

  /**
   * Opens an endpoint bound to {@code host:port} with the default options; it receives from
   * anyone and sends anywhere.
   *
   * @param host the address to bind
   * @param port the port; 0 picks a free one ({@link DatagramEndpoint#localAddress()} tells which)
   * @return a promise of the endpoint; fails with the bind error (e.g. a
   *     {@link java.net.BindException}) or an {@link java.net.UnknownHostException}
   */
  public static Promise<DatagramEndpoint> bind(String host, int port) {
    return DatagramOpener.bind(host, port, DatagramOptions.defaults());
  }

  /**
   * Opens an endpoint bound to {@code host:port}.
   *
   * @param host the address to bind
   * @param port the port; 0 picks a free one
   * @param options datagram size, receive queue, broadcast, port sharing
   * @return a promise of the endpoint; fails with the bind error or an
   *     {@link java.net.UnknownHostException}
   */
  public static Promise<DatagramEndpoint> bind(String host, int port, DatagramOptions options) {
    return DatagramOpener.bind(host, port, options);
  }

  /**
   * Opens an endpoint connected to {@code host:port} with the default options (asyncio's
   * {@code remote_addr}): {@link DatagramEndpoint#send(byte[])} goes there, only its datagrams
   * arrive, and the OS reports when nothing listens there (a
   * {@link java.net.PortUnreachableException} on a later {@code receive()}). The local address is
   * a free port on the wildcard address of the remote address's family.
   *
   * @param host the remote address
   * @param port the remote port
   * @return a promise of the endpoint; fails with the connect error or an
   *     {@link java.net.UnknownHostException}
   */
  public static Promise<DatagramEndpoint> connect(String host, int port) {
    return DatagramOpener.connect(host, port, DatagramOptions.defaults());
  }

  /**
   * Opens an endpoint connected to {@code host:port}; see {@link #connect(String, int)}.
   *
   * @param host the remote address
   * @param port the remote port
   * @param options datagram size, receive queue, broadcast, port sharing
   * @return a promise of the endpoint; fails with the connect error or an
   *     {@link java.net.UnknownHostException}
   */
  public static Promise<DatagramEndpoint> connect(String host, int port, DatagramOptions options) {
    return DatagramOpener.connect(host, port, options);
  }
}
