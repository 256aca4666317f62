package dev.aionet.streams;

/**
 * The two ends of an open message connection, as {@link Messages#openConnection} gives them.
 *
 * @param reader reads the decoded messages the peer sends
 * @param writer writes messages to the peer; close it when done
 * @param <I> the type of the messages read
 * @param <O> the type of the messages written
 * @since 0.2
 */
public record MessageConnection<I, O>(MessageReader<I> reader, MessageWriter<O> writer) {}
