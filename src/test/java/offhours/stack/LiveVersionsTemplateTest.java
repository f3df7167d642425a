package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.endpoint.cfn.LiveVersionsHandler;
import org.junit.jupiter.api.Test;

/**
 * template.yaml's LiveVersions custom resource: it runs after the live alias of every function that has one, names
 * those functions, is updated whenever anything a function's configuration takes from the stack changes (every
 * parameter, every resource value), answers within its ServiceTimeout, and its role can do nothing but read, publish
 * and move the alias of those functions, and read its own stack's status.
 */
class LiveVersionsTemplateTest {
  private static final Pattern SUB_NAME =
      Pattern.compile("\\$\\{([A-Za-z0-9]+)(?:\\.[A-Za-z0-9.]+)?}");
  /** What a function's configuration does not take from its properties, or what no version freezes. */
  private static final Set<String> NOT_FROZEN = Set.of("Events", "EventInvokeConfig", "CodeUri");

  private final Map<String, Object> template;

  LiveVersionsTemplateTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  private Map<String, Object> resources() {
    return StackResolver.map(template.get("Resources"));
  }

  private Map<String, Object> properties(String resource) {
    return StackResolver.map(StackResolver.map(resources().get(resource)).get("Properties"));
  }

  /** The functions SAM publishes under an alias. */
  private List<String> aliased() {
    return resources().entrySet().stream()
        .filter(e ->
            "AWS::Serverless::Function".equals(StackResolver.map(e.getValue()).get("Type")))
        .filter(e -> properties(e.getKey()).get("AutoPublishAlias") != null)
        .map(Map.Entry::getKey)
        .toList();
  }

  @Test
  void itRunsAfterEveryLiveAliasAndNamesEveryAliasedFunction() {
    List<String> functions = aliased();
    assertThat(functions)
        .containsExactlyInAnyOrder("ClassifyFunction", "ControllerFunction", "ApiFunction");
    assertThat(StackResolver.list(
            StackResolver.map(resources().get("LiveVersions")).get("DependsOn")))
        .containsExactlyInAnyOrderElementsOf(functions.stream()
            .map(f -> f + "Alias" + properties(f).get("AutoPublishAlias"))
            .toList());
    assertThat(StackResolver.list(properties("LiveVersions").get("FunctionNames")))
        .containsExactlyInAnyOrderElementsOf(
            functions.stream().map(f -> (Object) Map.of("Ref", f)).toList());
  }

  @Test
  void itsSettingsHoldEveryParameterSoThatEveryParameterChangeUpdatesIt() {
    Set<String> settings = names(properties("LiveVersions").get("Settings"));
    assertThat(StackResolver.map(template.get("Parameters")).keySet())
        .as(
            "parameters missing from LiveVersions Settings: a change of them would leave live on its old settings")
        .isNotEmpty()
        .allSatisfy(p -> assertThat(settings).as("LiveVersions Settings").contains(p));
  }

  @Test
  void aParameterOfItsOwnLetsADeployCompareAgainAfterARollback() {
    // Redeploying the previous parameters after a rollback is no change, so CloudFormation would
    // not call it.
    Map<String, Object> revision = StackResolver.map(
        StackResolver.map(template.get("Parameters")).get(LiveVersionsHandler.REVISION_PARAMETER));
    assertThat(revision).containsEntry("Type", "String").containsKey("Default");
    assertThat(String.valueOf(revision.get("Description"))).contains("rollback");
    assertThat(StackResolver.list(properties("LiveVersions").get("Settings")))
        .contains(Map.of("Ref", LiveVersionsHandler.REVISION_PARAMETER));
  }

  @Test
  void itsSettingsHoldEveryResourceValueAFunctionsConfigurationTakes() {
    Set<String> settings = names(properties("LiveVersions").get("Settings"));
    for (String function : aliased()) {
      Map<String, Object> frozen = new LinkedHashMap<>(properties(function));
      NOT_FROZEN.forEach(frozen::remove);
      Set<String> taken = names(frozen);
      assertThat(taken).as("what %s takes from the stack", function).contains("ControlTable");
      assertThat(settings).as("LiveVersions Settings, for %s", function).containsAll(taken);
    }
  }

  @Test
  void itIsUpdatedWhenSamPublishesAVersion() {
    assertThat(StackResolver.list(properties("LiveVersions").get("Versions")))
        .containsExactlyInAnyOrderElementsOf(
            aliased().stream().map(f -> (Object) Map.of("Ref", f + ".Version")).toList());
  }

