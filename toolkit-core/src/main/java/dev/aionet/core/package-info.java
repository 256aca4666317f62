/**
 * aionet's core: asyncio's programming model on Netty. {@link dev.aionet.core.Aio} is the asyncio
 * module, {@link dev.aionet.core.Loop} the event loop, {@link dev.aionet.core.Promise} asyncio's
 * Future and {@link dev.aionet.core.Task} its Task.
 *
 * <p>Everything here is API; {@code dev.aionet.core.internal} is not.
 */
package dev.aionet.core;
