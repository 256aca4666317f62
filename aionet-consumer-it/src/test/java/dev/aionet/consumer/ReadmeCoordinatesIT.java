package dev.aionet.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The consumer project uses exactly the coordinates the README gives: what the README shows a
 * user is what this build proved to work.
 */
class ReadmeCoordinatesIT {
  private static final Path README = Path.of(System.getProperty("aionet.readme"));

  @Test
  void theReadmesMavenSnippetIsTheConsumersDependencies() throws Exception {
    String pom = normalized(Files.readString(Consumer.DIR.resolve("pom.xml"), StandardCharsets.UTF_8));
    String readme = normalized(Files.readString(README, StandardCharsets.UTF_8));

    String bomImport = section(pom, "dependencyManagement");
    String dependencies = section(pom.replace(bomImport, ""), "dependencies");

    assertThat(readme).contains(bomImport, dependencies);
    assertThat(bomImport).contains("<version>" + Consumer.AIONET_VERSION + "</version>");
  }

  @Test
  void theReadmesGradleSnippetNamesTheSameCoordinates() throws Exception {
    String readme = Files.readString(README, StandardCharsets.UTF_8);

    assertThat(readme).contains(
        "implementation(platform(\"dev.aionet:aionet-bom:" + Consumer.AIONET_VERSION + "\"))",
        "implementation(\"dev.aionet:toolkit-streams\")");
  }

  @Test
  void theReadmesLaunchCommandsAreTheOnesTested() throws Exception {
    String readme = Files.readString(README, StandardCharsets.UTF_8);

    assertThat(readme).contains(
        "java --enable-native-access=io.netty.common -p myapp.jar:lib --add-modules ALL-MODULE-PATH -m ",
        "java --enable-native-access=ALL-UNNAMED -cp 'myapp.jar:lib/*' ");
  }

  /** The text of the first {@code <tag>...</tag>} in a normalized document, tags included. */
  private static String section(String normalizedXml, String tag) {
    Matcher m = Pattern.compile("<" + tag + ">.*?</" + tag + ">").matcher(normalizedXml);
    assertThat(m.find()).as("<%s> in the consumer's pom", tag).isTrue();
    return m.group();
  }

  /** XML text without comments and without the whitespace between tags. */
  private static String normalized(String text) {
    return text.replaceAll("(?s)<!--.*?-->", "").replaceAll(">\\s+<", "><");
  }
}
