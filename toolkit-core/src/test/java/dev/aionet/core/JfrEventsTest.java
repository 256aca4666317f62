package dev.aionet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.SettingDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop's JFR events, read back with a {@link RecordingStream} as a monitoring tool would. */
@Timeout(90)
class JfrEventsTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static void busy(Duration d) {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      Thread.onSpinWait(); // deliberately holds the loop thread
    }
  }

  private static String loopThreadName(Loop loop) {
    return loop.submit(() -> Promise.completed(Thread.currentThread().getName())).join(WAIT);
  }

  private static void awaitEvents(List<RecordedEvent> events, Predicate<RecordedEvent> which) {
    TestLoop.awaitTrue(() -> events.stream().anyMatch(which), () -> "waiting for a JFR event; got " + events);
  }

  /**
   * The events, each committed event once: a stream that starts while other recordings of the
   * JVM are being closed may hand over the same record twice (same type, thread and start time,
   * to the nanosecond), which two commits never share.
   */
  private static List<RecordedEvent> distinct(List<RecordedEvent> events) {
    java.util.Map<String, RecordedEvent> byKey = new java.util.LinkedHashMap<>();
    for (RecordedEvent e : events) {
      byKey.putIfAbsent(e.getEventType().getName() + "@" + e.getStartTime() + "@"
          + (e.getThread() == null ? "" : e.getThread().getJavaThreadId()), e);
    }
    return List.copyOf(byKey.values());
  }

  /** Whether {@code e} is the end of the task named {@code name}. */
  private static boolean taskEnd(RecordedEvent e, String name) {
    return e.getEventType().getName().equals("dev.aionet.TaskEnd") && name.equals(e.getString("name"));
  }

  private static boolean on(RecordedEvent e, String thread) {
    return e.getThread() != null && thread.equals(e.getThread().getJavaName());
  }

  @Test
  void aBusy200MsCallbackGivesExactlyOneSlowTurnEventNamingItAndItsDuration() throws Exception {
    List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    try (Loop loop = Loop.create(); RecordingStream rs = recordAionet(loop, events)) {
      String thread = loopThreadName(loop);
      for (int i = 0; i < 50; i++) {
        loop.submit(() -> Promise.completed(null)).join(WAIT); // fast turns: no event
      }
      CompletableFuture<Void> ran = new CompletableFuture<>();
      loop.callSoon(new Runnable() { // named in the event through toString()
        @Override
        public void run() {
          busy(Duration.ofMillis(200));
          ran.complete(null);
        }

        @Override
        public String toString() {
          return "the busy callback";
        }
      });
      ran.get(WAIT.toSeconds(), TimeUnit.SECONDS); // alone in its turn: what comes next waits for the next one
      // a task ending after it on the same thread marks the end of what to look at
      loop.submit(() -> {
        Aio.currentTask().orElseThrow().setName("marker");
        return Promise.completed(null);
      }).join(WAIT);
      // Other turns may be slow too on a busy machine; they name something else. The event is
      // awaited itself: the stream may hand it over after the marker's, which only bounds when a
      // second one (there must be none) would have shown.
      Predicate<RecordedEvent> busyTurn = e -> e.getEventType().getName().equals("dev.aionet.SlowTurn")
          && on(e, thread) && "the busy callback".equals(e.getString("what"));
      awaitEvents(events, busyTurn);
      awaitEvents(events, e -> taskEnd(e, "marker"));
      List<RecordedEvent> slow = distinct(events.stream().filter(busyTurn).toList());
      assertThat(slow).hasSize(1);
      RecordedEvent e = slow.get(0);
      assertThat(e.getInt("callbacks")).isEqualTo(1);
      assertThat(e.getDuration("turnDuration")).isBetween(Duration.ofMillis(200), WAIT);
    }
  }

  @Test
  void aSlowTaskStepNamesTheTask() throws Exception {
    List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    try (Loop loop = Loop.create(LoopOptions.builder().slowCallbackDuration(Duration.ofMillis(100)).build());
        RecordingStream rs = recordAionet(loop, events)) {
      String thread = loopThreadName(loop);
      loop.submit(() -> Aio.createTask(() -> {
        busy(Duration.ofMillis(200));
        return Promise.completed(null);
      }, "grinder")).join(WAIT);
      Predicate<RecordedEvent> grinder = e -> on(e, thread) && e.getEventType().getName().equals("dev.aionet.SlowTurn")
          && "grinder".equals(e.getString("task"));
      awaitEvents(events, grinder);
      RecordedEvent e = events.stream().filter(grinder).findFirst().orElseThrow();
      assertThat(e.getString("what")).contains("grinder");
    }
  }

  @Test
  void taskEndGivesNameOutcomeAndLifetime() throws Exception {
    List<RecordedEvent> events = new CopyOnWriteArrayList<>();
    try (Loop loop = Loop.create(); RecordingStream rs = recordAionet(loop, events)) {
      loop.submit(() -> Aio.createTask(() -> Aio.sleep(Duration.ofMillis(100)), "sleeper")).join(WAIT);
      assertThatThrownBy(() -> loop.submit(() -> Aio.createTask(
          () -> Promise.failed(new IllegalStateException("broken")), "failing")).join(WAIT))
          .isInstanceOf(IllegalStateException.class);
      Task<Task<Void>> outer = loop.submit(() -> Promise.completed(Aio.createTask(() -> new AsyncEvent().await(), "waiter")));
      Task<Void> waiter = outer.join(WAIT);
      loop.submit(() -> Aio.sleep(Duration.ofMillis(10))).join(WAIT);
      waiter.cancel();
      awaitEvents(events, e -> taskEnd(e, "waiter"));
      awaitEvents(events, e -> taskEnd(e, "sleeper"));
      awaitEvents(events, e -> taskEnd(e, "failing"));
      RecordedEvent sleeper = only(events, "sleeper");
      assertThat(sleeper.getString("outcome")).isEqualTo("SUCCEEDED");
      assertThat(sleeper.getDuration()).isBetween(Duration.ofMillis(90), WAIT);
      RecordedEvent failed = only(events, "failing");
      assertThat(failed.getString("outcome")).isEqualTo("FAILED");
      assertThat(failed.getString("failure")).isEqualTo("java.lang.IllegalStateException: broken");
      assertThat(only(events, "waiter").getString("outcome")).isEqualTo("CANCELLED");
    }
  }

  /** Streams both aionet events into {@code events}, once the recording is seen to run. */
  private static RecordingStream recordAionet(Loop loop, List<RecordedEvent> events) {
    RecordingStream rs = new RecordingStream();
    rs.enable("dev.aionet.SlowTurn");
    rs.enable("dev.aionet.TaskEnd");
    rs.onEvent(events::add);
    rs.startAsync();
    awaitRecording(loop, events);
    return rs;
  }

  /** Ends tasks named "probe" until the recording shows one: from then on it records. */
  private static void awaitRecording(Loop loop, List<RecordedEvent> events) {
    TestLoop.awaitTrue(() -> {
      if (events.stream().anyMatch(e -> taskEnd(e, "probe"))) {
        return true;
      }
      loop.submit(() -> Aio.createTask(() -> Promise.completed(null), "probe")).join(WAIT);
      return false;
    }, () -> "the recording started");
  }

  private static void awaitRecorderRunning() {
    TestLoop.awaitTrue(FlightRecorder::isInitialized, () -> "the flight recorder initialized");
  }

  private static RecordedEvent only(List<RecordedEvent> events, String name) {
    List<RecordedEvent> named = distinct(events.stream().filter(e -> taskEnd(e, name)).toList());
    assertThat(named).hasSize(1);
    return named.get(0);
  }

  @Test
  void slowTurnIsOnByDefaultAndTaskEndOff() throws Exception {
    try (Loop loop = Loop.create(); RecordingStream rs = new RecordingStream()) {
      rs.startAsync(); // registers aionet's events once the loop made a task
      loop.submit(() -> Promise.completed(null)).join(WAIT);
      awaitRecorderRunning();
      assertThat(defaultEnabled("dev.aionet.SlowTurn")).isEqualTo("true");
      assertThat(defaultEnabled("dev.aionet.TaskEnd")).isEqualTo("false");
    }
  }

  private static String defaultEnabled(String event) {
    String[] enabled = new String[1];
    TestLoop.awaitTrue(() -> (enabled[0] = registeredDefault(event)) != null, () -> event + " registered with JFR");
    return enabled[0];
  }

  /** The default of {@code event}'s "enabled" setting, or null while JFR does not know the event yet. */
  private static String registeredDefault(String event) {
    for (EventType type : FlightRecorder.getFlightRecorder().getEventTypes()) {
      if (type.getName().equals(event)) {
        return type.getSettingDescriptors().stream().filter(s -> s.getName().equals("enabled"))
            .map(SettingDescriptor::getDefaultValue).findFirst().orElseThrow();
      }
    }
    return null;
  }
}
