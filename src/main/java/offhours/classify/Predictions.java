package offhours.classify;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import offhours.results.ResultItem.Label;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Reads the built-in image-classification response, a JSON array with one probability per class
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/IC-inference.html), and names the classes.
 */
final class Predictions {

  private Predictions() {}

  /** Thrown when the endpoint and the configured labels disagree: a deployment problem. */
  static final class ContractViolation extends RuntimeException {
    ContractViolation(String message) {
      super(message);
    }
  }

  /** The {@code k} most probable labels, most probable first; {@code labelSource} names where labels came from. */
  static List<Label> topK(byte[] response, List<String> labels, String labelSource, int k) {
    JsonNode root;
    try {
      root = Json.parse(response);
    } catch (Json.NotJson e) {
      throw new ContractViolation("endpoint response is not JSON: " + e.getMessage()
          + (e.where() == null ? "" : " at " + e.where()));
    }
    // Some containers wrap the array once more ([[...]]) for a batch of one image.
    if (root != null && root.isArray() && root.asArray().size() == 1 && root.asArray().getFirst().isArray()) {
      root = root.asArray().getFirst();
    }
    if (root == null || !root.isArray() || root.asArray().isEmpty()) {
      throw new ContractViolation("endpoint response is not a JSON array of probabilities: " + abbreviate(root));
    }
    List<JsonNode> probabilities = root.asArray();
    if (probabilities.size() != labels.size()) {
      throw new ContractViolation("endpoint returned " + probabilities.size() + " probabilities but " + labels.size()
          + " labels are configured (" + labelSource + ")");
    }
    List<Label> all = new ArrayList<>(probabilities.size());
    for (int i = 0; i < probabilities.size(); i++) {
      JsonNode p = probabilities.get(i);
      if (!p.isNumber()) {
        throw new ContractViolation("endpoint response has a non-number at index " + i + ": " + abbreviate(p));
      }
      // The parser checked the JSON number grammar, which Double.parseDouble accepts (1e-05 included).
      all.add(new Label(labels.get(i), Double.parseDouble(p.asNumber())));
    }
    all.sort(Comparator.comparingDouble(Label::score).reversed());
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }

  private static String abbreviate(JsonNode node) {
    String text = node == null ? "(an empty body)" : Json.write(node);
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
