package offhours.local.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import offhours.inference.ModelContract;
import offhours.units.Shown;

/** A model the built-in container can serve: the ONNX file and its labels, one per line, in output order. */
public record ModelFiles(Path onnx, Path labels) {

  /**
   * The labels in output order, read as the stack reads its LABELS_S3_URI ({@link ModelContract#parseLabelFile}: UTF-8,
   * LF or CRLF line ends, blanks around a label and blank lines skipped); none is an error. A name may appear more
   * than once (ImageNet's "crane"): the classifier gives it the sum of its outputs' probabilities.
   *
   * @throws java.nio.charset.CharacterCodingException when the file is not UTF-8
   */
  public List<String> readLabels() throws IOException {
    List<String> names = ModelContract.parseLabelFile(Files.readAllBytes(labels));
    if (names.isEmpty()) {
      throw new IOException("labels file '" + Shown.escaped(labels.toString())
          + "' has no labels; write one class name per line, in the"
          + " order of the model's outputs");
    }
    return names;
  }
}
