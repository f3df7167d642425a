package offhours.local.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import offhours.inference.ModelContract;
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

  /**
   * Local mode's --labels FILE and the stack's LABELS_S3_URI are one file format read by one reader: LF and CRLF end
   * a line, a lone CR does not (it stays in the label, which the control-character check then refuses at start, here
   * and on AWS alike), where Files.readAllLines split "cat\rdog" into two labels the stack reads as one.
   */
  @Test
  void aLabelFileGivesTheLabelsTheStackReadsFromS3(@TempDir Path dir) throws IOException {
    byte[] file = "cat\rdog\r\nbird\n\n crane \n".getBytes(StandardCharsets.UTF_8);
    Path labels = Files.write(dir.resolve("labels.txt"), file);

    List<String> local = new ModelFiles(dir.resolve("m.onnx"), labels).readLabels();

    assertThat(local)
        .isEqualTo(ModelContract.parseLabelFile(file))
        .containsExactly("cat\rdog", "bird", "crane");
    assertThatThrownBy(() -> ModelContract.builtIn(local))
        .hasMessageContaining("a control character, \\u000d");
  }

  @Test
  void aLabelFileThatIsNotUtf8IsRefusedNotReadAsReplacementCharacters(@TempDir Path dir)
      throws IOException {
    byte[] latin1 = "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Path labels = Files.write(dir.resolve("labels.txt"), latin1);

    assertThatThrownBy(() -> new ModelFiles(dir.resolve("m.onnx"), labels).readLabels())
        .isInstanceOf(CharacterCodingException.class);
    assertThatThrownBy(() -> ModelContract.parseLabelFile(latin1))
        .isInstanceOf(CharacterCodingException.class);
  }

  @Test
  void aLabelFileWithoutLabelsIsRefused(@TempDir Path dir) throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "\n  \n");

    assertThatThrownBy(() -> new ModelFiles(dir.resolve("m.onnx"), labels).readLabels())
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("labels file '" + labels + "' has no labels;");
    Path escaped = Files.writeString(dir.resolve("x\u001b[2Jy.txt"), "\n");
    assertThatThrownBy(() -> new ModelFiles(dir.resolve("m.onnx"), escaped).readLabels())
        .as("the path quoted and escaped, as a model file's is")
        .hasMessageStartingWith("labels file '" + dir + "/x\\x1b[2Jy.txt' has no labels;");
  }
}
