package offhours.inference;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.units.Plurals;
import offhours.units.Shown;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Reads what real SageMaker image-classification containers answer into ranked class names, detecting the shape
 * from the answer itself:
 *
 * <ul>
 *   <li>scores in the model's output order, named by the configured labels: a bare {@code [p, ...]} (the built-in
 *       algorithm), {@code [[p, ...]]} (a batch of one; the PyTorch handler's logits), {@code {"prediction": [...]}}
 *       (the built-in algorithm's JSON Lines), {@code {"predictions": [[...]]}} or {@code {"predictions": [...]}}
 *       (TF Serving), {@code {"probabilities": [...]}} (JumpStart), {@code {"outputs": [{"data": [...]}]}}
 *       (KServe v2, Triton);
 *   <li>scores that name their classes, so labels are optional: {@code {"probabilities": [...], "labels": [...]}}
 *       (JumpStart with {@code Accept: application/json;verbose}), {@code [{"label": "macaw", "score": 0.44}, ...]}
 *       (the Hugging Face toolkit), {@code {"tabby": 0.46, ...}} (TorchServe), {@code [{"tabby": 0.46}, ...]}
 *       (older TorchServe), Triton's classification strings {@code "0.44:3:macaw"} in a KServe v2 output.
 * </ul>
 *
 * A class named more than once (by the answer or by the labels) is one class whose probability is the sum of its
 * scores' probabilities ({@link RawScores}). Anything else, and any answer that disagrees with the labels or the scores
 * setting, is a {@link ContractViolation} that says what was expected and shows an excerpt of the body.
 */
public final class ResponseShapes {

  private static final int EXCERPT_CHARACTERS = 200;

  static final String KNOWN_SHAPES =
      "[p, ...], [[p, ...]], {\"prediction\": [...]}, {\"predictions\": [...]},"
          + " {\"probabilities\": [...], \"labels\": [...]}, {\"outputs\": [{\"data\": [...]}]},"
          + " [{\"label\": ..., \"score\": p}, ...], {\"label\": p, ...}, [{\"label\": p}, ...] and Triton's"
          + " \"p:index:label\" strings";

  /**
   * Triton's classification extension: "value:index" or "value:index:label", the value a decimal as Triton writes a
   * float (0.720000), read by JSON's number grammar (a minus for a logit, an exponent allowed) as every other score of
   * an answer is: Double.parseDouble alone also takes blanks around it, a type suffix (0.9d), a hexadecimal number
   * (0x1p-1), a '+', Infinity and NaN, none of which Triton writes.
   */
  private static final Pattern TRITON_CLASS = Pattern.compile(
      "(-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?):([0-9]+)(?::(.*))?", Pattern.DOTALL);

  private ResponseShapes() {}

  /** The answer's classes, most probable first; throws {@link ContractViolation} when it does not fit. */
  public static Ranking read(byte[] body, ModelContract contract) {
    JsonNode root;
    try {
      root = StrictJson.parse(body);
    } catch (StrictJson.NotJson e) {
      throw new ContractViolation("the endpoint's answer is not JSON (" + e.getMessage()
          + (e.where() == null ? "" : " at " + e.where()) + "): " + excerpt(body));
    }
    if (root == null) {
      throw new ContractViolation(
          "the endpoint answered an empty body; offhours reads " + KNOWN_SHAPES);
    }
    RawScores raw = shape(root, body, contract.labels());
    if (raw == null) {
      throw new ContractViolation("the endpoint's answer fits none of the shapes offhours reads ("
          + KNOWN_SHAPES + "): " + excerpt(body));
    }
    return raw.ranked(contract);
  }

  private static RawScores shape(JsonNode node, byte[] body, List<String> labels) {
    if (node.isArray()) {
      return array(node.asArray(), body, labels);
    }
    if (!node.isObject()) {
      return null;
    }
    Map<String, JsonNode> fields = node.asObject();
    if (fields.get("predictions") != null && fields.get("predictions").isArray()) {
      return renamed(
          array(fields.get("predictions").asArray(), body, labels),
          "{\"predictions\": ...} (TF Serving)");
    }
    if (fields.get("prediction") != null && fields.get("prediction").isArray()) {
      return renamed(
          array(fields.get("prediction").asArray(), body, labels), "{\"prediction\": ...}");
    }
    JsonNode probabilities = fields.get("probabilities");
    if (probabilities != null && probabilities.isArray()) {
      return jumpStart(probabilities.asArray(), fields.get("labels"), body);
    }
    JsonNode outputs = fields.get("outputs");
    if (outputs != null && outputs.isArray()) {
      return kserve(outputs.asArray(), body, labels);
    }
    if (!fields.isEmpty() && fields.values().stream().allMatch(JsonNode::isNumber)) {
      List<String> names = new ArrayList<>(fields.keySet());
      double[] scores = new double[names.size()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = number(
            fields.get(names.get(i)), "the score of '" + Shown.value(names.get(i)) + "'", body);
      }
      return new RawScores(names, scores, "{\"label\": p, ...} (TorchServe)", false);
    }
    return null;
  }

  private static RawScores array(List<JsonNode> elements, byte[] body, List<String> labels) {
    if (elements.isEmpty()) {
      throw new ContractViolation(
          "the endpoint answered an empty list of scores: " + excerpt(body));
    }
    JsonNode first = elements.getFirst();
    if (first.isNumber()) {
      return new RawScores(null, numbers(elements, body), "an array of scores", true);
    }
    if (first.isArray()) {
      if (elements.size() > 1) {
        throw new ContractViolation(
            "the endpoint answered " + elements.size() + " rows of scores for one image;"
                + " offhours sends one image per request: " + excerpt(body));
      }
      RawScores inner = array(first.asArray(), body, labels);
      return inner == null ? null : renamed(inner, "[[...]] (a batch of one)");
    }
    if (first.isString()) {
      return triton(elements, body, labels);
    }
    if (first.isObject()
        && first.asObject().containsKey("label")
        && first.asObject().containsKey("score")) {
      List<String> names = new ArrayList<>();
      double[] scores = new double[elements.size()];
      for (int i = 0; i < scores.length; i++) {
        JsonNode label = StrictJson.at(elements.get(i), "label");
        if (label == null || !label.isString()) {
          throw new ContractViolation(
              "element " + i + " of the answer has no string \"label\": " + excerpt(body));
        }
        names.add(label.asString());
        scores[i] = number(
            StrictJson.at(elements.get(i), "score"),
            "the score of '" + Shown.value(label.asString()) + "'",
            body);
      }
      return new RawScores(names, scores, "[{\"label\", \"score\"}, ...] (Hugging Face)", false);
    }
    if (first.isObject() && first.asObject().size() == 1) {
      List<String> names = new ArrayList<>();
      double[] scores = new double[elements.size()];
      for (int i = 0; i < scores.length; i++) {
        JsonNode element = elements.get(i);
        if (!element.isObject() || element.asObject().size() != 1) {
          throw new ContractViolation(
              "element " + i + " of the answer is not one {\"label\": p} pair: " + excerpt(body));
        }
        Map.Entry<String, JsonNode> pair =
            element.asObject().entrySet().iterator().next();
        names.add(pair.getKey());
        scores[i] =
            number(pair.getValue(), "the score of '" + Shown.value(pair.getKey()) + "'", body);
      }
      return new RawScores(names, scores, "[{\"label\": p}, ...] (TorchServe)", false);
    }
    return null;
  }

  private static RawScores jumpStart(List<JsonNode> probabilities, JsonNode labels, byte[] body) {
    double[] scores = numbers(probabilities, body);
    if (labels == null || !labels.isArray()) {
      return new RawScores(null, scores, "{\"probabilities\": [...]} (JumpStart)", true);
    }
    List<JsonNode> names = labels.asArray();
    if (names.size() != scores.length || !names.stream().allMatch(JsonNode::isString)) {
      throw new ContractViolation("the answer's \"labels\" do not match its " + scores.length
          + " \"probabilities\" one to one: " + excerpt(body));
    }
    return new RawScores(
        names.stream().map(JsonNode::asString).toList(),
        scores,
        "{\"probabilities\", \"labels\"} (JumpStart, verbose)",
        true);
  }

  /** KServe v2 (Triton): one output tensor, whose data are the scores or Triton's classification strings. */
  private static RawScores kserve(List<JsonNode> outputs, byte[] body, List<String> labels) {
    if (outputs.size() != 1) {
      List<String> names = outputs.stream()
          .map(o -> String.valueOf(StrictJson.text(StrictJson.at(o, "name"))))
          .toList();
      throw new ContractViolation("the answer has " + outputs.size() + " KServe v2 outputs "
          + Shown.value(names.toString())
          + "; offhours reads a model with one output: " + excerpt(body));
    }
    JsonNode shape = StrictJson.at(outputs.getFirst(), "shape");
    if (shape != null && shape.isArray() && shape.asArray().size() > 1) {
      Long rows = StrictJson.integer(shape.asArray().getFirst());
      if (rows != null && rows > 1) {
        throw new ContractViolation(
            "the endpoint answered " + rows + " rows of scores for one image;"
                + " offhours sends one image per request: " + excerpt(body));
      }
    }
    JsonNode data = StrictJson.at(outputs.getFirst(), "data");
    if (data == null || !data.isArray()) {
      throw new ContractViolation("the KServe v2 output has no \"data\" array: " + excerpt(body));
    }
    RawScores raw = array(data.asArray(), body, labels);
    return raw == null ? null : renamed(raw, "{\"outputs\": [{\"data\"}]} (KServe v2)");
  }

  /** Triton's classification extension: "value:index:label", or "value:index" named by the configured labels. */
  private static RawScores triton(List<JsonNode> elements, byte[] body, List<String> labels) {
    List<String> names = new ArrayList<>();
    double[] scores = new double[elements.size()];
    for (int i = 0; i < scores.length; i++) {
      JsonNode element = elements.get(i);
      Matcher m = element.isString() ? TRITON_CLASS.matcher(element.asString()) : null;
      if (m == null || !m.matches()) {
        return null;
      }
      try {
        scores[i] = Double.parseDouble(m.group(1));
      } catch (NumberFormatException e) {
        return null;
      }
      requireFinite(scores[i], "the score of \"" + Shown.value(element.asString()) + "\"", body);
      if (m.group(3) != null && !m.group(3).isEmpty()) {
        names.add(m.group(3));
      } else {
        // An index past an int is past every list of labels too (and Integer.parseInt refuses it).
        String digits = m.group(2);
        int index = digits.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(digits);
        if (index >= labels.size()) {
          throw new ContractViolation(
              "the answer names class index " + Shown.value(digits) + " without a label, and "
                  + Plurals.of(labels.size(), "label is", "labels are") + " configured: "
                  + excerpt(body));
        }
        names.add(labels.get(index));
      }
    }
    return new RawScores(names, scores, "\"p:index:label\" strings (Triton classification)", false);
  }

  private static RawScores renamed(RawScores raw, String outer) {
    return raw == null ? null : raw.inside(outer);
  }

  private static double[] numbers(List<JsonNode> elements, byte[] body) {
    double[] scores = new double[elements.size()];
    for (int i = 0; i < scores.length; i++) {
      scores[i] = number(elements.get(i), "the score at index " + i, body);
    }
    return scores;
  }

  private static double number(JsonNode node, String what, byte[] body) {
    if (node == null || !node.isNumber()) {
      throw new ContractViolation(what + " is not a number: " + excerpt(body));
    }
    // The parser checked the JSON number grammar, which Double.parseDouble accepts (1e-05
    // included); a number too large for a double becomes infinite.
    return requireFinite(Double.parseDouble(node.asNumber()), what, body);
  }

  private static double requireFinite(double value, String what, byte[] body) {
    if (!Double.isFinite(value)) {
      throw new ContractViolation(what + " is not a finite number: " + excerpt(body));
    }
    return value;
  }

  /** The start of the body as text, control characters escaped, so a reason stays one readable line. */
  static String excerpt(byte[] body) {
    String text =
        new String(body, 0, Math.min(body.length, EXCERPT_CHARACTERS * 4), StandardCharsets.UTF_8);
    boolean longer = text.codePointCount(0, text.length()) > EXCERPT_CHARACTERS;
    String head = longer ? text.substring(0, text.offsetByCodePoints(0, EXCERPT_CHARACTERS)) : text;
    return longer || body.length > EXCERPT_CHARACTERS * 4 ? oneLine(head) + "..." : oneLine(head);
  }

  /**
   * {@code text} with every control character escaped as {@link Shown#escaped} escapes it (the invisible ones that
   * reorder text or break a line too), so what a model or a service wrote stays one line.
   */
  static String oneLine(String text) {
    return Shown.escaped(text);
  }
}
