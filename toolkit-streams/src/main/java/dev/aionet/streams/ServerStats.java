package dev.aionet.streams;

/**
 * A snapshot of a server's connections and traffic, from {@link Server#stats()}. asyncio's
 * {@code Server} has no such call; these are totals since the server started, except {@code
 * open}.
 *
 * @param open connections accepted and not yet closed, now (as {@link Server#connectionCount()})
 * @param accepted connections accepted and served since the server started, those still open included
 *     (rejected ones not)
 * @param rejected connections closed at once because {@code maxConnections} were already open
 * @param bytesRead bytes the connections' readers received from clients: the application's bytes,
 *     after TLS decryption and after a PROXY protocol header
 * @param bytesWritten bytes the connections' writers handed to the socket and the socket accepted:
 *     the application's bytes, before TLS encryption
 */
public record ServerStats(int open, long accepted, long rejected, long bytesRead, long bytesWritten) {}
