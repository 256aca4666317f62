/**
 * Benchmarks of aionet, each measured beside the Netty (or JDK) baseline it must match: JMH
 * micro-benchmarks of promises, tasks and timers run on a loop thread, the {@link
 * dev.aionet.bench.EchoLoad} load generator and the {@link dev.aionet.bench.RawNettyEchoServer}
 * reference server. "The seed" is the introductory asyncio tutorial aionet grew from; its echo
 * server (a loop of {@code read(100)}, {@code write}, {@code drain}) is the program the seed
 * benchmarks run on aionet and on Python's asyncio. Not API.
 */
package dev.aionet.bench;
