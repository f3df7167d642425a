package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deployer's policy ({@code offhours deploy-policy}) grants what deploying, updating and deleting the stack needs,
 * in every Hosting, on the ARNs the stack's resources get. What CloudFormation needs per resource type is
 * handler-permissions.tsv: each type's create, read, update and delete handler permissions from its registry schema
 * (the file names the copy each came from), less handler-permissions-unused.tsv: the actions a handler lists for a
 * property this template never sets (the test proves it never does). The types are those the resolved template creates,
 * the SAM transform's included: each function's Lambda function, version, alias and event invoke config, each event's
 * mapping, schedule, rule or permission, the HTTP API's API and stage.
 */
class DeployerPolicyTest {

  private static final Path TABLE =
      Path.of("src/test/resources/offhours/stack/handler-permissions.tsv");
  private static final Path UNUSED =
      Path.of("src/test/resources/offhours/stack/handler-permissions-unused.tsv");
  private static final List<String> OPERATIONS = List.of("create", "read", "update", "delete");

  /**
   * Handler permissions that are no IAM action: S3 authorizes the configuration deletes by the matching Put action
   * (DeleteBucketCors by s3:PutBucketCORS, https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteBucketCors.html),
   * replication by s3:PutReplicationConfiguration, an object lock configuration by
   * s3:PutBucketObjectLockConfiguration, an object's metadata by s3:GetObject; s3:REST.PUT.OBJECT is a log operation
   * name.
   */
  static final Set<String> NO_IAM_ACTION = Set.of(
      "s3:DeleteBucketAnalyticsConfiguration",
      "s3:DeleteBucketCors",
      "s3:DeleteBucketEncryption",
      "s3:DeleteBucketLifecycle",
      "s3:DeleteBucketMetricsConfiguration",
      "s3:DeleteBucketReplication",
      "s3:GetObjectMetadata",
      "s3:PutBucketReplication",
      "s3:PutObjectLockConfiguration",
      "s3:REST.PUT.OBJECT");

  static List<Map<String, String>> stacks() {
    return ResourceFormsTest.stacks().toList();
  }

  private static StackResolver stack(Map<String, String> parameters) throws IOException {
    return ResourceFormsTest.stack(parameters);
  }

  /** type -> operation -> actions, from handler-permissions.tsv, less the unused ones. */
  static Map<String, Map<String, Set<String>>> needs() throws IOException {
    Map<String, Set<String>> unused = new HashMap<>();
    for (String[] row : rows(UNUSED)) {
      unused.computeIfAbsent(row[0], t -> new TreeSet<>()).add(row[1]);
    }
    Map<String, Map<String, Set<String>>> needs = new LinkedHashMap<>();
    for (String[] row : rows(TABLE)) {
      Set<String> actions = needs
          .computeIfAbsent(row[0], t -> new LinkedHashMap<>())
          .computeIfAbsent(row[1], o -> new TreeSet<>());
      if (!row[2].equals("-")
          && !NO_IAM_ACTION.contains(row[2])
          && !unused.getOrDefault(row[0], Set.of()).contains(row[2])) {
        actions.add(row[2]);
      }
    }
    return needs;
  }

  private static List<String[]> rows(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(l -> l.split("\t"))
        .toList();
  }

  /** What {@code policy} misses for the stack: each line one action, on the ARN it needs, and why. */
  static List<String> missing(
      DeployerPolicy policy, StackResolver stack, Map<String, Map<String, Set<String>>> needs)
      throws IOException {
    return missing(policy, TransformedResources.created(stack), stack.stack().partition(), needs);
  }

