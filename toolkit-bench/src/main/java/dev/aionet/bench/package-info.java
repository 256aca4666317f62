/**
 * Benchmarks of aionet, each measured beside the Netty (or JDK) baseline it must match: JMH
 * micro-benchmarks of promises, tasks and timers run on a loop thread, the {@link
 * dev.aionet.bench.EchoLoad} load generator and the {@link dev.aionet.bench.RawNettyEchoServer}
 * reference server. Not API.
 */
package dev.aionet.bench;
