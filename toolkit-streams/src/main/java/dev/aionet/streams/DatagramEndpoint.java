package dev.aionet.streams;

import dev.aionet.core.Promise;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A UDP socket with an awaitable {@link #receive()}: asyncio's datagram transport and protocol
 * (from {@code loop.create_datagram_endpoint}) as one object, made by {@link Datagrams#bind} and
 * {@link Datagrams#connect}.
 *
 * <pre>{@code
 * DatagramEndpoint server = Datagrams.bind("127.0.0.1", 0).join();   // off the loop: join
 * Promise<Datagram> next = server.receive();                          // the next datagram
 * next.thenAccept(d -> server.send(d.data(), d.sender()));            // echo it back
 * }</pre>
 *
 * <p><b>Receiving.</b> Datagrams arrive whole or not at all: the receive buffer is sized to
 * {@link DatagramOptions#maxDatagramSize()} (Netty's default, 2,048 bytes, would cut longer
 * ones short), and a longer datagram is dropped, never delivered truncated. Until a
 * {@code receive()} takes them they wait in a queue of
 * {@link DatagramOptions#receiveQueue()} datagrams; what arrives while it is full is dropped and
 * counted by {@link #dropped()}, so a receiver that falls behind holds bounded memory. One
 * {@code receive()} may be pending at a time; a second one fails with
 * {@link IllegalStateException} (as a stream's concurrent reads do).
 *
 * <p><b>Errors.</b> An error the socket reports (an ICMP "port unreachable" after a send from a
 * connected endpoint is a {@link java.net.PortUnreachableException}; a send the OS refuses)
 * fails the next {@code receive()}, once, before any queued datagram; the endpoint stays open
 * (asyncio's {@code error_received}).
 *
 * <p><b>Cancellation.</b> Cancelling a {@code receive()} (directly, or through
 * {@code Aio.waitFor} or a task's cancellation) never loses a datagram: one that was about to be
 * handed to the cancelled receive stays at the head of the queue for the next one.
 *
 * <p><b>Closing.</b> {@link #close()} closes the socket: a pending {@code receive()} completes
 * with {@code null}, as does every later one, and queued datagrams are discarded. Sends after
 * close are dropped silently (asyncio's transport does the same).
 *
 * <p><b>Threading.</b> The endpoint lives on the loop thread that opened it; its promises
 * belong to that thread. Every method may be called from any thread and never blocks. After the
 * endpoint's {@code Loop} closed, {@code receive()} and {@code drain()} called from another
 * thread fail with {@code IllegalStateException("loop is closed")}, and a send's copy is released.
 *
 * @since 0.2
 */
public interface DatagramEndpoint extends AutoCloseable {

  /**
   * Returns a promise of the next datagram (the oldest queued one, or the next to arrive).
   *
   * @return the next datagram; {@code null} once the endpoint is closed; fails with the socket's
   *     pending error (e.g. {@link java.net.PortUnreachableException}) once, or with
   *     {@link IllegalStateException} if another {@code receive()} is pending
   */
  Promise<Datagram> receive();

  /**
   * Sends {@code data} as one datagram to {@code to} (asyncio's {@code sendto}). The bytes are
   * copied before this returns, so the array may be reused at once. It never blocks: the datagram
   * is queued and leaves with this loop turn's flush; {@link #drain()} waits while that queue is
   * above its high-water mark. A failure the OS reports comes back through the next
   * {@link #receive()}.
   *
   * @param data the payload, at most {@link DatagramOptions#maxDatagramSize()} bytes
   * @param to the destination, a resolved address; on a connected endpoint it must be the remote
   *     address
   * @throws IllegalArgumentException if {@code data} is longer than {@code maxDatagramSize},
   *     {@code to} is unresolved, or the endpoint is connected elsewhere
   * @throws NullPointerException if an argument is null
   */
  void send(byte[] data, InetSocketAddress to);

  /**
   * Sends {@code data} as one datagram to the remote address of a connected endpoint (asyncio's
   * {@code sendto(data)} with {@code addr} omitted). See {@link #send(byte[], InetSocketAddress)}.
   *
   * @param data the payload, at most {@link DatagramOptions#maxDatagramSize()} bytes
   * @throws IllegalStateException if the endpoint was made by {@link Datagrams#bind} (not
   *     connected)
   * @throws IllegalArgumentException if {@code data} is longer than {@code maxDatagramSize}
   */
  void send(byte[] data);

  /**
   * Returns a promise that completes once the datagrams sent so far are below the socket's
   * write-buffer high-water mark (Netty's 64 KiB; at once when already below it, or when the
   * endpoint is closed). A sender that awaits it after each send holds bounded memory.
   *
   * @return a promise of the moment sending may go on
   */
  Promise<Void> drain();

  /**
   * Returns the address the socket is bound to (the chosen port when bound to port 0).
   *
   * @return the local address
   */
  InetSocketAddress localAddress();

  /**
   * Returns the remote address of a connected endpoint (asyncio's {@code peername}).
   *
   * @return the address {@link Datagrams#connect} connected to, or empty for a bound endpoint
   */
  Optional<InetSocketAddress> remoteAddress();

  /**
   * Returns how many received datagrams this endpoint dropped: because the receive queue was full,
   * or because one was longer than {@link DatagramOptions#maxDatagramSize()}. Datagrams the
   * kernel drops before aionet sees them (its socket receive buffer full, a bad checksum) are not
   * counted: UDP does not report them to the receiver.
   *
   * @return the number dropped since the endpoint opened
   */
  long dropped();

  /**
   * Closes the socket (asyncio's {@code transport.close()}): a pending {@link #receive()}
   * completes with {@code null}. Idempotent.
   */
  @Override
  void close();

  /**
   * Returns a promise that completes once the socket is closed.
   *
   * @return a promise of the closure
   */
  Promise<Void> waitClosed();
}
