package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DefaultModelTest {
  @Test
  void aCompleteCacheIsUsedWithoutNodeOrNpm(@TempDir Path cache) throws IOException {
    Path dir = DefaultModel.modelDir(cache);
    Files.createDirectories(dir);
    Files.write(dir.resolve("nsfwjs-mobilenet_v2.onnx"), new byte[] {1});
    Files.writeString(dir.resolve("labels.txt"), "Drawing\n");

    ModelFiles files =
        new DefaultModel(cache, "offhours-no-such-node", "offhours-no-such-npm").ensure();

    assertThat(files)
        .isEqualTo(
            new ModelFiles(dir.resolve("nsfwjs-mobilenet_v2.onnx"), dir.resolve("labels.txt")));
  }

  @Test
  void missingNpmSaysWhatToInstall(@TempDir Path cache) {
    assertThatThrownBy(() -> new DefaultModel(cache, "node", "offhours-no-such-npm").ensure())
        .isInstanceOf(IOException.class)
        .hasMessage(
            "the default model (nsfwjs@4.4.0) is fetched with npm and unpacked with Node.js once, but"
                + " 'offhours-no-such-npm' is not available on PATH: install Node.js 18 or newer with npm (Debian/Ubuntu:"
                + " sudo apt-get install nodejs npm; others: https://nodejs.org), or serve your own model with"
                + " --model model.onnx --labels labels.txt");
    assertThat(DefaultModel.modelDir(cache)).doesNotExist();
  }
}
