/**
 * asyncio's streams over Netty pipelines: {@link dev.aionet.streams.Streams#startServer} and
 * {@link dev.aionet.streams.Streams#openConnection} give a {@link dev.aionet.streams.StreamReader}
 * and a {@link dev.aionet.streams.StreamWriter} per connection. Every connection is a plain Netty
 * channel; user handlers go in front of aionet's stream adapter through the options' pipeline
 * customizer.
 */
package dev.aionet.streams;
