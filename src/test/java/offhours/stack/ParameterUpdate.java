package offhours.stack;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What CloudFormation does to template.yaml's resources when a stack update changes parameters, as far as the
 * template says: each resource's properties resolved before and after ({@link StackResolver}), the SAM transform's
 * function, event and HTTP API resources included, and each changed property looked up in {@link UpdateBehaviours}.
 * A replaced resource gets a new physical id, so whatever names it (a Ref, a GetAtt) changes too, and the comparison
 * runs again until nothing more is replaced: a new Model replaces the EndpointConfig that names it.
 *
 * @param replaced resources CloudFormation creates anew and then deletes the old one of
 * @param created resources the update creates (a Condition that now holds)
 * @param deleted resources the update deletes (a Condition that no longer holds)
 * @param updated resources updated in place, with the properties that changed
 * @param unclassified "TYPE PROPERTY (RESOURCE)" for a changed property {@link UpdateBehaviours} does not know
 * @param reached "TYPE PROPERTY" for every changed property
 */
record ParameterUpdate(
    Set<String> replaced,
    Set<String> created,
    Set<String> deleted,
    Map<String, Set<String>> updated,
    Set<String> unclassified,
    Set<String> reached) {

  /** The physical id CloudFormation gives the replacement of {@code logicalId}: any other than the old one. */
  private static String replacementId(FakeStack stack, String logicalId) {
    return stack.physicalId(logicalId) + "-replacement";
  }

  /** The update from {@code before} to {@code after}, two parameter sets of one stack (same account and id). */
  static ParameterUpdate of(
      Map<String, Object> template,
      FakeStack stack,
      Map<String, String> before,
      Map<String, String> after) {
    Map<String, Unit> old = units(new StackResolver(template, stack.withParameters(before)));
    Set<String> replaced = new TreeSet<>();
    while (true) {
      FakeStack next = stack.withParameters(after);
      for (String id : replaced) {
        next = next.withPhysicalId(id, replacementId(stack, id));
      }
      Map<String, Unit> now = units(new StackResolver(template, next));
      ParameterUpdate update = compare(old, now, replaced);
      if (update.replaced().equals(replaced)) {
        return update;
      }
      replaced = new TreeSet<>(update.replaced());
    }
  }

  private static ParameterUpdate compare(
      Map<String, Unit> old, Map<String, Unit> now, Set<String> alreadyReplaced) {
    Set<String> replaced = new TreeSet<>(alreadyReplaced);
    Set<String> created = new TreeSet<>(now.keySet());
    created.removeAll(old.keySet());
    Set<String> deleted = new TreeSet<>(old.keySet());
    deleted.removeAll(now.keySet());
    Map<String, Set<String>> updated = new LinkedHashMap<>();
    Set<String> unclassified = new TreeSet<>();
    Set<String> reached = new TreeSet<>();
    for (var entry : old.entrySet()) {
      String id = entry.getKey();
      Unit before = entry.getValue();
      Unit after = now.get(id);
      if (after == null) {
        continue;
      }
      Set<String> names = new TreeSet<>(before.properties().keySet());
      names.addAll(after.properties().keySet());
      for (String property : names) {
        if (Objects.equals(before.properties().get(property), after.properties().get(property))) {
          continue;
        }
        reached.add(before.type() + " " + property);
        var behaviour = UpdateBehaviours.of(before.type(), property);
        if (behaviour.isEmpty()) {
          unclassified.add(before.type() + " " + property + " (" + id + ")");
        } else if (behaviour.get().replaces()) {
          replaced.add(id);
        } else {
          updated.computeIfAbsent(id, k -> new TreeSet<>()).add(property);
        }
      }
    }
    updated.keySet().removeAll(replaced);
    return new ParameterUpdate(replaced, created, deleted, updated, unclassified, reached);
  }

  /** A resource as CloudFormation sees it after the SAM transform: its type and resolved properties. */
  record Unit(String type, Map<String, Object> properties) {}

  /**
   * Every resource the stack has, by logical id: template resources whose Condition holds, and for each SAM function
   * the Lambda function (Globals merged in) and one resource per event, named as SAM names it (function and event).
   */
  static Map<String, Unit> units(StackResolver stack) {
    Map<String, Unit> units = new LinkedHashMap<>();
    for (String id : stack.resources().keySet()) {
      if (!TransformedResources.exists(stack, id)) {
        continue;
      }
      String type = stack.type(id);
      Map<String, Object> properties = stack.properties(id);
      if (type.equals("AWS::Serverless::Function")) {
        function(stack, id, properties, units);
      } else {
        units.put(id, new Unit(type.startsWith("Custom::") ? "Custom::" : type, properties));
      }
    }
    return units;
  }

  private static void function(
      StackResolver stack, String id, Map<String, Object> properties, Map<String, Unit> units) {
    Map<String, Object> function = new LinkedHashMap<>(stack.functionGlobals());
    function.putAll(properties);
    Object events = function.remove("Events");
    units.put(id, new Unit("AWS::Serverless::Function", function));
    if (events == null) {
      return;
    }
    for (var e : StackResolver.map(events).entrySet()) {
      Map<String, Object> event = StackResolver.map(e.getValue());
      String type = "AWS::Serverless::Function.Events." + event.get("Type");
      Object p = event.get("Properties");
      units.put(id + e.getKey(), new Unit(type, p == null ? Map.of() : StackResolver.map(p)));
    }
  }
}
