package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state file says whether its stack is starting or up, and one of an older version is up. */
class StateFileTest {
  @TempDir
  Path dir;

  private static final ChildProcess MOTO =
      new ChildProcess("moto_server", 41, "2026-12-04T18:00:00Z");

  @Test
  void aStartingFileNamesTheProcessAndItsChildrenOnly() throws Exception {
    Path file = StateFile.path(dir);

    StateFile.starting(ProcessHandle.current(), List.of(MOTO)).write(file);

    StateFile read = StateFile.read(file);
    assertThat(read.stillStarting()).isTrue();
    assertThat(read.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(read.started()).isNotNull();
    assertThat(read.children()).containsExactly(MOTO);
    assertThat(read.endpoints()).isEmpty();
    assertThat(read.credentials()).isEmpty();
    assertThat(Files.readString(file)).contains("\"starting\" : true");
  }

  @Test
  void aFileWithoutTheMarkIsUpAsAnOlderVersionWroteItOnlyThen() throws Exception {
    Path file = Files.createDirectories(dir.resolve("local")).resolve("stack.json");
    Files.writeString(
        file, "{\"pid\": 7, \"started\": \"2026-12-04T17:59:00Z\", \"accessKeyId\": \"AKID\"}");

    assertThat(StateFile.read(file).stillStarting()).isFalse();
  }

  @Test
  void anUpFileDoesNotCarryTheMark() throws Exception {
    Path file = StateFile.path(dir);
    StateFile up = new StateFile(
        7L,
        "2026-12-04T17:59:00Z",
        "us-east-1",
        "AKID",
        "secret",
        null,
        null,
        null,
        null,
        null,
        false);

    up.write(file);

    assertThat(up.stillStarting()).isFalse();
    assertThat(Files.readString(file)).as(Files.readString(file)).doesNotContain("starting");
  }
}
