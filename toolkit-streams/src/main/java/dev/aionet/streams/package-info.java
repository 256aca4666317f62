/**
 * asyncio's streams over Netty pipelines: {@link dev.aionet.streams.Streams#startServer} and
 * {@link dev.aionet.streams.Streams#openConnection} give a {@link dev.aionet.streams.StreamReader}
 * and a {@link dev.aionet.streams.StreamWriter} per connection. Every connection is a plain Netty
 * channel; user handlers go in front of aionet's stream adapter through the options' pipeline
 * customizer, and must pass bytes ({@code ByteBuf}) on to it.
 *
 * <h2 id="reader">The reader's buffer</h2>
 * The rules are those of CPython's {@code Lib/asyncio/streams.py}:
 * <ul>
 *   <li>A read consumes bytes only when it succeeds. A read that fails or is cancelled leaves the
 *       buffer as it was, so bytes gathered while it waited are returned by the next read.
 *   <li>{@code read(n)} returns up to {@code n} bytes as soon as one is there, and is not capped by
 *       the limit; {@code read(0)} returns an empty array at once; {@code read(-1)} reads to EOF.
 *   <li>{@code readExactly(n)} and {@code readUntil(sep)} that meet EOF first fail with
 *       {@link dev.aionet.streams.IncompleteReadException} carrying the partial bytes, and the
 *       buffer is cleared.
 *   <li>{@code readUntil} over the limit fails with {@link dev.aionet.streams.LimitOverrunException}
 *       and leaves the data in the buffer. {@code readLine} over the limit drops the over-long line,
 *       also the part of it that arrives later (see {@code docs/differences-from-asyncio.md}).
 *   <li>An exception set on the reader (a lost connection, a pipeline error) fails the pending read
 *       and every later read, even while bytes are still buffered.
 *   <li>One read may wait at a time: a second concurrent read fails with
 *       {@code IllegalStateException}.
 * </ul>
 *
 * <h2 id="eof">End of input</h2>
 * {@code atEof()} is true once the peer closed its side <em>and</em> every buffered byte was read;
 * reads then return an empty result ({@code read} an empty array, {@code readLine} an empty array).
 * A half-closed peer can still be written to.
 *
 * <h2 id="flow">Flow control</h2>
 * Reading from the socket pauses (Netty's {@code autoRead} off) while more than twice the limit is
 * buffered and resumes once a read leaves at most the limit; a read that must wait while paused
 * resumes reading first, so no read can deadlock. Writes never block: they are gathered and
 * flushed once per turn (or at the end of a read burst), and {@code drain()} waits while more than
 * the high-water mark is buffered, until the buffer is at or below the low-water mark.
 *
 * <h2 id="closing">Closing</h2>
 * A write after {@code close()} is dropped, and the next {@code drain()} fails with
 * {@link dev.aionet.streams.ConnectionResetException}, as asyncio. {@code close()} flushes what was
 * written; {@code abort()} discards it. A server handler whose promise settles closes its
 * connection (flush, then close), so a server's {@code waitClosed()} means the listener is closed
 * and every handler has finished.
 *
 * <h2 id="datagrams">Datagrams</h2>
 * {@link dev.aionet.streams.Datagrams#bind} and {@link dev.aionet.streams.Datagrams#connect} open
 * UDP endpoints (asyncio's {@code create_datagram_endpoint}) whose
 * {@link dev.aionet.streams.DatagramEndpoint#receive()} returns the next whole datagram, never a
 * truncated one. Received datagrams wait in a bounded queue (what overflows it is counted by
 * {@code dropped()}), a cancelled receive loses nothing, and an ICMP error fails the next receive
 * once while the endpoint stays open.
 */
package dev.aionet.streams;
