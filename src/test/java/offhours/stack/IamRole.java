package offhours.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One IAM role of the template, resolved for a {@link FakeStack}: the (action, resource) pairs its inline policies
 * allow. Only what offhours' roles use is understood (Allow statements with Action and Resource, and a Condition of
 * StringEquals); anything else (Deny, NotAction, NotResource, other conditions, managed policies) fails loudly instead
 * of being misjudged, but for any Condition in {@link #atMost}.
 */
final class IamRole {

  /**
   * One action on one resource pattern, from the statement {@code sid}; {@code resourceIndex} is the pattern's place in
   * the statement's Resource list, so that the same grant of two stacks (different names) has the same {@link #key}.
   */
  record Grant(
      String sid,
      String action,
      String resource,
      int resourceIndex,
      Map<String, String> stringEquals) {
    String key() {
      return sid + " " + action + " #" + resourceIndex;
    }

    /**
     * Whether the grant allows {@code p}: action and resource match, and each StringEquals condition key (names compare
     * without regard to case) has exactly the condition's value in the request's context.
     */
    boolean covers(Permission p) {
      return glob(action, true).matcher(p.action()).matches()
          && glob(resource, false).matcher(p.resource()).matches()
          && stringEquals.entrySet().stream()
              .allMatch(c -> c.getValue().equals(p.context().get(c.getKey())));
    }

    @Override
    public String toString() {
      return action + " on " + resource
          + (stringEquals.isEmpty() ? "" : " if " + stringEquals)
          + " (statement " + sid + ")";
    }
  }

  /**
   * What a call needs: {@code action} on {@code resource}, and why (the call, or the platform's use); {@code context}
   * holds the request's condition keys a grant may test (lower-case names), e.g. kms:viaservice.
   */
  record Permission(String action, String resource, String because, Map<String, String> context) {
    Permission(String action, String resource, String because) {
      this(action, resource, because, Map.of());
    }

    @Override
    public String toString() {
      return action + " on " + resource + (context.isEmpty() ? "" : " with " + context) + " ("
          + because + ")";
    }
  }

  private final String name;
  private final List<Grant> grants;

  private IamRole(String name, List<Grant> grants) {
    this.name = name;
    this.grants = List.copyOf(grants);
  }

  /** The role a function runs with: its {@code Role: !GetAtt X.Arn}, resolved. */
  static IamRole ofFunction(StackResolver stack, String function) {
    Object role =
        StackResolver.path(StackResolver.map(stack.resource(function).get("Properties")), "Role");
    if (!(role instanceof Map<?, ?> m) || !(m.get("Fn::GetAtt") instanceof List<?> getAtt)) {
      throw new IllegalArgumentException(
          function + " must name its role with Role: !GetAtt SomeRole.Arn; a role SAM"
              + " generates from Policies is not checked by this test");
    }
    return of(stack, String.valueOf(getAtt.get(0)));
  }

  static IamRole of(StackResolver stack, String logicalId) {
    return of(stack, logicalId, false);
  }

  /**
   * The most {@code logicalId} may do: a statement's Condition only narrows it, so it is read as if it had none. For
   * what a role must not reach (an upper bound); never to prove that a call is allowed, which {@link #of} does.
   */
  static IamRole atMost(StackResolver stack, String logicalId) {
    return of(stack, logicalId, true);
  }

  private static IamRole of(StackResolver stack, String logicalId, boolean conditionsNarrow) {
    if (!stack.type(logicalId).equals("AWS::IAM::Role")) {
      throw new IllegalArgumentException(logicalId + " is not an AWS::IAM::Role");
    }
    Map<String, Object> props = stack.properties(logicalId);
    for (String unsupported : List.of("ManagedPolicyArns", "PermissionsBoundary")) {
      if (props.containsKey(unsupported)) {
        throw new IllegalArgumentException(
            logicalId + " has " + unsupported + ", which the permission test cannot"
                + " evaluate; give the role inline policies only");
      }
    }
    List<Grant> grants = new ArrayList<>();
    for (Object policy : StackResolver.list(props.getOrDefault("Policies", List.of()))) {
      Map<String, Object> document =
          StackResolver.map(StackResolver.map(policy).get("PolicyDocument"));
      for (Object s : StackResolver.list(document.get("Statement"))) {
        Map<String, Object> statement = StackResolver.map(s);
        if (!(statement.get("Sid") instanceof String sid)) {
          throw new IllegalArgumentException(
              logicalId + " has a statement without a Sid; the permission test names"
                  + " grants by their statement's Sid: " + statement);
        }
        for (String unsupported : List.of("NotAction", "NotResource", "NotPrincipal")) {
          if (statement.containsKey(unsupported)) {
            throw new IllegalArgumentException(logicalId + " statement " + sid + " uses "
                + unsupported + ", which the permission test cannot evaluate");
          }
        }
        if (!"Allow".equals(statement.get("Effect"))) {
          throw new IllegalArgumentException(logicalId + " statement " + sid + " is not an Allow");
        }
        Map<String, String> conditions = conditionsNarrow
            ? Map.of() // read as if it had none: an upper bound
            : stringEquals(logicalId, sid, statement.get("Condition"));
        List<Object> resources = strings(statement.get("Resource"));
        for (Object action : strings(statement.get("Action"))) {
          for (int i = 0; i < resources.size(); i++) {
            grants.add(new Grant(
                sid, String.valueOf(action), String.valueOf(resources.get(i)), i, conditions));
          }
        }
      }
    }
    return new IamRole(logicalId, grants);
  }

  /**
   * A statement's Condition, of which only StringEquals with one value per key is understood (keys in lower case, as
   * IAM compares their names without regard to case); anything else fails loudly.
   */
  private static Map<String, String> stringEquals(String role, String sid, Object condition) {
    if (condition == null) {
      return Map.of();
    }
    Map<String, Object> operators = StackResolver.map(condition);
    if (!operators.keySet().equals(Set.of("StringEquals"))) {
      throw new IllegalArgumentException(
          role + " statement " + sid + " has the condition operators " + operators.keySet()
              + "; the permission test evaluates StringEquals only");
    }
    Map<String, String> keys = new LinkedHashMap<>();
    StackResolver.map(operators.get("StringEquals")).forEach((key, value) -> {
      if (!(value instanceof String single)) {
        throw new IllegalArgumentException(role + " statement " + sid + " tests " + key
            + " against " + value + "; the permission test evaluates one string per key");
      }
      keys.put(lower(key), single);
    });
    return Map.copyOf(keys);
  }

  private static List<Object> strings(Object value) {
    return value instanceof List<?> l ? List.copyOf(l) : List.of(value);
  }

  String name() {
    return name;
  }

  List<Grant> grants() {
    return grants;
  }

  boolean allows(Permission p) {
    return grants.stream().anyMatch(g -> g.covers(p));
  }

  /**
   * IAM's wildcards: {@code *} any run of characters, {@code ?} one character; action names compare without regard
   * to case, resource ARNs with (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
   */
  static Pattern glob(String pattern, boolean ignoreCase) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return ignoreCase
        ? Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE)
        : Pattern.compile(regex.toString());
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
