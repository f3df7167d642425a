package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
        false,
        null);

    up.write(file);

    assertThat(up.stillStarting()).isFalse();
    assertThat(Files.readString(file)).as(Files.readString(file)).doesNotContain("starting");
  }

  @Test
  void whatTheStackServesIsKeptWithItsFilesMadeAbsolute() throws Exception {
    Path file = StateFile.path(dir);
    StateFile.Served served = StateFile.Served.of(
        Optional.of(Path.of("models/../model.onnx")),
        Optional.of(Path.of("labels.txt")),
        Optional.empty());
    new StateFile(7L, null, null, null, null, null, null, null, null, null, null, served)
        .write(file);

    StateFile.Served read = StateFile.read(file).served();
    assertThat(read)
        .isEqualTo(new StateFile.Served(
            Path.of("model.onnx").toAbsolutePath().toString(),
            Path.of("labels.txt").toAbsolutePath().toString(),
            null));
    assertThat(read.isDefault()).isFalse();
    assertThat(StateFile.Served.of(Optional.empty(), Optional.empty(), Optional.empty())
            .isDefault())
        .isTrue();
  }
}
