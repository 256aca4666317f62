/**
 * The seed tutorial's asyncio programs written with aionet, each a small {@code main}: run them
 * with {@code java -cp toolkit-samples/target/echo-server.jar dev.aionet.samples.NAME}.
 */
package dev.aionet.samples;
