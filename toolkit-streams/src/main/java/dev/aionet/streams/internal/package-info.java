/**
 * Implementation detail of aionet; not API; may change in any release.
 *
 * <p>{@link dev.aionet.streams.internal.StreamAdapter} is the last inbound handler of every stream
 * channel; it feeds the {@link dev.aionet.streams.internal.StreamReaderImpl} buffer and backs the
 * {@link dev.aionet.streams.internal.StreamWriterImpl}. They share this package so the adapter
 * (and tests) can feed the reader package-privately.
 *
 * <p>{@link dev.aionet.streams.internal.DatagramEndpointImpl} is the only handler of a UDP
 * channel; it copies each datagram into a {@link dev.aionet.streams.internal.ReceiveQueue}, the
 * generic queue of received items with one cancellation-safe pending receive.
 */
package dev.aionet.streams.internal;
