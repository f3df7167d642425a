package offhours.inference;

import java.util.List;

/**
 * A model's answer read into class names and probabilities, most probable first.
 *
 * @param labels every class the answer gave a score, most probable first (equal scores keep the answer's order); a
 *     name the answer or the labels give twice is here once, with the sum of its probabilities
 * @param shape which of the known response shapes it was, for logs and errors
 * @param scores how the numbers were read: {@link Scores#PROBABILITIES} or {@link Scores#LOGITS} (softmax
 *     applied), never {@link Scores#AUTO}
 */
public record Ranking(List<ScoredLabel> labels, String shape, Scores scores) {
  public Ranking {
    labels = List.copyOf(labels);
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a ranking needs at least one label");
    }
    if (scores == Scores.AUTO) {
      throw new IllegalArgumentException("a ranking records the scores it applied, not auto");
    }
  }

  /** The {@code k} most probable labels. */
  public List<ScoredLabel> top(int k) {
    return labels.subList(0, Math.min(k, labels.size()));
  }
}
