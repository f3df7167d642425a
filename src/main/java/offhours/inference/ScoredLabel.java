package offhours.inference;

import java.util.Objects;

/** A class name and its probability (after a softmax when the model answered logits). */
public record ScoredLabel(String label, double score) {
  public ScoredLabel {
    Objects.requireNonNull(label, "label");
  }
}
