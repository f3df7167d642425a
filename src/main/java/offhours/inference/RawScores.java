package offhours.inference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import offhours.units.Plurals;
import offhours.units.Shown;

/**
 * Scores as an answer gave them, once {@link ResponseShapes} has found its shape, and how they become a ranking: the
 * class names (the answer's own, or the configured labels), the scores setting applied (logits through softmax), and
 * a class named more than once summed.
 *
 * @param names the answer's class names; null when the answer does not name its classes
 * @param complete whether the scores are the whole output vector, so that probabilities must sum to 1
 */
record RawScores(List<String> names, double[] scores, String shape, boolean complete) {

  /** Float32 softmax outputs may stray this far outside [0, 1]. */
  private static final double PROBABILITY_TOLERANCE = 1e-5;
  /** A complete probability vector sums to 1 within this. */
  private static final double SUM_TOLERANCE = 0.01;

  /** These scores found inside {@code outer}, e.g. TF Serving's {@code {"predictions": ...}}. */
  RawScores inside(String outer) {
    return new RawScores(names, scores, outer + " of " + shape, complete);
  }

  /** The classes, most probable first; throws {@link ContractViolation} when they disagree with {@code contract}. */
  Ranking ranked(ModelContract contract) {
    List<String> classes = classNames(contract);
    Scores applied = interpretation(contract.scores(), classes);
    double[] probabilities = applied == Scores.LOGITS ? softmax(scores) : clamped(scores);
    List<ScoredLabel> ranked = byName(classes, probabilities);
    ranked.sort(Comparator.comparingDouble(ScoredLabel::score).reversed());
    return new Ranking(ranked, shape, applied);
  }

  /**
   * One score per class name, in the order names first appear. Real label lists name some classes twice (ImageNet's
   * "crane", the bird and the machine), so a name given more than once gets the sum of its probabilities: the
   * probability that the image is that name, and the total stays what it was (at most 1, for float32 rounding).
   */
  private static List<ScoredLabel> byName(List<String> names, double[] probabilities) {
    Map<String, Double> sums = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      sums.merge(names.get(i), probabilities[i], Double::sum);
    }
    List<ScoredLabel> out = new ArrayList<>(sums.size());
    sums.forEach((name, sum) -> out.add(new ScoredLabel(name, Math.min(1, sum))));
    return out;
  }

  /** The class names: the answer's own, which must be known labels when labels are configured, or the labels. */
  private List<String> classNames(ModelContract contract) {
    List<String> labels = contract.labels();
    if (names == null) {
      if (labels.isEmpty()) {
        throw new ContractViolation(
            "the answer (" + shape + ", " + Plurals.of(scores.length, "score") + ") does not"
                + " name its classes, so offhours needs the class names in the model's output order: set LABELS or"
                + " LABELS_S3_URI (--labels FILE in local mode)");
      }
      if (labels.size() != scores.length) {
        throw new ContractViolation(
            "the endpoint returned " + Plurals.of(scores.length, "score") + " but "
                + Plurals.of(labels.size(), "label is", "labels are") + " configured ("
                + contract.labelSource() + ")");
      }
      return labels;
    }
    Set<String> known = new HashSet<>(labels);
    for (String name : names) {
      if (name.isBlank()) {
        throw new ContractViolation("the answer (" + shape + ") has a class with an empty name");
      }
      // Before the check against the labels, whose message quotes the whole name.
      String tooLong = ModelContract.tooLong(name);
      if (tooLong != null) {
        throw new ContractViolation("the answer (" + shape + ") names a class " + tooLong);
      }
      String unshowable = ModelContract.unshowable(name);
      if (unshowable != null) {
        throw new ContractViolation("the answer (" + shape + ") names a class " + unshowable);
      }
      if (!labels.isEmpty() && !known.contains(name)) {
        throw new ContractViolation(
            "the answer names class '" + Shown.value(name) + "', which is not among the "
                + Plurals.of(labels.size(), "configured label") + " (" + contract.labelSource()
                + "); leave the labels empty (no --labels FILE in local mode) to use the model's own"
                + " class names");
      }
    }
    return names;
  }

  private Scores interpretation(Scores setting, List<String> classes) {
    int outside = -1;
    double sum = 0;
    for (int i = 0; i < scores.length; i++) {
      sum += scores[i];
      if (outside < 0
          && (scores[i] < -PROBABILITY_TOLERANCE || scores[i] > 1 + PROBABILITY_TOLERANCE)) {
        outside = i;
      }
    }
    return switch (setting) {
      case LOGITS -> Scores.LOGITS;
      case PROBABILITIES -> {
        if (outside >= 0) {
          throw new ContractViolation(String.format(
              Locale.ROOT,
              "the score %s of '%s' is outside [0, 1], so it is"
                  + " no probability; if the model answers logits, set the scores setting to logits or auto",
              scores[outside],
              Shown.value(classes.get(outside))));
        }
        yield Scores.PROBABILITIES;
      }
      case AUTO ->
        outside >= 0 || (complete && Math.abs(sum - 1) > SUM_TOLERANCE)
            ? Scores.LOGITS
            : Scores.PROBABILITIES;
    };
  }

  private static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : logits) {
      max = Math.max(max, v);
    }
    double[] out = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      out[i] = Math.exp(logits[i] - max);
      sum += out[i];
    }
    for (int i = 0; i < out.length; i++) {
      out[i] /= sum;
    }
    return out;
  }

  private static double[] clamped(double[] probabilities) {
    double[] out = new double[probabilities.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = Math.min(1, Math.max(0, probabilities[i]));
    }
    return out;
  }
}
