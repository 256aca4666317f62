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
 * <p><b>Threading.</b> Both are loop-bound (API.md rule 7): called off every loop thread they
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
