package dev.aionet.streams;

import dev.aionet.core.Promise;
import dev.aionet.streams.internal.Connector;
import dev.aionet.streams.internal.ServerImpl;

/**
 * Starts servers and opens connections: asyncio's {@code start_server} and
 * {@code open_connection}.
 *
 * <pre>{@code
 * Aio.run(() -> Streams.startServer((reader, writer) ->
 *         reader.read(100).thenCompose(data -> writer.writeAndDrain(data)),
 *     "127.0.0.1", 8888).thenCompose(Server::serveForever));
 * }</pre>
 *
 * <p><b>Host names</b> are resolved without blocking the loop thread, by Netty's asynchronous DNS
 * resolver ({@code /etc/hosts}, then the system's DNS servers; IPv4 first as the JDK orders
 * addresses) or the resolver the options name; the first address is used. A name with no address
 * fails the promise with {@link java.net.UnknownHostException} naming it.
 *
 * <p><b>Threading.</b> Both are loop-bound (see the dev.aionet.core package documentation, "Threads"): called off every loop thread they
 * throw {@code IllegalStateException("no running event loop")}. A server's connections are spread
 * over every thread of the calling loop; a client connection lives on the calling thread.
 *
 * @since 0.1
 */
public final class Streams {
  private Streams() {}

  /**
   * Starts a TCP server with the default options.
   *
   * @param handler serves each connection, as a task on the connection's thread
   * @param host the address to bind, e.g. {@code "127.0.0.1"}, {@code "0.0.0.0"}, {@code "::"}
   * @param port the port; 0 picks a free one ({@link Server#port()} tells which)
   * @return a promise of the serving server; fails with the bind error
   */
  public static Promise<Server> startServer(ClientHandler handler, String host, int port) {
    return ServerImpl.start(handler, host, port, ServerOptions.defaults());
  }

  /**
   * Starts a TCP server.
   *
   * @param handler serves each connection, as a task on the connection's thread
   * @param host the address to bind
   * @param port the port; 0 picks a free one
   * @param options limit, backlog, water marks, pipeline customizer...
   * @return a promise of the serving server; fails with the bind error
   */
  public static Promise<Server> startServer(ClientHandler handler, String host, int port, ServerOptions options) {
    return ServerImpl.start(handler, host, port, options);
  }

  /**
   * Starts a server on a Unix domain socket (asyncio's {@code start_unix_server}), on epoll or
   * NIO (the JDK's Unix sockets, Java 16+). {@link Server#port()} is -1 and
   * {@link Server#sockets()} gives the socket's address; the file is removed when the server
   * closes. An existing file at {@code path} makes the bind fail.
   *
   * @param handler serves each connection, as a task on the connection's thread
   * @param path the socket file to create
   * @param options limit, water marks, pipeline customizer, TLS, protections
   * @return a promise of the serving server; fails with the bind error
   */
  public static Promise<Server> startUnixServer(ClientHandler handler, java.nio.file.Path path, ServerOptions options) {
    return ServerImpl.startUnix(handler, path, options);
  }

  /**
   * Opens a connection to a Unix domain socket (asyncio's {@code open_unix_connection}).
   *
   * @param path the socket file
   * @param options limit, connect timeout, pipeline customizer, TLS ({@code localAddress} does not
   *     apply)
   * @return a promise of the connection; fails with the connect error
   */
  public static Promise<Connection> openUnixConnection(java.nio.file.Path path, ClientOptions options) {
    return Connector.openUnix(path, options);
  }

  /**
   * Opens a TCP connection with the default options.
   *
   * @param host the host name or address
   * @param port the port
   * @return a promise of the connection; fails with the connect error (e.g. a
   *     {@link java.net.ConnectException} when refused)
   */
  public static Promise<Connection> openConnection(String host, int port) {
    return Connector.open(host, port, ClientOptions.defaults());
  }

  /**
   * Opens a TCP connection.
   *
   * @param host the host name or address
   * @param port the port
   * @param options limit, connect timeout, pipeline customizer, local address
   * @return a promise of the connection; fails with the connect error
   */
  public static Promise<Connection> openConnection(String host, int port, ClientOptions options) {
    return Connector.open(host, port, options);
  }
}
