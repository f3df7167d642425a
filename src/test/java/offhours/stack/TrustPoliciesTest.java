package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who may take the stack's roles: what no emulator checks, since moto evaluates no trust policy. A role a service other
 * than Lambda takes answers only that service acting for this account (the cross-service confused deputy), and the
 * controller's minute tick runs in a schedule group of the stack's own with a role of the stack's own, which only
 * schedules of that group may take and which may invoke nothing but the controller's live alias, instead of the one
 * SAM would generate with no condition at all.
 */
class TrustPoliciesTest {

  private final Map<String, Object> template;

  TrustPoliciesTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  private StackResolver stack(FakeStack fake) {
    return new StackResolver(template, fake);
  }

  private static FakeStack commercial() {
    return FakeStack.create(FakeStack.REQUIRED_PARAMETERS);
  }

  private static FakeStack china() {
    return new FakeStack(
        "210987654321",
        "cn-north-1",
        "aws-cn",
        "offhours",
        UUID.randomUUID().toString(),
        Map.of(
            "ModelDataUrl",
            "s3://models-cn/m.tar.gz",
            "ContainerImage",
            "390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/image-classification:1"),
        Map.of());
  }

  /** The one statement of a role's trust policy, resolved. */
  private static Map<String, Object> trust(StackResolver stack, String role) {
    Map<String, Object> document =
        StackResolver.map(stack.properties(role).get("AssumeRolePolicyDocument"));
    List<Object> statements = StackResolver.list(document.get("Statement"));
    assertThat(statements).as("%s's trust policy has one statement", role).hasSize(1);
    return StackResolver.map(statements.get(0));
  }

  private static Map<String, Object> tick(StackResolver stack) {
    return StackResolver.map(StackResolver.path(
        stack.properties("ControllerFunction"), "Events", "MinuteTick", "Properties"));
  }

  @Test
  void theMinuteTickRunsWithTheStacksOwnRoleInTheStacksOwnScheduleGroup() {
    StackResolver stack = stack(commercial());
    Map<String, Object> tick = tick(stack);
    assertThat(tick.get("RoleArn"))
        .as("without RoleArn SAM generates a role with no trust condition")
        .isEqualTo(stack.getAtt("ControllerScheduleRole", "Arn"));
    assertThat(stack.type("ControllerScheduleGroup")).isEqualTo("AWS::Scheduler::ScheduleGroup");
    assertThat(tick.get("GroupName"))
        .as("without GroupName the tick is in the account's default group")
        .isEqualTo(stack.ref("ControllerScheduleGroup"));
  }

  /**
   * The group's name is unique in the Region: one derived from the stack's whole id cannot be another stack's, and it
   * fits Scheduler's rule for a name (1 to 64 of letters, digits, '-', '_' and '.') in every partition.
   */
  @Test
  void eachStackNamesItsScheduleGroupAfterItsOwnId() {
    for (FakeStack fake : List.of(commercial(), china())) {
      Object group = stack(fake).ref("ControllerScheduleGroup");
      assertThat(group)
          .as("in %s", fake.partition())
          .isEqualTo("offhours-" + fake.stackUuid())
          .asString()
          .matches("[0-9a-zA-Z_.-]{1,64}");
    }
  }

  /**
   * A schedule's group is fixed when Scheduler creates it, and CloudFormation updates a Schedule's GroupName in place,
   * looking for the schedule in the new group (aws/aws-cdk#34216): an update of a stack whose tick was in the default
   * group goes through only because the tick in the stack's group has another logical id than that tick
   * (ControllerFunctionEveryMinute), so CloudFormation creates the new one and deletes the old.
   */
  @Test
  void theTickInTheStacksGroupIsANewResourceNotTheDefaultGroupsTickMoved() {
    Map<String, Object> events = StackResolver.map(
        StackResolver.path(stack(commercial()).properties("ControllerFunction"), "Events"));
    assertThat(events).containsKey("MinuteTick").doesNotContainKey("EveryMinute");
  }

  /** Deleting the stack deletes the group (and a group takes its schedules along), not only the tick. */
  @Test
  void theScheduleGroupGoesWithTheStack() {
    assertThat(stack(commercial()).resource("ControllerScheduleGroup"))
        .containsEntry("DeletionPolicy", "Delete")
        .containsEntry("UpdateReplacePolicy", "Delete");
  }

  @Test
  void theSchedulesRoleTrustsOnlySchedulerActingForThisStacksScheduleGroup() {
    for (FakeStack fake : List.of(commercial(), china())) {
      StackResolver stack = stack(fake);
      Map<String, Object> statement = trust(stack, "ControllerScheduleRole");
      assertThat(statement)
          .containsEntry("Effect", "Allow")
          .containsEntry("Principal", Map.of("Service", "scheduler.amazonaws.com"))
          .containsEntry("Action", "sts:AssumeRole");
      String group = "arn:" + fake.partition() + ":scheduler:" + fake.region() + ":"
          + fake.account() + ":schedule-group/" + tick(stack).get("GroupName");
      assertThat(group).endsWith(":schedule-group/offhours-" + fake.stackUuid());
      assertThat(statement.get("Condition"))
          .as("in %s", fake.partition())
          .isEqualTo(Map.of(
              "StringEquals",
              Map.of("aws:SourceAccount", fake.account()),
              "ArnEquals",
              Map.of("aws:SourceArn", group)));
    }
  }

  @Test
  void theSchedulesRoleMayOnlyInvokeTheAliasTheScheduleTargets() {
    StackResolver stack = stack(commercial());
    String function = stack.stack().physicalId("ControllerFunction");
    assertThat(stack.properties("ControllerFunction"))
        .as("SAM targets a function's schedule at its AutoPublishAlias")
        .containsEntry("AutoPublishAlias", "live");
    assertThat(IamRole.atMost(stack, "ControllerScheduleRole").grants())
        .extracting(g -> g.action() + " " + g.resource())
        .containsExactly("lambda:InvokeFunction arn:aws:lambda:us-east-1:123456789012:function:"
            + function + ":live");
  }

  /**
   * Every role trusts one service; any but Lambda only for this account. Lambda's roles carry no condition: Lambda
   * documents no source key for assuming an execution role, and a condition on a key it does not send would leave the
   * function unable to run (template.yaml, above ClassifyRole).
   */
  @Test
  void everyRoleAServiceOtherThanLambdaTakesAnswersOnlyThisAccount() {
    StackResolver stack = stack(commercial());
    List<String> roles = stack.resources().keySet().stream()
        .filter(r -> stack.type(r).equals("AWS::IAM::Role"))
        .toList();
    assertThat(roles).contains("ControllerScheduleRole", "SageMakerExecutionRole");
    for (String role : roles) {
      Map<String, Object> statement = trust(stack, role);
      assertThat(statement.get("Action")).as(role).isEqualTo("sts:AssumeRole");
      Object service = StackResolver.map(statement.get("Principal")).get("Service");
      assertThat(service).as("%s trusts one service", role).isInstanceOf(String.class);
      if (service.equals("lambda.amazonaws.com")) {
        assertThat(statement).as(role).doesNotContainKey("Condition");
        continue;
      }
      assertThat(StackResolver.map(statement.get("Condition")).get("StringEquals"))
          .as("%s, taken by %s", role, service)
          .isEqualTo(Map.of("aws:SourceAccount", FakeStack.ACCOUNT));
    }
  }
}
