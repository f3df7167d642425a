package offhours.local.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A model the built-in container can serve: the ONNX file and its labels, one per line, in output order. */
public record ModelFiles(Path onnx, Path labels) {

  /**
   * The labels in output order: lines trimmed, blank lines skipped; none is an error. A name may appear more than once
   * (ImageNet's "crane"): the classifier gives it the sum of its outputs' probabilities.
   */
  public List<String> readLabels() throws IOException {
    List<String> names = Files.readAllLines(labels).stream()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .toList();
    if (names.isEmpty()) {
      throw new IOException(
          "label file " + labels + " has no labels; write one class name per line, in the"
              + " order of the model's outputs");
    }
    return names;
  }
}
