package dev.aionet.core.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the thread an async body runs on: a virtual thread where the JVM has them (Java 21+,
 * found at run time through {@code Thread.ofVirtual()}, since the build targets Java 17), else a
 * daemon platform thread. Either way one thread per body, which ends with the body, so no
 * body thread outlives its loop (see {@link AsyncBody}).
 */
final class BodyThreads {
  private static final Logger log = LoggerFactory.getLogger(BodyThreads.class);

  /** {@code (String name, Runnable r) -> Thread.ofVirtual().name(name).unstarted(r)}, or null. */
  private static final MethodHandle VIRTUAL = findVirtual();

  private BodyThreads() {}

  /** Whether bodies run on virtual threads in this JVM. */
  static boolean virtual() {
    return VIRTUAL != null;
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
