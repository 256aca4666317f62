package dev.aionet.streams;

import dev.aionet.core.Promise;
import dev.aionet.streams.internal.Connector;
import dev.aionet.streams.internal.Protocol;
import dev.aionet.streams.internal.ServerImpl;
import java.nio.file.Path;

/**
 * Servers and connections that speak a {@link Codec}'s messages instead of bytes: any of Netty's
 * codecs behind asyncio-style reads and writes, with the same backpressure, cancellation and
 * protections as {@link Streams}.
 *
 * <pre>{@code
 * Messages.startServer((reader, writer) -> Aio.repeatWhile(() -> reader.read().thenApply(line -> {
 *   if (line == null) return false;          // the peer closed
 *   writer.write(line.toUpperCase());         // the codec adds the "\n"
 *   return true;
 * })), Codec.lines(1024), "127.0.0.1", 8888);
 * }</pre>
 *
 * <p>Each connection's pipeline is {@code SslHandler} (with TLS) → the options' own handlers
 * ({@code pipeline} customizer) → the codec's handlers → the server's protections (idle and read
 * timeouts) → aionet's message adapter, whose {@link MessageReader} and {@link MessageWriter}
 * the handler gets. A finished handler's connection is closed, as with {@link Streams}.
 *
 * <p><b>Options and stats.</b> Every {@link ServerOptions} applies as to a byte server; with
 * {@code proxyProtocol(true)} the PROXY header is read first, beneath TLS and the codec, and
 * {@code writer.getExtraInfo("peername")} is the client it names. A message connection counts in
 * {@link Server#stats()} with the bytes beneath its codec (what the decoders read, what the
 * encoders wrote) and in {@code Loop.stats()} with one turn per read burst, as a byte connection.
 *
 * <p><b>Threading.</b> Loop-bound, as {@link Streams}: called off every loop thread these throw
 * {@code IllegalStateException("no running event loop")}; the server's connections and a client
 * connection live on the calling thread's loop.
 *
 * @since 0.2
 */
public final class Messages {
  private Messages() {}

  /**
   * Starts a server of {@code codec}'s messages on {@code host:port}, with default options.
   *
   * @param handler serves each connection
   * @param codec the connections' codec
   * @param host the address to bind
   * @param port the port, 0 for any free one
   * @param <I> the type read
   * @param <O> the type written
   * @return a promise of the serving server, failing with the bind error
   */
  public static <I, O> Promise<Server> startServer(MessageHandler<I, O> handler, Codec<I, O> codec, String host,
      int port) {
    return startServer(handler, codec, host, port, ServerOptions.defaults());
  }

  /**
   * Starts a server of {@code codec}'s messages on {@code host:port}.
   *
   * @param handler serves each connection
   * @param codec the connections' codec
   * @param host the address to bind
   * @param port the port, 0 for any free one
   * @param options TLS, protections, {@code messageLimit}, pipeline customizer...
   * @param <I> the type read
   * @param <O> the type written
   * @return a promise of the serving server, failing with the bind error
   */
  public static <I, O> Promise<Server> startServer(MessageHandler<I, O> handler, Codec<I, O> codec, String host,
      int port, ServerOptions options) {
    return ServerImpl.startMessages(handler, codec, host, port, options);
  }

  /**
   * Starts a server of {@code codec}'s messages on the Unix socket file {@code path}; the file is
   * removed when the server closes.
   *
   * @param handler serves each connection
   * @param codec the connections' codec
   * @param path the socket file to create
   * @param options the options
   * @param <I> the type read
   * @param <O> the type written
   * @return a promise of the serving server, failing with the bind error
   */
  public static <I, O> Promise<Server> startUnixServer(MessageHandler<I, O> handler, Codec<I, O> codec, Path path,
      ServerOptions options) {
    return ServerImpl.startMessagesUnix(handler, codec, path, options);
  }

  /**
   * Connects to {@code host:port} and speaks {@code codec}'s messages, with default options.
   *
   * @param codec the connection's codec
   * @param host the host name or address
   * @param port the port
   * @param <I> the type read
   * @param <O> the type written
   * @return a promise of the connection, failing with the connect error
   */
  public static <I, O> Promise<MessageConnection<I, O>> openConnection(Codec<I, O> codec, String host, int port) {
    return openConnection(codec, host, port, ClientOptions.defaults());
  }

  /**
   * Connects to {@code host:port} and speaks {@code codec}'s messages.
   *
   * @param codec the connection's codec
   * @param host the host name or address
   * @param port the port
   * @param options TLS, {@code messageLimit}, connect timeout, pipeline customizer...
   * @param <I> the type read
   * @param <O> the type written
   * @return a promise of the connection, failing with the connect error
   */
  public static <I, O> Promise<MessageConnection<I, O>> openConnection(Codec<I, O> codec, String host, int port,
      ClientOptions options) {
    return Connector.open(Protocol.messages(codec, options.messageLimit()), host, port, options);
  }

  /**
   * Connects to the Unix socket file {@code path} and speaks {@code codec}'s messages.
   *
   * @param codec the connection's codec
   * @param path the socket file
   * @param options the options
   * @param <I> the type read
   * @param <O> the type written
   * @return a promise of the connection, failing with the connect error
   */
  public static <I, O> Promise<MessageConnection<I, O>> openUnixConnection(Codec<I, O> codec, Path path,
      ClientOptions options) {
    return Connector.openUnix(Protocol.messages(codec, options.messageLimit()), path, options);
  }
}
