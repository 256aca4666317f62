package dev.aionet.bench;

import java.util.Locale;

/** What a message benchmark server speaks: HTTP/1.1 hello world, or a line echo. */
enum MessageProtocol {
  HTTP,
  LINES;

  /**
   * Parses {@code http} or {@code lines}.
   *
   * @throws IllegalArgumentException for another name
   */
  static MessageProtocol parse(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "http":
        return HTTP;
      case "lines":
        return LINES;
      default:
        throw new IllegalArgumentException("unknown protocol (http or lines): " + name);
    }
  }
}
