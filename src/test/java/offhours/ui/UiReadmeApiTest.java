package offhours.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's way for a script to read the page's JSON: its {@code curl} line, run as it is in bash against the page's
 * server, with {@code URL} the address the server prints, as the README's line before it sets it.
 */
class UiReadmeApiTest {

  @Test
  void theReadmesCurlLineReadsThePagesStatusWithTheTokenOfThePrintedAddress() throws Exception {
    List<String> block = block();
    assertThat(block).hasSize(2);
    String address = block.get(0);
    String curl = block.get(1);
    assertThat(address).startsWith("URL='http://127.0.0.1:PORT/?token=...'");
    assertThat(curl)
        .startsWith("curl ")
        .contains("\"" + UiServer.TOKEN_HEADER + ": ${URL#*token=}\"");

    try (UiServer server =
        UiServer.start(new MemoryUiData(Map::of), 0, FixedPageSettings::uploadRules)) {
      String url = server.url().toString();
      assertThat(url).matches("http://127\\.0\\.0\\.1:\\d+/\\?token=[0-9a-f]+");

      assertThat(run(curl, url))
          .as("the status, as the page reads it")
          .startsWith("{\"endpoint\":{\"state\":\"ABSENT\"}");
      assertThat(run(curl, url + "0"))
          .as("another token")
          .contains("open the address 'offhours ui' printed: it carries the page's token");
    }
  }

  /** The lines of the README's code block that holds the page's curl line. */
  private static List<String> block() throws Exception {
    List<String> found = null;
    List<String> lines = null;
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      if (line.strip().startsWith("```")) {
        if (lines != null && lines.stream().anyMatch(l -> l.contains("X-Offhours-Token"))) {
          assertThat(found).as("one block with the page's curl line").isNull();
          found = lines;
        }
        lines = lines == null ? new ArrayList<>() : null;
      } else if (lines != null) {
        lines.add(line);
      }
    }
    assertThat(found).as("the README's block with the page's curl line").isNotNull();
    return found;
  }

  /** {@code line} as it is, in bash from the repository, with {@code URL} the page's address; what it prints. */
  private static String run(String line, String url) throws Exception {
    ProcessBuilder bash = new ProcessBuilder("bash", "-c", line).redirectErrorStream(true);
    bash.environment().put("URL", url);
    Process process = bash.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("%s: %s", line, out).isZero();
    return out;
  }
}
