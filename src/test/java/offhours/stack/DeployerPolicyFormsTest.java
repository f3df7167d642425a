package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every action the deployer's policy grants is an IAM action, each of its statements names resources of a type the
 * action is authorized on ("*" only for an action that has none), tests only condition keys the action supports, and
 * grants nothing that neither a handler of a resource the stack creates nor SAM CLI needs. The reference is
 * service-authorization.tsv, the Service Authorization Reference's entries for these actions (the file says where it
 * came from); a grant IAM cannot match is dead weight at best and hides a missing one at worst.
 */
class DeployerPolicyFormsTest {

  private static final Path REFERENCE =
      Path.of("src/test/resources/offhours/stack/service-authorization.tsv");

  /** Forms AWS documents for an action outside its reference entry. */
  private static final Map<String, List<String>> ALSO = Map.of(
      // The transform a template declares is authorized as a resource of CreateChangeSet
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/control-access-with-iam.html, "transform").
      "cloudformation:CreateChangeSet",
      List.of("arn:${Partition}:cloudformation:${Region}:aws:transform/${TransformName}"),
      // API Gateway's HTTP APIs collection, CreateApi's resource (the reference's "Amazon API
      // Gateway Management V2",
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonapigatewaymanagementv2.html).
      "apigateway:POST",
      List.of("arn:${Partition}:apigateway:${Region}::/apis"),
      "apigateway:GET",
      List.of("arn:${Partition}:apigateway:${Region}::/apis"));

  /**
   * The grants on "*", each because the action has no resource type to name: among them the log delivery permissions
   * that turning on an HTTP API's access logging needs
   * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html).
   */
  private static final Set<String> ON_EVERYTHING = Set.of(
      "kms:CreateKey",
      "kms:ListAliases",
      "logs:DescribeLogGroups",
      "logs:DescribeIndexPolicies",
      "logs:CreateLogDelivery",
      "logs:DeleteLogDelivery",
      "logs:DescribeResourcePolicies",
      "logs:GetLogDelivery",
      "logs:ListLogDeliveries",
      "logs:PutResourcePolicy",
      "logs:UpdateLogDelivery",
      "lambda:CreateEventSourceMapping");

  record Entry(List<String> forms, Set<String> conditionKeys) {}

  static Map<String, Entry> reference() throws IOException {
    Map<String, Entry> m = new HashMap<>();
    for (String line : Files.readAllLines(REFERENCE)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t");
      List<String> forms = new ArrayList<>(Arrays.asList(f[1].split(" ")));
      forms.addAll(ALSO.getOrDefault(f[0], List.of()));
      m.put(
          f[0].toLowerCase(Locale.ROOT),
          new Entry(
              forms, f[2].equals("-") ? Set.of() : new TreeSet<>(Arrays.asList(f[2].split(" ")))));
    }
    return m;
  }

  private static DeployerPolicy policy() {
    return DeployerPolicy.forStack(FakeStack.create(FakeStack.REQUIRED_PARAMETERS));
  }

  @Test
  void everyGrantIsAnIamActionOnAResourceOfATypeItIsAuthorizedOn() throws IOException {
    Map<String, Entry> reference = reference();
    List<String> wrong = new ArrayList<>();
    Set<String> onEverything = new TreeSet<>();
    for (DeployerPolicy.Statement s : policy().statements()) {
      for (String action : s.actions()) {
        Entry entry = reference.get(action.toLowerCase(Locale.ROOT));
        if (entry == null) {
          wrong.add(s.sid() + " grants " + action + ", which the reference does not list");
          continue;
        }
        for (String resource : s.resources()) {
          if (resource.equals("*")) {
            onEverything.add(action);
          }
          if (entry.forms().stream().noneMatch(f -> ResourceFormsTest.names(resource, f))) {
            wrong.add(s.sid() + " grants " + action + " on " + resource + ", not of a form it is"
                + " authorized on: " + entry.forms());
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(onEverything).containsExactlyInAnyOrderElementsOf(ON_EVERYTHING);
  }

  @Test
  void eachConditionTestsAKeyEveryActionOfItsStatementSupports() throws IOException {
    Map<String, Entry> reference = reference();
    Set<String> tested = new TreeSet<>();
    for (DeployerPolicy.Statement s : policy().statements()) {
      if (s.condition() == null) {
        continue;
      }
      s.condition()
          .forEach(operator -> operator.fieldNames().forEachRemaining(key -> {
            tested.add(key);
            for (String action : s.actions()) {
              assertThat(reference.get(action.toLowerCase(Locale.ROOT)).conditionKeys())
                  .as("%s: %s supports %s", s.sid(), action, key)
                  .contains(key);
            }
          }));
    }
    assertThat(tested).containsExactlyInAnyOrder("iam:PassedToService", "lambda:FunctionArn");
  }

  @Test
  void itGrantsNothingThatNoHandlerAndNotSamCliNeeds() throws IOException {
    Set<String> needed = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    DeployerPolicyTest.needs().values().forEach(ops -> ops.values().forEach(needed::addAll));
    needed.addAll(SamCliCallsTest.actions());
    // CloudFormation invokes the custom resources' functions with the deployer's credentials.
    needed.add("lambda:InvokeFunction");
    needed.add("iam:PassRole");
    Set<String> granted = new TreeSet<>();
    policy().statements().forEach(s -> granted.addAll(s.actions()));
    assertThat(granted).allSatisfy(a -> assertThat(needed).as("who needs " + a).contains(a));
  }

  @Test
  void theHandlerPermissionsTheReferenceLacksAreNoIamActions() throws IOException {
    Map<String, Entry> reference = reference();
    Set<String> lacking = new TreeSet<>();
    for (String line :
        Files.readAllLines(Path.of("src/test/resources/offhours/stack/handler-permissions.tsv"))) {
      String[] f = line.split("\t");
      if (!line.startsWith("#")
          && !f[2].equals("-")
          && !reference.containsKey(f[2].toLowerCase(Locale.ROOT))) {
        lacking.add(f[2]);
      }
    }
    assertThat(lacking).containsExactlyInAnyOrderElementsOf(DeployerPolicyTest.NO_IAM_ACTION);
  }
}
