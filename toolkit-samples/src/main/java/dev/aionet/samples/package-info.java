/**
 * The programs of "the seed", the introductory asyncio tutorial aionet grew from (greetings with
 * {@code gather}, long operations with {@code create_task}, timeouts, an echo server), written
 * with aionet, each a small {@code main}: run them
 * with {@code java -cp toolkit-samples/target/echo-server.jar dev.aionet.samples.NAME}.
 */
package dev.aionet.samples;
