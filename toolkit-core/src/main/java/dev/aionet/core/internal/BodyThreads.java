package dev.aionet.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the thread an async body runs on, one per body, ending with it:
 *
 * <ul>
 *   <li>on Java 24+ with {@code --add-opens java.base/java.lang=ALL-UNNAMED}: a virtual thread
 *       whose carrier is the loop thread itself, through the JDK-internal
 *       {@code ThreadBuilders.VirtualThreadBuilder(Executor)} constructor (Micronaut and Netty's
 *       virtual-thread scheduler experiments use it too). A hand-off is then a continuation
 *       switch on the loop thread, with no OS thread switch. Not on 21 to 23: there a
 *       {@code synchronized} block pins the virtual thread, and an await inside one would park
 *       the loop thread itself. Turned off with {@code -Ddev.aionet.async.carrier=false};
 *   <li>else on Java 21+: a virtual thread on the JDK's scheduler;
 *   <li>else (Java 17): a daemon platform thread.
 * </ul>
 *
 * Everything is found at run time, since the build targets Java 17; a missing piece falls back
 * to the next line, with the same behaviour.
 */
final class BodyThreads {
  private static final Logger log = LoggerFactory.getLogger(BodyThreads.class);

  /** {@code (String name, Runnable r) -> Thread.ofVirtual().name(name).unstarted(r)}, or null. */
  private static final MethodHandle VIRTUAL = findVirtual();
  /**
   * The JDK's own virtual-thread scheduler, where the continuations of other virtual threads a
   * body starts are sent (a virtual thread inherits the scheduler of the one that creates it, so
   * without this {@code Aio.toThread} inside a body would run on the loop thread). Null if not
   * reachable, and then no body uses its loop thread as carrier.
   */
  private static final java.util.concurrent.Executor JDK_SCHEDULER = VIRTUAL == null ? null : findJdkScheduler();
  /** {@code (Executor carrier, String name, Runnable r) -> a virtual thread on carrier}, or null. */
  private static final MethodHandle ON_CARRIER = JDK_SCHEDULER == null ? null : findCarrierBuilder();

  private BodyThreads() {}

  /** Whether bodies run on virtual threads in this JVM. */
  static boolean virtual() {
    return VIRTUAL != null;
  }

  /** Whether a body may run on a virtual thread carried by its loop thread (see the class doc). */
  static boolean carrierAvailable() {
    return ON_CARRIER != null && !"false".equals(System.getProperty("dev.aionet.async.carrier"));
  }

  /** A new, unstarted virtual thread that runs {@code body} on {@code carrier}; see {@link #carrierAvailable}. */
  static Thread unstartedOn(java.util.concurrent.Executor carrier, Runnable body, String name) {
    try {
      return (Thread) ON_CARRIER.invokeExact(carrier, name, body);
    } catch (Throwable unexpected) {
      throw new IllegalStateException("cannot create a virtual thread for " + name, unexpected);
    }
  }

  /** A description of the mechanism that runs a body made now, for logs and the benchmarks. */
  static String mechanism() {
    if (carrierAvailable()) {
      return "virtual thread carried by the loop thread";
    }
    return VIRTUAL != null ? "virtual thread (hand-off)" : "platform thread (hand-off)";
  }

  /** A new, unstarted thread that runs {@code body}. */
  static Thread unstarted(Runnable body, String name) {
    if (VIRTUAL != null) {
      try {
        return (Thread) VIRTUAL.invokeExact(name, body);
      } catch (Throwable unexpected) {
        throw new IllegalStateException("cannot create a virtual thread for " + name, unexpected);
      }
    }
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /** The JDK's default scheduler of virtual threads; see {@link #JDK_SCHEDULER}. */
  static java.util.concurrent.Executor jdkScheduler() {
    return JDK_SCHEDULER;
  }

  private static java.util.concurrent.Executor findJdkScheduler() {
    if (Runtime.version().feature() < 24) {
      return null;
    }
    try {
      java.lang.reflect.Method m = Class.forName("java.lang.VirtualThread").getDeclaredMethod("defaultScheduler");
      m.setAccessible(true); // needs --add-opens java.base/java.lang=ALL-UNNAMED
      return (java.util.concurrent.Executor) m.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException notAvailable) {
      log.debug("async bodies cannot use their loop thread as carrier ({}); add"
          + " --add-opens java.base/java.lang=ALL-UNNAMED for the faster hand-off", notAvailable.toString());
      return null;
    }
  }

  private static MethodHandle findCarrierBuilder() {
    if (Runtime.version().feature() < 24) {
      return null;
    }
    try {
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> impl = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
      java.lang.reflect.Constructor<?> ctor = impl.getDeclaredConstructor(java.util.concurrent.Executor.class);
      ctor.setAccessible(true); // needs --add-opens java.base/java.lang=ALL-UNNAMED
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle make = MethodHandles.lookup().unreflectConstructor(ctor)
          .asType(MethodType.methodType(builder, java.util.concurrent.Executor.class));
      MethodHandle name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class));
      MethodHandle unstarted = lookup.findVirtual(builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class));
      MethodHandle named = MethodHandles.collectArguments(name, 0, make); // (Executor, String) -> builder
      MethodHandle handle = MethodHandles.collectArguments(unstarted, 0, named)
          .asType(MethodType.methodType(Thread.class, java.util.concurrent.Executor.class, String.class, Runnable.class));
      log.debug("async bodies can run on virtual threads carried by their loop thread");
      return handle;
    } catch (ReflectiveOperationException | RuntimeException notAvailable) {
      log.debug("async bodies cannot use their loop thread as carrier ({}); add"
          + " --add-opens java.base/java.lang=ALL-UNNAMED for the faster hand-off", notAvailable.toString());
      return null;
    }
  }

  private static MethodHandle findVirtual() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual",
          MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
      MethodHandle name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class));
      MethodHandle unstarted = lookup.findVirtual(builder, "unstarted", MethodType.methodType(Thread.class, Runnable.class));
      // (name, r) -> unstarted(name(ofVirtual(), name), r)
      MethodHandle named = MethodHandles.collectArguments(name, 0, ofVirtual.asType(MethodType.methodType(builder)));
      named = MethodHandles.collectArguments(unstarted, 0, named);
      MethodHandle handle = named.asType(MethodType.methodType(Thread.class, String.class, Runnable.class));
      log.debug("async bodies run on virtual threads");
      return handle;
    } catch (ReflectiveOperationException | RuntimeException notAvailable) {
      log.debug("async bodies run on platform threads (no virtual threads in this JVM)");
      return null;
    }
  }
}
