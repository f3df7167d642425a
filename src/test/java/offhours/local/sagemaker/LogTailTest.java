package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir
  Path dir;

  private Path log(String text) throws Exception {
    return Files.writeString(dir.resolve("c.log"), text, StandardCharsets.UTF_8);
  }

  @Test
  void theLastNonBlankLineIsTheCommandsLastWord() throws Exception {
    Path log =
        log("starting\npython3: can't open file '/srv/serve.py': [Errno 2] No such file\n\n  \n");

    assertThat(LogTail.lastLine(log, 0))
        .contains("python3: can't open file '/srv/serve.py': [Errno 2] No such file");
  }

  @Test
  void onlyWhatThisLaunchWroteCounts() throws Exception {
    String earlier = "an earlier container on this port\n";
    Path log = log(earlier);

    assertThat(LogTail.lastLine(log, earlier.length())).isEmpty();
    Files.writeString(log, earlier + "  \r\n", StandardCharsets.UTF_8);
    assertThat(LogTail.lastLine(log, earlier.length())).isEmpty();
  }

  @Test
  void controlCharactersAreEscapedAndALongLineIsCut() throws Exception {
    assertThat(LogTail.lastLine(log("\u001b[31mboom\u001b[0m\tat line 3\r\n"), 0))
        .contains("\\x1b[31mboom\\x1b[0m\\x09at line 3");

    String cut =
        LogTail.lastLine(log("x".repeat(196) + "\u001b" + "y".repeat(50)), 0).orElseThrow();
    assertThat(cut).isEqualTo("x".repeat(196) + "...").hasSizeLessThanOrEqualTo(LogTail.MAX_CHARS);
    assertThat(LogTail.oneLine("z".repeat(LogTail.MAX_CHARS)))
        .isEqualTo("z".repeat(LogTail.MAX_CHARS));
  }

  @Test
  void anAbsentLogHasNoLine() {
    assertThat(LogTail.lastLine(dir.resolve("gone.log"), 0)).isEmpty();
  }
}
