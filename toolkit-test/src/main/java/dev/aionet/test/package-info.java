/**
 * The aionet test kit: {@link dev.aionet.test.TestLoop}, a loop on a virtual clock that jumps
 * to the next timer when the loop is idle, so tests of timeouts, retries and idle disconnects run
 * in milliseconds and exactly; and {@link dev.aionet.test.AionetExtension}, which gives JUnit 5
 * tests such a loop and fails them on leftover tasks, leaked buffers and unhandled loop errors.
 */
package dev.aionet.test;
