/**
 * Implementation detail of aionet; not API; may change in any release.
 *
 * <p>One class per concept: {@link dev.aionet.core.internal.PromiseImpl} (settling and listeners),
 * {@link dev.aionet.core.internal.Derived} (the derivations), {@link dev.aionet.core.internal.TaskImpl},
 * {@link dev.aionet.core.internal.LoopThread} (a loop thread's ready queue and turns) and
 * {@link dev.aionet.core.internal.LoopCore} (a loop's threads, tasks and exception handler).
 */
package dev.aionet.core.internal;
