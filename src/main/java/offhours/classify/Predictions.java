package offhours.classify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import offhours.results.ResultItem.Label;

/**
 * Reads the built-in image-classification response, a JSON array with one probability per class
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/IC-inference.html), and names the classes.
 */
final class Predictions {

  private static final ObjectMapper JSON = new ObjectMapper();

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
      root = JSON.readTree(response);
    } catch (IOException e) {
      throw new ContractViolation("endpoint response is not JSON: " + e.getMessage());
    }
    // Some containers wrap the array once more ([[...]]) for a batch of one image.
    if (root != null && root.isArray() && root.size() == 1 && root.get(0).isArray()) {
      root = root.get(0);
    }
    if (root == null || !root.isArray() || root.isEmpty()) {
      throw new ContractViolation("endpoint response is not a JSON array of probabilities: " + abbreviate(root));
    }
    if (root.size() != labels.size()) {
      throw new ContractViolation("endpoint returned " + root.size() + " probabilities but " + labels.size()
          + " labels are configured (" + labelSource + ")");
    }
    List<Label> all = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      JsonNode p = root.get(i);
      if (!p.isNumber()) {
        throw new ContractViolation("endpoint response has a non-number at index " + i + ": " + abbreviate(p));
      }
      all.add(new Label(labels.get(i), p.asDouble()));
    }
    all.sort(Comparator.comparingDouble(Label::score).reversed());
    return List.copyOf(all.subList(0, Math.min(k, all.size())));
  }

  private static String abbreviate(JsonNode node) {
    String text = String.valueOf(node);
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
