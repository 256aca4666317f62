package dev.aionet.streams;

/**
 * The two ends of an open connection, as {@link Streams#openConnection} gives them: asyncio's
 * {@code (reader, writer)} pair.
 *
 * @param reader reads what the peer sends
 * @param writer writes to the peer; close it when done
 * @since 0.1
 */
public record Connection(StreamReader reader, StreamWriter writer) {}