  /** What {@code policy} misses for {@code created}, resources of a stack in {@code partition}. */
  static List<String> missing(
      DeployerPolicy policy,
      List<TransformedResources.Created> created,
      String partition,
      Map<String, Map<String, Set<String>>> needs)
      throws IOException {
    Map<String, DeployerPolicyFormsTest.Entry> reference = DeployerPolicyFormsTest.reference();
    List<String> missing = new ArrayList<>();
    for (TransformedResources.Created r : created) {
      if (r.type().equals("Custom::")) {
        // CloudFormation invokes a custom resource's function with the deployer's credentials; the
        // function's own calls are its role's.
        if (!policy.allows("lambda:InvokeFunction", r.arns().getFirst())) {
          missing.add("lambda:InvokeFunction on " + r.arns().getFirst() + " (custom resource "
              + r.logicalId() + ")");
        }
        continue;
      }
      Map<String, Set<String>> handlers = needs.get(r.type());
      if (handlers == null || !handlers.keySet().containsAll(OPERATIONS)) {
        missing.add(r.type() + " (" + r.logicalId() + ") has no create, read, update and delete"
            + " rows in handler-permissions.tsv: add them from its registry schema");
        continue;
      }
      for (String op : OPERATIONS) {
        for (String action : handlers.get(op)) {
          if (action.equals("iam:PassRole")) {
            continue;
          }
          // An action on the resource itself must be granted on its ARN; one the reference
          // authorizes on other resources (the group's delete handler deletes the schedules in it)
          // anywhere.
          boolean own = action.startsWith(TransformedResources.service(r.type()) + ":")
              && reference.get(action.toLowerCase(Locale.ROOT)).forms().stream()
                  .anyMatch(
                      f -> r.arns().stream().anyMatch(arn -> ResourceFormsTest.names(arn, f)));
          boolean ok = own
              ? r.arns().stream()
                  .anyMatch(arn -> policy.allows(action, arn)
                      || (arn.startsWith("arn:" + partition + ":s3:::")
                          && policy.allows(action, arn + "/key")))
              : policy.allowsAnywhere(action);
          if (!ok) {
            missing.add(action + (own ? " on " + r.arns() : "") + " (" + r.type() + " " + op + ", "
                + r.logicalId() + ")");
          }
        }
      }
    }
    return missing;
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void everyResourceTypesHandlersAreGrantedOnTheArnsTheStacksResourcesGet(
      Map<String, String> parameters) throws IOException {
    StackResolver stack = stack(parameters);
    assertThat(missing(DeployerPolicy.forStack(stack.stack()), stack, needs()))
        .as("what the deployer's policy misses for %s", parameters)
        .isEmpty();
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void eachRoleMayBePassedOnlyToTheServicesTheStackHandsItTo(Map<String, String> parameters)
      throws IOException {
    StackResolver stack = stack(parameters);
    DeployerPolicy policy = DeployerPolicy.forStack(stack.stack());
    Map<String, Set<String>> passed = passedRoles(stack);
    assertThat(passed).isNotEmpty();
    Set<String> all = new TreeSet<>();
    passed.forEach((role, services) -> {
      all.addAll(services);
      assertThat(policy.passableTo(role)).as("iam:PassRole of %s", role).containsAll(services);
    });
    for (var s : policy.statements()) {
      if (s.actions().contains("iam:PassRole")) {
        assertThat(s.condition()).as("%s's iam:PassedToService", s.sid()).isNotNull();
        assertThat(DeployerPolicy.strings(
                s.condition().path("StringEquals").get("iam:PassedToService")))
            .as("services %s may pass roles to", s.sid())
            .containsExactlyInAnyOrderElementsOf(stacks().stream()
                .flatMap(p -> {
                  try {
                    return passedRoles(stack(p)).values().stream().flatMap(Set::stream);
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                })
                .collect(Collectors.toCollection(TreeSet::new)));
      }
    }
  }

  /** Each role the stack hands to a service (a function's Role, SageMaker's ExecutionRoleArn, a schedule's RoleArn). */
  private static Map<String, Set<String>> passedRoles(StackResolver stack) {
    Map<String, Set<String>> passed = new LinkedHashMap<>();
    for (String id : stack.resources().keySet()) {
      if (!TransformedResources.exists(stack, id)) {
        continue;
      }
      Map<String, Object> p = stack.properties(id);
      switch (stack.type(id)) {
        case "AWS::Serverless::Function" -> {
          passed
              .computeIfAbsent(String.valueOf(p.get("Role")), r -> new TreeSet<>())
              .add("lambda.amazonaws.com");
          Object events = p.get("Events");
          if (events != null) {
            for (Object e : StackResolver.map(events).values()) {
              Object role = StackResolver.path(StackResolver.map(e), "Properties", "RoleArn");
              if (role != null) {
                passed
                    .computeIfAbsent(String.valueOf(role), r -> new TreeSet<>())
                    .add("scheduler.amazonaws.com");
              }
            }
          }
        }
        case "AWS::SageMaker::Model", "AWS::SageMaker::EndpointConfig" -> {
          Object role = p.get("ExecutionRoleArn");
          if (role != null) {
            passed
                .computeIfAbsent(String.valueOf(role), r -> new TreeSet<>())
                .add("sagemaker.amazonaws.com");
          }
        }
        default -> {}
      }
    }
    return passed;
  }

  @Test
  void aPolicyWithoutAnActionAHandlerNeedsOrWithAnotherResourcesArnIsCaught() throws IOException {
    StackResolver stack = stack(stacks().getFirst());
    DeployerPolicy policy = DeployerPolicy.forStack(stack.stack());
    assertThat(missing(policy.without("scheduler:CreateScheduleGroup"), stack, needs()))
        .anySatisfy(m -> assertThat(m).startsWith("scheduler:CreateScheduleGroup on "));
    assertThat(missing(
            policy.replacing(
                "arn:aws:scheduler:us-east-1:123456789012:schedule-group/offhours-*",
                "arn:aws:scheduler:us-east-1:123456789012:schedule-group/default"),
            stack,
            needs()))
        .anySatisfy(m -> assertThat(m).contains("ControllerScheduleGroup"));
    assertThat(missing(policy.without("lambda:InvokeFunction"), stack, needs()))
        .anySatisfy(m -> assertThat(m).contains("custom resource EndpointCleanup"));
  }

  @Test
  void aResourceTypeWithoutHandlerRowsIsCaught() throws IOException {
    StackResolver stack = stack(stacks().getFirst());
    Map<String, Map<String, Set<String>>> needs = new HashMap<>(needs());
    needs.remove("AWS::Scheduler::ScheduleGroup");
    assertThat(missing(DeployerPolicy.forStack(stack.stack()), stack, needs))
        .containsExactly("AWS::Scheduler::ScheduleGroup (ControllerScheduleGroup) has no create,"
            + " read, update and delete rows in handler-permissions.tsv: add them from its registry"
            + " schema");
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    Map<String, Object> resources =
        new LinkedHashMap<>(StackResolver.map(template.get("Resources")));
    resources.put("Extra", Map.of("Type", "AWS::SSM::Parameter"));
    Map<String, Object> changed = new LinkedHashMap<>(template);
    changed.put("Resources", resources);
    StackResolver extra = new StackResolver(changed, stack.stack());
    assertThatThrownBy(() -> TransformedResources.created(extra))
        .hasMessageContaining("Extra is a AWS::SSM::Parameter");
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void theUnusedHandlerPermissionsBelongToPropertiesNoResourceSets(Map<String, String> parameters)
      throws IOException {
    StackResolver stack = stack(parameters);
    Map<String, Map<String, Set<String>>> table = new HashMap<>();
    for (String[] row : rows(TABLE)) {
      table
          .computeIfAbsent(row[0], t -> new HashMap<>())
          .computeIfAbsent(row[1], o -> new TreeSet<>())
          .add(row[2]);
    }
    Map<String, Object> globals = stack.functionGlobals();
    for (String[] row : rows(UNUSED)) {
      assertThat(table.getOrDefault(row[0], Map.of()).values().stream().flatMap(Set::stream))
          .as(
              "handler-permissions-unused.tsv: %s of %s is in no handler of handler-permissions.tsv",
              row[1], row[0])
          .contains(row[1]);
      for (String id : stack.resources().keySet()) {
        if (!stack.type(id).equals(row[2])) {
          continue;
        }
        assertThat(
                sets(stack.resource(id).getOrDefault("Properties", Map.of()), row[3].split("\\.")))
            .as("%s sets %s, so %s needs %s (%s)", id, row[3], row[0], row[1], row[4])
            .isFalse();
        if (row[2].equals("AWS::Serverless::Function")) {
          assertThat(sets(globals, row[3].split("\\.")))
              .as("Globals set %s", row[3])
              .isFalse();
        }
      }
    }
  }

  /** Whether {@code node} has a value at {@code path}, where "*" is any key of a map or any item of a list. */
  static boolean sets(Object node, String[] path) {
    if (path.length == 0) {
      return true;
    }
    String[] rest = Arrays.copyOfRange(path, 1, path.length);
    if (path[0].equals("*") && node instanceof List<?> items) {
      return items.stream().anyMatch(v -> sets(v, rest));
    }
    if (!(node instanceof Map<?, ?> m)) {
      return false;
    }
    if (path[0].equals("*")) {
      return m.values().stream().anyMatch(v -> sets(v, rest));
    }
    return m.containsKey(path[0]) && sets(m.get(path[0]), rest);
  }

  @Test
  void aPropertyPathLooksIntoEveryKeyOfAMapAndEveryItemOfAList() {
    String[] insights = "GlobalSecondaryIndexes.*.ContributorInsightsSpecification".split("\\.");
    Map<String, Object> table = Map.of(
        "GlobalSecondaryIndexes",
        List.of(
            Map.of("IndexName", "byLabel"),
            Map.of(
                "IndexName",
                "byStatus",
                "ContributorInsightsSpecification",
                Map.of("Enabled", true))));
    assertThat(sets(table, insights)).isTrue();
    assertThat(sets(
            Map.of("GlobalSecondaryIndexes", List.of(Map.of("IndexName", "byLabel"))), insights))
        .isFalse();
    assertThat(sets(
            Map.of("Events", Map.of("Queue", Map.of("Properties", Map.of("KmsKeyArn", "k")))),
            "Events.*.Properties.KmsKeyArn".split("\\.")))
        .isTrue();
  }
}