  @Test
  void itIsUpdatedWhenTheFunctionsAsWrittenChange() {
    Map<String, Object> written = new LinkedHashMap<>();
    written.put("Globals", template.get("Globals"));
    aliased().forEach(f -> written.put(f, resources().get(f)));
    assertThat(properties("LiveVersions").get("FunctionsFingerprint"))
        .as(
            "LiveVersions FunctionsFingerprint: a hash of Globals and the aliased functions as written; set it to"
                + " the expected value")
        .isEqualTo(ResourceFingerprint.of(written));
  }

  @Test
  void itAnswersWithinItsServiceTimeoutAfterTheLongestWait() {
    long timeout =
        Long.parseLong(String.valueOf(properties("LiveVersionsFunction").get("Timeout")));
    long serviceTimeout =
        Long.parseLong(String.valueOf(properties("LiveVersions").get("ServiceTimeout")));
    assertThat(timeout)
        .isGreaterThanOrEqualTo(
            LiveVersionsHandler.BUDGET.plus(LiveVersionsHandler.RESERVE).toSeconds())
        .isLessThan(serviceTimeout);
  }

  @Test
  void itsRoleReadsPublishesAndMovesTheAliasOfThoseFunctionsOnlyAndReadsItsOwnStack() {
    List<Object> statements = StackResolver.list(StackResolver.map(
            StackResolver.map(StackResolver.list(properties("LiveVersionsRole").get("Policies"))
                    .getFirst())
                .get("PolicyDocument"))
        .get("Statement"));
    Set<String> actions = new TreeSet<>();
    List<Object> lambdaResources = new ArrayList<>();
    List<Object> stackResources = new ArrayList<>();
    for (Object s : statements) {
      Map<String, Object> statement = StackResolver.map(s);
      assertThat(statement).containsEntry("Effect", "Allow").doesNotContainKey("NotAction");
      Object action = statement.get("Action");
      List<Object> these = action instanceof List<?> l ? List.copyOf(l) : List.of(action);
      these.forEach(a -> actions.add(String.valueOf(a)));
      if (these.stream().anyMatch(a -> String.valueOf(a).startsWith("lambda:"))) {
        Object resource = statement.get("Resource");
        lambdaResources.addAll(resource instanceof List<?> l ? l : List.of(resource));
      }
      if (these.stream().anyMatch(a -> String.valueOf(a).startsWith("cloudformation:"))) {
        Object resource = statement.get("Resource");
        stackResources.addAll(resource instanceof List<?> l ? l : List.of(resource));
      }
    }
    assertThat(actions)
        .containsExactly(
            "cloudformation:DescribeStacks",
            "lambda:GetFunctionConfiguration",
            "lambda:PublishVersion",
            "lambda:UpdateAlias",
            "logs:CreateLogStream",
            "logs:PutLogEvents");
    List<Object> allowed = new ArrayList<>();
    for (String f : aliased()) {
      allowed.add(Map.of("Fn::GetAtt", List.of(f, "Arn")));
      allowed.add(Map.of("Fn::Sub", "${" + f + ".Arn}:*"));
    }
    assertThat(lambdaResources).isNotEmpty().allSatisfy(r -> assertThat(allowed).contains(r));
    // Its own stack only: to tell whether the stack is rolling back.
    assertThat(stackResources).containsExactly(Map.of("Ref", "AWS::StackId"));
  }

  /** The resources and parameters a value names: !Ref (not AWS:: pseudo parameters), !GetAtt, ${...} of !Sub. */
  private static Set<String> names(Object value) {
    Set<String> names = new TreeSet<>();
    collect(value, names);
    names.removeIf(n -> n.startsWith("AWS::"));
    return names;
  }

  private static void collect(Object value, Set<String> names) {
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        if (k.equals("Ref") && v instanceof String ref) {
          names.add(ref);
        } else if (k.equals("Fn::GetAtt") && v instanceof List<?> l) {
          names.add(String.valueOf(l.getFirst()));
        } else if (k.equals("Fn::Sub")) {
          // !Sub [text, {Name: value}]: a ${Name} of the map is the map's value, collected as such.
          Object text = v instanceof List<?> l ? l.getFirst() : v;
          Map<?, ?> variables =
              v instanceof List<?> l && l.size() > 1 && l.get(1) instanceof Map<?, ?> vm
                  ? vm
                  : Map.of();
          Matcher matcher = SUB_NAME.matcher(String.valueOf(text));
          while (matcher.find()) {
            if (!variables.containsKey(matcher.group(1))) {
              names.add(matcher.group(1));
            }
          }
          collect(variables, names);
        } else {
          collect(v, names);
        }
      });
    } else if (value instanceof List<?> l) {
      l.forEach(v -> collect(v, names));
    }
  }
}
