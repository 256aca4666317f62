package dev.aionet.core;

/**
 * A snapshot of a loop's activity, from {@link Loop#stats()}: what an operator watches to know
 * whether the loop keeps up. asyncio has no such call (only debug-mode logs of slow callbacks);
 * these figures are counted all the time, debug mode on or off.
 *
 * <p>A <em>turn</em> is one uninterrupted stretch of work the loop thread does for aionet: a
 * pass over its ready callbacks ({@code callSoon}, task steps, done callbacks), a pass over the
 * timers that are due, a continuation arriving from another thread, or one connection's read
 * burst (the bytes the socket delivered at once, and the handler code they resume inline).
 * The time a thread spends waiting for I/O belongs to no turn.
 *
 * @param threads the loop's threads
 * @param tasksAlive tasks started and not yet finished, now
 * @param readyCallbacks callbacks queued for the next turn, now (a snapshot taken without
 *     stopping the threads, so approximate while they run)
 * @param turns turns run since the loop started
 * @param slowTurns turns that took {@linkplain LoopOptions#slowCallbackDuration() longer than
 *     the slow-callback duration} (default 100 ms), since the loop started
 * @param maxTurnNanos the longest turn since the previous {@code stats()} call, nanoseconds
 * @param maxTimerLagNanos how late the latest timer ran ({@code callLater}, timeouts), measured
 *     from its deadline, since the previous {@code stats()} call, nanoseconds
 */
public record LoopStats(int threads, int tasksAlive, int readyCallbacks, long turns, long slowTurns,
                        long maxTurnNanos, long maxTimerLagNanos) {}
