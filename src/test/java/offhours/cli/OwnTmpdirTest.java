package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnTmpdirTest {

  @TempDir
  Path parent;

  @Test
  void onlyAnOffhoursDirectoryThatIsTheJvmsTmpdirIsEverRemoved() throws IOException {
    Path own = Files.createDirectory(parent.resolve("offhours-jvm.Ab3_x-9"));
    assertThat(OwnTmpdir.owned(own.toString(), own + "/")).contains(own);
    assertThat(OwnTmpdir.owned(own.toString(), parent.toString()))
        .as("not the JVM's tmpdir")
        .isEmpty();
    assertThat(OwnTmpdir.owned("/tmp", "/tmp")).as("a shared directory").isEmpty();
    assertThat(OwnTmpdir.owned(
            parent.resolve("offhours-jvm.").toString(),
            parent.resolve("offhours-jvm.").toString()))
        .isEmpty();
    assertThat(OwnTmpdir.owned(null, "/tmp")).isEmpty();
  }

  @Test
  void removalTakesTheWholeTreeButNothingALinkPointsTo() throws IOException {
    Path outside = Files.writeString(parent.resolve("keep.txt"), "not ours");
    List<String> options = OwnTmpdir.jvmOptions(parent.resolve("local"));
    Path own = Path.of(options.get(1).substring("-Djava.io.tmpdir=".length()));
    assertThat(options)
        .containsExactly(
            "-XX:-UsePerfData", "-Djava.io.tmpdir=" + own, "-D" + OwnTmpdir.PROPERTY + "=" + own);
    assertThat(OwnTmpdir.owned(own.toString(), own.toString())).contains(own);
    Files.createDirectories(own.resolve("onnxruntime-java123"));
    Files.writeString(own.resolve("onnxruntime-java123/libonnxruntime.so"), "x");
    Files.createSymbolicLink(own.resolve("link"), outside);
    Files.createSymbolicLink(own.resolve("folder link"), parent);

    OwnTmpdir.remove(own);

    assertThat(own).doesNotExist();
    assertThat(outside).hasContent("not ours");
  }
}
