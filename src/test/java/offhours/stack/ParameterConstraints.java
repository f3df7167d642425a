package offhours.stack;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What CloudFormation accepts as parameter values of template.yaml: each parameter's own constraints (Type, AllowedValues,
 * AllowedPattern, MinLength/MaxLength, MinValue/MaxValue) and the template's Rules
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html,
 * rules-section-structure.html). Patterns are Java regular expressions matched against the whole value, as
 * CloudFormation's are.
 */
final class ParameterConstraints {

  private final Map<String, Object> template;
  private final Map<String, Pattern> patterns = new java.util.HashMap<>();

  ParameterConstraints(Map<String, Object> template) {
    this.template = template;
  }

  Map<String, Object> declarations() {
    return StackResolver.map(template.get("Parameters"));
  }

  /** Why CloudFormation refuses {@code value} for {@code parameter} on its own, or null if it accepts it. */
  String refusal(String parameter, String value) {
    Map<String, Object> p = StackResolver.map(declarations().get(parameter));
    String type = String.valueOf(p.get("Type"));
    if (p.get("AllowedValues") instanceof List<?> allowed
        && allowed.stream().map(String::valueOf).noneMatch(value::equals)) {
      return "not one of AllowedValues";
    }
    switch (type) {
      case "String" -> {
        if (p.get("AllowedPattern") instanceof String pattern
            && !patterns
                .computeIfAbsent(pattern, Pattern::compile)
                .matcher(value)
                .matches()) {
          return "does not match AllowedPattern";
        }
        if (p.get("MinLength") != null
            && value.length() < Integer.parseInt(String.valueOf(p.get("MinLength")))) {
          return "shorter than MinLength";
        }
        if (p.get("MaxLength") != null
            && value.length() > Integer.parseInt(String.valueOf(p.get("MaxLength")))) {
          return "longer than MaxLength";
        }
      }
      case "Number" -> {
        BigDecimal number;
        try {
          number = new BigDecimal(value.strip());
        } catch (NumberFormatException e) {
          return "not a number";
        }
        if (p.get("MinValue") != null
            && number.compareTo(new BigDecimal(String.valueOf(p.get("MinValue")))) < 0) {
          return "below MinValue";
        }
        if (p.get("MaxValue") != null
            && number.compareTo(new BigDecimal(String.valueOf(p.get("MaxValue")))) > 0) {
          return "above MaxValue";
        }
      }
      default ->
        throw new IllegalArgumentException("parameter " + parameter + " has Type " + type
            + ", which the constraint test does not evaluate");
    }
    return null;
  }

  /** Every value CloudFormation refuses in {@code stack}: its parameters' own constraints, then its Rules. */
  List<String> refusals(StackResolver stack) {
    List<String> refusals = new ArrayList<>();
    stack.parameters().forEach((name, value) -> {
      String why = refusal(name, value);
      if (why != null) {
        refusals.add(name + " '" + value + "' " + why);
      }
    });
    if (refusals.isEmpty()) {
      refusals.addAll(ruleFailures(stack));
    }
    return refusals;
  }

  /** The Rules whose RuleCondition holds and one of whose Assertions does not. */
  List<String> ruleFailures(StackResolver stack) {
    List<String> failures = new ArrayList<>();
    Object rules = template.get("Rules");
    if (rules == null) {
      return failures;
    }
    for (var rule : StackResolver.map(rules).entrySet()) {
      Map<String, Object> r = StackResolver.map(rule.getValue());
      if (r.containsKey("RuleCondition") && !truth(stack, r.get("RuleCondition"))) {
        continue;
      }
      for (Object a : StackResolver.list(r.get("Assertions"))) {
        Map<String, Object> assertion = StackResolver.map(a);
        if (!truth(stack, assertion.get("Assert"))) {
          failures.add("rule " + rule.getKey() + ": " + assertion.get("AssertDescription"));
        }
      }
    }
    return failures;
  }

  /** The rule functions offhours uses: Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Contains, on Ref of parameters. */
  private boolean truth(StackResolver stack, Object node) {
    Map<String, Object> m = StackResolver.map(node);
    String fn = m.keySet().iterator().next();
    List<Object> args = fn.equals("Ref") ? List.of() : StackResolver.list(m.get(fn));
    return switch (fn) {
      case "Fn::Equals" -> value(stack, args.get(0)).equals(value(stack, args.get(1)));
      case "Fn::Not" -> !truth(stack, args.get(0));
      case "Fn::And" -> args.stream().allMatch(x -> truth(stack, x));
      case "Fn::Or" -> args.stream().anyMatch(x -> truth(stack, x));
      case "Fn::Contains" ->
        StackResolver.list(args.get(0)).stream()
            .map(x -> value(stack, x))
            .toList()
            .contains(value(stack, args.get(1)));
      default ->
        throw new IllegalArgumentException(
            "the constraint test does not evaluate the rule function " + fn);
    };
  }

  private static String value(StackResolver stack, Object node) {
    if (node instanceof Map<?, ?> m && m.size() == 1 && m.containsKey("Ref")) {
      return String.valueOf(stack.parameters().get(String.valueOf(m.get("Ref"))));
    }
    if (node instanceof Map || node instanceof List) {
      throw new IllegalArgumentException(
          "the constraint test reads only Ref and literals in rules, got " + node);
    }
    return String.valueOf(node);
  }
}
