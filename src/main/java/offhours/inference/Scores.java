package offhours.inference;

import java.util.Locale;
import offhours.units.Shown;

/**
 * What the numbers in a model's answer are. Classifiers end in a softmax (probabilities) or hand out the raw
 * logits (the SageMaker PyTorch handler's default); {@link #AUTO} tells them apart by the numbers themselves.
 */
public enum Scores {
  /** Each score is a probability in [0, 1]; anything else is a contract error. */
  PROBABILITIES,
  /** Raw logits: offhours applies a softmax over the scores of the answer. */
  LOGITS,
  /**
   * Probabilities if every score is in [0, 1] and, when the answer lists every class, they sum to about 1;
   * otherwise logits.
   */
  AUTO;

  /** The setting's own word: {@code probabilities}, {@code logits} or {@code auto}. */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads {@code probabilities}, {@code logits} or {@code auto} (any case); {@code name} is the setting's. */
  public static Scores parse(String value, String name) {
    for (Scores s : values()) {
      if (s.word().equalsIgnoreCase(value == null ? "" : value.strip())) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        name + " must be probabilities, logits or auto, got '" + Shown.value(value) + "'");
  }
}
