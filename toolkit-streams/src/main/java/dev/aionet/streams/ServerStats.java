package dev.aionet.streams;

/**
 * A snapshot of a server's connections and traffic, from {@link Server#stats()}. asyncio's
 * {@code Server} has no such call; these are totals since the server started, except {@code
 * open}.
 *
 * <p>Byte-stream connections ({@link Streams}) and message connections ({@link Messages}) count
 * alike: for a message connection the bytes are those beneath its codec, what the decoders read
 * and what the encoders wrote (a length-prefixed frame counts its prefix, an HTTP response its
 * headers), including what the codec's own handlers write, such as a WebSocket handshake.
 *
 * @param open connections accepted and not yet closed, now (as {@link Server#connectionCount()})
 * @param accepted connections accepted and served since the server started, those still open included
 *     (rejected ones not)
 * @param rejected connections closed at once because {@code maxConnections} were already open
 * @param bytesRead bytes the connections received from clients: the application's bytes (a message
 *     connection's before its codec decoded them), after TLS decryption and after a PROXY protocol
 *     header
 * @param bytesWritten bytes the connections handed to the socket and the socket accepted: the
 *     application's bytes (a message connection's as its codec encoded them), before TLS encryption
 */
public record ServerStats(int open, long accepted, long rejected, long bytesRead, long bytesWritten) {}
