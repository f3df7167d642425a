package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFilesTest {
  @Test
  void aLabelFileMayNameAClassTwiceAsImageNetsDoes(@TempDir Path dir) throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), " crane\r\n\nstork\ncrane \n");

    assertThat(new ModelFiles(dir.resolve("m.onnx"), labels).readLabels())
        .as("one label per output, in order; the classifier sums a repeated name's scores")
        .containsExactly("crane", "stork", "crane");
  }

  @Test
  void aLabelFileWithoutLabelsIsRefused(@TempDir Path dir) throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "\n  \n");

    assertThatThrownBy(() -> new ModelFiles(dir.resolve("m.onnx"), labels).readLabels())
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("label file " + labels + " has no labels;");
  }
}
