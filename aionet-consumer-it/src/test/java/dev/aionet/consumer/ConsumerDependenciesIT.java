package dev.aionet.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What a user's build gets from the README's coordinates: Netty's needed modules, one version. */
class ConsumerDependenciesIT {

  @Test
  void theConsumerGetsNeitherNettyAllNorQuicNorHttp3() throws Exception {
    List<String> names = fileNames(Consumer.dependencyJars());

    assertThat(names).noneMatch(n -> n.startsWith("netty-all"))
        .noneMatch(n -> n.contains("quic"))
        .noneMatch(n -> n.contains("http3"))
        .noneMatch(n -> n.contains("osx") || n.contains("windows"));
    long bytes = 0;
    for (Path jar : Consumer.dependencyJars()) {
      bytes += Files.size(jar);
    }
    System.out.printf("consumer of toolkit-streams: %d jars, %d bytes: %s%n", names.size(), bytes, names);
    assertThat(bytes).as("total size of the consumer's jars").isLessThan(5_000_000L);
    String readme = Files.readString(Path.of(System.getProperty("aionet.readme")), StandardCharsets.UTF_8)
        .replaceAll("\\s+", " ");
    Matcher stated = Pattern.compile("`toolkit-streams` that is (\\d+) jars, (\\d+\\.\\d) MB in all").matcher(readme);
    assertThat(stated.find()).as("the README states the consumer's jars").isTrue();
    assertThat(names).as("the README's jar count").hasSize(Integer.parseInt(stated.group(1)));
    double statedMb = Double.parseDouble(stated.group(2));
    assertThat(bytes / 1e6).as("the README's size in MB").isBetween(statedMb * 0.95, statedMb * 1.05);
  }

  @Test
  void everyNettyJarHasTheReleaseAionetIsBuiltOn() throws Exception {
    List<String> netty = fileNames(Consumer.dependencyJars()).stream()
        .filter(n -> n.startsWith("netty-")).collect(Collectors.toList());

    assertThat(netty).isNotEmpty().allMatch(n -> n.contains("-" + Consumer.NETTY_VERSION));
  }

  @Test
  void theEpollNativesComeForLinuxAndIoUringOnlyOnRequest() throws Exception {
    List<String> names = fileNames(Consumer.dependencyJars());

    assertThat(names).contains(
        "netty-transport-native-epoll-" + Consumer.NETTY_VERSION + "-linux-x86_64.jar",
        "netty-transport-native-epoll-" + Consumer.NETTY_VERSION + "-linux-aarch_64.jar");
    assertThat(names).noneMatch(n -> n.startsWith("netty-transport-native-io_uring"));
  }

  @Test
  void theAionetJarsHaveStableModuleNames() throws Exception {
    Set<String> modules = ModuleFinder.of(Consumer.LIB).findAll().stream()
        .map(ModuleReference::descriptor).map(d -> d.name()).collect(Collectors.toSet());

    assertThat(modules).contains("dev.aionet.core", "dev.aionet.streams")
        .noneMatch(m -> m.startsWith("toolkit"));
  }

  private static List<String> fileNames(List<Path> jars) {
    return jars.stream().map(j -> j.getFileName().toString()).collect(Collectors.toList());
  }
}
