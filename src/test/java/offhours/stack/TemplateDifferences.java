package offhours.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One comparison of template.yaml with StackSpec while it runs: the parsed template, read node by node with a failure
 * that names what is missing, and the differences found so far, each a sentence naming both sides. {@link StackDrift}
 * and {@link PipelineDrift} add to it.
 */
final class TemplateDifferences {

  private final Map<String, Object> template;
  private final List<String> differences = new ArrayList<>();

  TemplateDifferences(Map<String, Object> template) {
    this.template = template;
  }

  Map<String, Object> template() {
    return template;
  }

  /** Every difference found, in the order found. */
  List<String> all() {
    return List.copyOf(differences);
  }

  void add(String difference) {
    differences.add(difference);
  }

  void addAll(List<String> found) {
    differences.addAll(found);
  }

  /** {@code value} is a literal equal to {@code wanted}, or a Ref to a parameter whose Default equals it. */
  void expectParameterDefault(String what, Object value, Object wanted) {
    if (value instanceof Map<?, ?> choice
        && choice.get("Fn::If") instanceof List<?> branches
        && branches.size() == 3) {
      // A value that depends on a condition (MAX_IMAGE_BYTES by Hosting): StackSpec's default is
      // one of its branches.
      if (Objects.equals(String.valueOf(branches.get(1)), wanted)
          || Objects.equals(String.valueOf(branches.get(2)), wanted)) {
        return;
      }
    }
    if (value instanceof Map<?, ?> ref && ref.get("Ref") instanceof String parameter) {
      expect(
          what + " (Default of parameter " + parameter + ")", parameterDefault(parameter), wanted);
    } else {
      expect(what, value, wanted);
    }
  }

  /** The Default of {@code parameter}, or null and a difference when the template has no such parameter. */
  Object parameterDefault(String parameter) {
    Map<String, Object> parameters = map(template.get("Parameters"));
    if (!parameters.containsKey(parameter)) {
      differences.add("template.yaml has no parameter " + parameter);
      return null;
    }
    return map(parameters.get(parameter)).get("Default");
  }

  /** Compares as text where one side is a number and the other a string (CloudFormation parameters are strings). */
  void expect(String what, Object actual, Object wanted) {
    boolean same = Objects.equals(actual, wanted)
        || (actual != null
            && wanted != null
            && (actual instanceof Number || wanted instanceof Number)
            && String.valueOf(actual).equals(String.valueOf(wanted)));
    if (!same) {
      differences.add(what + ": template.yaml has " + actual + ", StackSpec says " + wanted);
    }
  }

  /** The resource named {@code name}; a template without it fails, as no comparison can go on. */
  Map<String, Object> resource(String name) {
    Map<String, Object> resources = map(template.get("Resources"));
    if (!resources.containsKey(name)) {
      throw new IllegalArgumentException("template.yaml has no resource " + name);
    }
    return map(resources.get(name));
  }

  /** The mapping at {@code keys} under {@code from}; a missing key fails with the whole path. */
  static Map<String, Object> path(Map<String, Object> from, String... keys) {
    Map<String, Object> node = from;
    for (String key : keys) {
      if (!node.containsKey(key)) {
        throw new IllegalArgumentException(
            "template.yaml lacks " + key + " (path " + String.join(".", keys) + ")");
      }
      node = map(node.get(key));
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    if (!(o instanceof Map)) {
      throw new IllegalArgumentException("expected a mapping in template.yaml, got "
          + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object o) {
    if (!(o instanceof List)) {
      throw new IllegalArgumentException("expected a list in template.yaml, got "
          + (o == null ? "nothing" : o.getClass().getSimpleName()));
    }
    return (List<Object>) o;
  }
}
