package offhours.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.inference.ModelContract;
import offhours.results.LiveSettings;
import offhours.results.NewestFirst;
import offhours.results.ResultItem;
import offhours.results.ResultItem.Verdict;
import offhours.stack.FunctionVariables;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Which model settings the stack classifies with now, as {@code results}, {@code reprocess} and {@code ui} compare
 * results with them. Resolved from the stack's own settings (a deployed stack's parameters, which DescribeStacks
 * already gave the command line; the local stack's state file) by the code Classify resolves them with
 * ({@link ModelContract#fromEnv}, its labels file, {@link ModelContract#settingsFingerprint}), so a settings change
 * shows at once, as GET /results shows it. Where that is not possible it falls back to the settings of the newest
 * classification and says why: a deployed stack whose labels come from a LabelsS3Uri file (reading it needs
 * s3:GetObject on a bucket that need not be the stack's, a permission README's "Operating it" table does not ask of
 * an operator), or a stack of an older template or state file that does not carry the settings.
 */
final class LiveSettingsLookup {

  /** The exact fingerprint, or null: the newest classification's is used. */
  private final String fingerprint;

  private final String basis;

  /** The model's labels, as Classify resolves them; empty when the command line does not know them. */
  private final List<String> labels;

  private LiveSettingsLookup(String fingerprint, String basis, List<String> labels) {
    this.fingerprint = fingerprint;
    this.basis = basis;
    this.labels = List.copyOf(labels);
  }

  /** The lookup for {@code target}; reads the local stack's labels file when its settings name one. */
  static LiveSettingsLookup of(Target target) {
    Map<String, String> env = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    FunctionVariables.MODEL_PARAMETERS.forEach((variable, parameter) -> {
      String value = target.settings().get(variable);
      if (value == null) {
        missing.add(target.local() ? variable : parameter);
      } else {
        env.put(variable, value);
      }
    });
    if (!missing.isEmpty()) {
      return fallback(
          target.local()
              ? "the local stack's state file does not record the model's settings (it was started by an older"
                  + " version)"
              : target.description() + " has no parameter " + String.join(", ", missing)
                  + " (it was deployed from an older template)");
    }
    ModelContract contract;
    try {
      contract = ModelContract.fromEnv(env);
    } catch (IllegalArgumentException e) {
      return fallback(
          target.description() + "'s model settings cannot be read here: " + e.getMessage());
    }
    if (contract.labels().isEmpty() && contract.labelsS3Uri() != null) {
      if (!target.local()) {
        return fallback(target.description() + " reads its labels from LabelsS3Uri "
            + contract.labelsS3Uri() + ", which the command line does not read");
      }
      try (S3Client s3 = target.s3()) {
        contract = contract.resolveLabels(s3);
      } catch (RuntimeException e) {
        return fallback("the local stack's labels file '" + contract.labelsS3Uri()
            + "' could not be read: " + e.getMessage());
      }
    }
    return new LiveSettingsLookup(
        contract.settingsFingerprint(),
        target.local()
            ? "compared with the model settings the local stack runs with"
            : "compared with the model settings " + target.description() + "'s parameters set ("
                + String.join(", ", FunctionVariables.MODEL_PARAMETERS.values()) + ")",
        contract.labels());
  }

  private static LiveSettingsLookup fallback(String why) {
    return new LiveSettingsLookup(
        null,
        "compared with the newest classification's settings, as " + why
            + ": right after a settings change, results show as current until the first image is"
            + " classified under the new settings",
        List.of());
  }

  /**
   * The model's label that {@code asked} differs from only in case, when it is not one of the labels itself: a top
   * label is matched exactly (it is the label index's key), so {@code --label neutral} finds nothing where the model
   * says Neutral. Empty when the labels are not known here (a LabelsS3Uri file of a deployed stack, an older stack).
   */
  Optional<String> labelMeant(String asked) {
    if (labels.contains(asked)) {
      return Optional.empty();
    }
    return labels.stream().filter(label -> label.equalsIgnoreCase(asked)).findFirst();
  }

  /**
   * What {@code results} and {@code reprocess} say on stderr when {@code --label asked} found nothing and differs from
   * one of the model's labels only in case ({@link #labelMeant}); empty otherwise.
   */
  Optional<String> labelHint(String asked) {
    return labelMeant(asked).map(meant -> labelHint(asked, meant));
  }

  /** The hint for {@code asked} where the model says {@code meant}, with a {@code --label} the shell reads back. */
  static String labelHint(String asked, String meant) {
    return Terminal.printable("labels are matched exactly, and the model's label is '" + meant
        + "', not '" + asked + "': try --label " + Terminal.shellWord(meant));
  }

  /** The live settings: the exact ones, or those of the newest classification in {@code table} (one Query). */
  LiveSettings now(DynamoDbClient dynamoDb, String table) {
    if (fingerprint != null) {
      return new LiveSettings(fingerprint, true, basis);
    }
    String newest = newestClassification(dynamoDb, table);
    return new LiveSettings(
        newest,
        false,
        newest != null
            ? basis
            : basis + "; no classification has recorded its settings yet, so none is known");
  }

  /**
   * The settings of the newest CLASSIFIED result (one Query of the status index), which Classify wrote under its
   * settings of the moment; null when there is none, or it was written before results recorded their settings.
   */
  static String newestClassification(DynamoDbClient dynamoDb, String table) {
    return new NewestFirst(dynamoDb, table)
        .page(null, Verdict.CLASSIFIED.name(), null, 1, null).items().stream()
            .findFirst()
            .map(ResultItem::settings)
            .orElse(null);
  }
}
