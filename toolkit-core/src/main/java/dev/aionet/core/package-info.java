/**
 * aionet's core: asyncio's programming model on Netty. {@link dev.aionet.core.Aio} is the asyncio
 * module, {@link dev.aionet.core.Loop} the event loop, {@link dev.aionet.core.Promise} asyncio's
 * Future and {@link dev.aionet.core.Task} its Task.
 *
 * <p>Everything here is API; {@code dev.aionet.core.internal} is not. The rules below hold for
 * every type of this package and of the modules built on it; the Javadoc of a method refers to
 * them by their headings.
 *
 * <h2 id="outcomes">Outcomes: promises report, programming errors throw</h2>
 * A method that returns a {@link dev.aionet.core.Promise} reports every run-time outcome through
 * that promise and never throws for it. Only programming errors throw at once:
 * {@code IllegalArgumentException}, {@code NullPointerException}, and the
 * {@code IllegalStateException("no running event loop")} of a loop-bound call made off every loop.
 * The {@code ...Nowait} methods and other methods that return no promise throw. Note that
 * {@link dev.aionet.core.CancelledException} extends the JDK's {@code CancellationException},
 * which extends {@code IllegalStateException}.
 *
 * <h2 id="states">Four states</h2>
 * A promise is {@code PENDING}, {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}.
 * {@code isFailed()} is false for a cancelled promise. A promise that <em>failed with</em> a
 * {@code CancelledException} (a {@code gather} whose child was cancelled) is {@code FAILED}, not
 * {@code CANCELLED}, as in asyncio.
 *
 * <h2 id="ownership">Ownership</h2>
 * A promise created on a loop thread belongs to that loop thread: its callbacks and continuations
 * run there. {@code Promise.completed/failed/from(...)} created off every loop belong to no loop
 * and run callbacks on the thread that registers or completes them. {@code
 * CompletablePromise.create()} off a loop thread throws {@code IllegalStateException("no running
 * event loop")}: use {@link dev.aionet.core.Loop#newPromise()}.
 *
 * <h2 id="continuations">Continuations and callbacks</h2>
 * A derivation ({@code thenApply}, {@code thenCompose}, ...) runs inline when its source is
 * already settled and the caller is on the owning loop thread (like {@code await} on a done
 * future), and inline at the moment the source settles on that thread, in registration order. The
 * stack depth is bounded: past the bound the continuation hops to the next turn; a promise owned
 * by no loop uses a thread-local trampoline instead. {@code addDoneCallback} on a promise owned by
 * a loop always runs its callback on a later turn of that loop (asyncio's {@code call_soon}), never
 * inside the call that registered or completed it.
 *
 * <p>A derivation belongs to the loop of the thread that created it when that is a loop thread (the
 * continuation resumes "on my loop", even when the source belongs to another loop), else to the
 * source's loop. A promise owned by no loop runs a callback inline on the thread that registers it
 * once it is settled, or on the thread that settles it.
 *
 * <h2 id="throwing">Throwing out of a Java method</h2>
 * {@code result()}, {@code join()} and {@code Aio.run} rethrow the failure itself when it is
 * unchecked (a {@code RuntimeException} or {@code Error}), {@code CancelledException} when
 * cancelled, and wrap a checked failure in {@code java.util.concurrent.CompletionException} (the
 * cause is the failure).
 *
 * <h2 id="threads">Threads</h2>
 * Constructors of primitives and queues take no loop: they may be shared by tasks on any loop
 * thread, and a waiter resumes on its own loop thread. Calling a loop-bound function off every loop
 * thread ({@code Aio.createTask}, {@code Aio.sleep}, {@code Aio.gather}, {@code
 * CompletablePromise.create()}, ...) throws {@code IllegalStateException("no running event loop")}
 * at once. {@code Aio.run}, {@code Loop.create} and constructors work on any thread that is not a
 * loop thread; {@code Aio.run}, {@code runUntilComplete} and {@code Loop.close} on a loop thread
 * throw {@code IllegalStateException}, as asyncio's {@code run()} inside a running loop. Methods on
 * objects (promises, readers, writers, servers, primitives, {@code Loop.submit}/{@code callSoon})
 * are thread-safe and hop onto the right loop.
 *
 * <h2 id="cancellation">Cancellation as an outcome</h2>
 * Any outcome whose exception is a {@code CancelledException} counts as cancellation for
 * derivations, whether the source is {@code CANCELLED} or {@code FAILED} with it: {@code
 * thenApply}, {@code thenCompose}, {@code thenAccept}, {@code exceptionally} and {@code
 * exceptionallyCompose} skip their function and the derived promise ends {@code CANCELLED}; {@code
 * whenComplete} runs its action and passes the cancellation through; {@code handle} calls its
 * function with the {@code CancelledException} and takes the function's outcome, so {@code handle}
 * is how a chain recovers from cancellation (asyncio's {@code except CancelledError: return 42}). A
 * promise cancelled directly (also a {@code gather} or {@code waitFor} promise) ends {@code
 * CANCELLED}, and so does a task whose chain settles with a {@code CancelledException} (asyncio: a
 * task whose coroutine raises {@code CancelledError} is cancelled). Cancelling a derived promise
 * forwards the cancellation to the promise it waits on now, as asyncio's {@code Task.cancel}
 * cancels the future its coroutine awaits.
 *
 * <h2 id="durations">Durations</h2>
 * Durations are {@code java.time.Duration}. A negative duration counts as zero (asyncio); {@code
 * null} means "no timeout" where a method says so, else it is a {@code NullPointerException}.
 *
 * <h2 id="tasks">Tasks and errors nobody sees</h2>
 * A task cancelled before its coroutine ran never calls it and ends {@code CANCELLED}. Derivations
 * created while a task runs belong to that task: {@code Aio.currentTask()} inside them returns it.
 * Errors that reach no caller (a callback that throws, a handler's failure, a task exception never
 * retrieved) go to the loop's exception handler ({@link dev.aionet.core.Loop#setExceptionHandler}),
 * whose default logs through SLF4J.
 *
 * <p>Where aionet deliberately differs from asyncio, the project's
 * {@code docs/differences-from-asyncio.md} lists each difference and why.
 */
package dev.aionet.core;
