package dev.aionet.streams;

import dev.aionet.core.Promise;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * A listening server started by {@link Streams#startServer}: asyncio's {@code Server}.
 *
 * <p>It is serving as soon as it is started. Each accepted connection runs the
 * {@link ClientHandler} as a task on the connection's own event loop thread; connections are
 * spread over all threads of the loop the server was started on.
 *
 * <p><b>Threading.</b> Every method may be called from any thread.
 *
 * @since 0.1
 */
public interface Server extends AutoCloseable {
  /**
   * Returns the listening addresses; empty once closed.
   *
   * @return the addresses
   */
  List<SocketAddress> sockets();

  /**
   * Returns the bound port, also when started with port 0.
   *
   * @return the port
   */
  int port();

  /**
   * Returns whether the server accepts connections.
   *
   * @return true until closed
   */
  boolean isServing();

  /**
   * Returns a promise that completes normally when {@link #close()} is called (without waiting for
   * {@link #waitClosed()}). Cancelling it closes the server. A second call, or a call after
   * close, fails with {@link IllegalStateException}.
   *
   * @return the promise
   */
  Promise<Void> serveForever();

  /**
   * Stops accepting: the listener is closing when this returns; open connections keep running.
   * Closing twice is harmless.
   */
  @Override
  void close();

  /**
   * Returns a promise that completes once the server is closed and every connection is closed
   * (asyncio 3.12.1+). Since a finished handler closes its connection, that is also "every
   * handler has finished".
   *
   * @return the promise
   */
  Promise<Void> waitClosed();

  /**
   * Shuts the server down without losing what its handlers wrote: stops accepting at once
   * ({@link #close()}), lets the open connections run on until their handlers end (each finished
   * handler's connection closes, lingering) or {@code grace} runs out, then
   * {@link #closeClients()} for those still open, then {@link #abortClients()} for what is still
   * open after the options' {@code lingerTimeout}. Completes when {@link #waitClosed()} does,
   * normally even when it had to abort. A second call returns the same promise.
   *
   * @param grace how long handlers may run on after the server stopped accepting
   * @return the promise
   */
  Promise<Void> shutdown(Duration grace);

  /**
   * Returns the number of connections accepted and not yet closed.
   *
   * @return the count
   */
  int connectionCount();

  /**
   * Returns the server's connection and traffic counts (see {@link ServerStats}): open now;
   * accepted, rejected, bytes read and written since it started. Any thread; counting costs no
   * allocation and no lock on the connections' hot path.
   *
   * @return a snapshot
   */
  ServerStats stats();

  /**
   * Closes every open connection gracefully, as their writers' {@link StreamWriter#close()}:
   * flush, half-close, discard input until the peer's EOF or the linger timeout, then close.
   */
  void closeClients();

  /** Resets every open connection (SO_LINGER 0), discarding unwritten data. */
  void abortClients();
}
