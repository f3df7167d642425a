package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.local.process.ProcessRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default model's cache, and the npm and node steps of its first fetch. Needs {@code true} (coreutils). */
class DefaultModelTest {
  @Test
  void aCompleteCacheIsUsedWithoutNodeOrNpm(@TempDir Path cache) throws IOException {
    Path dir = DefaultModel.modelDir(cache);
    Files.createDirectories(dir);
    Files.write(dir.resolve("nsfwjs-mobilenet_v2.onnx"), new byte[] {1});
    Files.writeString(dir.resolve("labels.txt"), "Drawing\n");

    ByteArrayOutputStream notes = new ByteArrayOutputStream();

    ModelFiles files = new DefaultModel(
            cache,
            "offhours-no-such-node",
            "offhours-no-such-npm",
            ProcessRecorder.NONE,
            new PrintStream(notes, true, StandardCharsets.UTF_8))
        .ensure();

    assertThat(files)
        .isEqualTo(
            new ModelFiles(dir.resolve("nsfwjs-mobilenet_v2.onnx"), dir.resolve("labels.txt")));
    assertThat(notes.toString(StandardCharsets.UTF_8))
        .as("no fetch, nothing to say")
        .isEmpty();
  }

  @Test
  void missingNpmSaysWhatToInstall(@TempDir Path cache) {
    assertThatThrownBy(() -> new DefaultModel(
                cache, "node", "offhours-no-such-npm", ProcessRecorder.NONE, System.err)
            .ensure())
        .isInstanceOf(IOException.class)
        .hasMessage(
            "the default model (nsfwjs@4.4.0) is fetched with npm and unpacked with Node.js once, but"
                + " 'offhours-no-such-npm' is not available on PATH: install Node.js 20 or newer with npm (Debian/Ubuntu:"
                + " sudo apt-get install nodejs npm; others: https://nodejs.org), or serve your own model with"
                + " --model model.onnx --labels labels.txt");
    assertThat(DefaultModel.modelDir(cache)).doesNotExist();
  }

  @Test
  void everyProcessTheFetchStartsIsStartedByTheRecorder(@TempDir Path cache) {
    // 'true' answers --version, and 'npm pack' writes no package: the fetch stops there.
    List<String> told = new CopyOnWriteArrayList<>();
    ProcessRecorder recorder = (name, builder) -> {
      Process process = builder.start();
      told.add(name + " " + process.pid());
      return process;
    };

    ByteArrayOutputStream notes = new ByteArrayOutputStream();

    assertThatThrownBy(() -> new DefaultModel(
                cache,
                "true",
                "true",
                recorder,
                new PrintStream(notes, true, StandardCharsets.UTF_8))
            .ensure())
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("npm pack nsfwjs@4.4.0 did not write nsfwjs-4.4.0.tgz");
    assertThat(notes.toString(StandardCharsets.UTF_8))
        .isEqualTo("fetching the default model (npm nsfwjs@4.4.0) and converting it to ONNX, once:"
            + " later runs use the copy in " + DefaultModel.modelDir(cache) + " ...\n");
    assertThat(told)
        .as("npm --version, node --version, npm pack")
        .hasSize(3)
        .allSatisfy(t -> assertThat(t).startsWith("true "));
  }

  @Test
  void aStackStoppingAsTheFetchChecksItsToolsFailsAsStoppingNotAsAToolMissing(@TempDir Path cache) {
    ProcessRecorder stopping = (name, builder) -> {
      throw new ProcessRecorder.StartRefused(name);
    };

    assertThatThrownBy(() -> new DefaultModel(
                cache, "node", "npm", stopping, new PrintStream(new ByteArrayOutputStream()))
            .ensure())
        .isInstanceOf(ProcessRecorder.StartRefused.class)
        .hasMessage("the local stack is stopping: npm was not started");
  }
}
