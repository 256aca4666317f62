package dev.aionet.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A fresh project that depends on aionet only through the README's coordinates runs on the module
 * path (its module requires dev.aionet.core and dev.aionet.streams, nothing else) and on the
 * classpath, with the commands the README gives, without a JDK warning on any JDK from 17 on.
 */
class ConsumerRunsIT {

  @Test
  void runsOnTheModulePathRequiringOnlyTheAionetModules() throws Exception {
    Consumer.Run run = Consumer.java("--enable-native-access=io.netty.common",
        "--module-path", Consumer.modulePath(), "--add-modules", "ALL-MODULE-PATH",
        "-m", "example.consumer/example.consumer.Main");

    assertRanCleanly(run);
    assertThat(run.stdout()).contains("module: dev.aionet.core");
  }

  @Test
  void runsOnTheClasspath() throws Exception {
    Consumer.Run run = Consumer.java("--enable-native-access=ALL-UNNAMED",
        "-cp", Consumer.classPath(), "example.consumer.Main");

    assertRanCleanly(run);
    assertThat(run.stdout()).contains("module: null");
  }

  private static void assertRanCleanly(Consumer.Run run) {
    assertThat(run.exitCode()).as("exit code; stderr:%n%s", run.stderr()).isZero();
    assertThat(run.stdout()).contains("echoed: ciao");
    if (Consumer.epollExpected()) {
      assertThat(run.stdout()).as("the epoll natives come with the library").contains("transport: EPOLL");
    }
    assertThat(run.stderr()).doesNotContain("WARNING").doesNotContain("ERROR").doesNotContain("Exception");
  }
}
