package offhours.endpoint.cfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import offhours.aws.AwsClients;
import offhours.testing.LambdaContexts;
import offhours.testing.MutableClock;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.PublishVersionRequest;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateAliasRequest;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;

class LiveVersionsTest {
  private static final String STACK_ID = "arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1";
  private static final List<String> FUNCTIONS =
      List.of("stack-ClassifyFunction-1", "stack-ControllerFunction-2", "stack-ApiFunction-3");

  /**
   * Lambda for the test: each function's $LATEST, its versions and its live alias; a published version is a copy of
   * $LATEST, whose State at each look comes from {@link #states} (Active once it is empty, unless {@link #stuck}).
   */
  private static final class FakeLambda implements LambdaClient {
    final Map<String, GetFunctionConfigurationResponse> latest = new HashMap<>();
    final Map<String, Map<String, GetFunctionConfigurationResponse>> versions = new HashMap<>();
    final Map<String, String> live = new HashMap<>();
    final Map<String, Deque<State>> states = new HashMap<>();
    State stuck;
    final List<String> calls = new ArrayList<>();
    final List<String> descriptions = new ArrayList<>();

    FakeLambda() {
      for (String f : FUNCTIONS) {
        GetFunctionConfigurationResponse c = config(f, Map.of("MAX_WAIT_MINUTES", "60"));
        latest.put(f, c);
        versions.put(
            f, new LinkedHashMap<>(Map.of("3", c.toBuilder().version("3").build())));
        live.put(f, "3");
      }
    }

    static GetFunctionConfigurationResponse config(String function, Map<String, String> env) {
      return GetFunctionConfigurationResponse.builder()
          .functionName(function)
          .version("$LATEST")
          .codeSha256("sha-" + function)
          .memorySize(512)
          .timeout(60)
          .role("arn:aws:iam::123456789012:role/" + function)
          .handler("offhours.Handler::handleRequest")
          .runtime("java21")
          .architecturesWithStrings("arm64")
          .environment(e -> e.variables(env))
          .snapStart(s -> s.applyOn("PublishedVersions").optimizationStatus("Off"))
          .state(State.ACTIVE)
          .build();
    }

    void change(String function, Map<String, String> env) {
      latest.put(
          function,
          latest.get(function).toBuilder().environment(e -> e.variables(env)).build());
    }

    @Override
    public GetFunctionConfigurationResponse getFunctionConfiguration(
        GetFunctionConfigurationRequest r) {
      String q = r.qualifier() == null ? "$LATEST" : r.qualifier();
      calls.add("get " + r.functionName() + ":" + q);
      if (q.equals("$LATEST")) {
        return latest.get(r.functionName());
      }
      String version = q.equals("live") ? live.get(r.functionName()) : q;
      GetFunctionConfigurationResponse c = versions.get(r.functionName()).get(version);
      if (q.equals("live") || c.state() == State.ACTIVE) {
        return c;
      }
      Deque<State> next = states.getOrDefault(r.functionName(), new ArrayDeque<>());
      State s = !next.isEmpty() ? next.pop() : stuck != null ? stuck : State.ACTIVE;
      GetFunctionConfigurationResponse seen = c.toBuilder()
          .state(s)
          .stateReason(s == State.FAILED ? "SnapStart could not restore the snapshot" : null)
          .stateReasonCode(s == State.FAILED ? "SnapStartTimeout" : null)
          .build();
      versions.get(r.functionName()).put(version, seen);
      return seen;
    }

    @Override
    public PublishVersionResponse publishVersion(PublishVersionRequest r) {
      calls.add("publish " + r.functionName() + " sha " + r.codeSha256());
      if (r.description() != null && r.description().length() > 256) {
        // As Lambda refuses it (API reference, PublishVersion: Description, length 0 to 256).
        throw LambdaException.builder()
            .statusCode(400)
            .message("1 validation error detected: Value at 'description' failed to satisfy"
                + " constraint: Member must have length less than or equal to 256")
            .build();
      }
      descriptions.add(r.description());
      Map<String, GetFunctionConfigurationResponse> v = versions.get(r.functionName());
      String version =
          String.valueOf(v.keySet().stream().mapToInt(Integer::parseInt).max().orElse(0) + 1);
      v.put(
          version,
          latest.get(r.functionName()).toBuilder()
              .version(version)
              .state(State.PENDING)
              .build());
      return PublishVersionResponse.builder()
          .version(version)
          .state(State.PENDING)
          .build();
    }

    @Override
    public UpdateAliasResponse updateAlias(UpdateAliasRequest r) {
      calls.add("alias " + r.functionName() + ":" + r.name() + " -> " + r.functionVersion());
      live.put(r.functionName(), r.functionVersion());
      return UpdateAliasResponse.builder().functionVersion(r.functionVersion()).build();
    }

    @Override
    public String serviceName() {
      return "lambda";
    }

    @Override
    public void close() {}
  }

  private final FakeLambda lambda = new FakeLambda();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
  /** What DescribeStacks answers for the stack, unless {@link #stackProblem}; the ids it was asked for. */
  private String stackStatus = "UPDATE_IN_PROGRESS";

  private RuntimeException stackProblem;
  private final List<String> stacksAsked = new ArrayList<>();
  private final List<String> logged = new ArrayList<>();
  private final LiveVersions live = new LiveVersions(
      lambda,
      stackId -> {
        stacksAsked.add(stackId);
        if (stackProblem != null) {
          throw stackProblem;
        }
        return stackStatus;
      },
      clock,
      clock::advance);

  private Map<String, Object> handle(Map<String, Object> event, Duration budget) {
    return live.handle(event, budget, logged::add);
  }

  private static Map<String, Object> event(String type) {
    Map<String, Object> e = new HashMap<>();
    e.put("RequestType", type);
    e.put("StackId", STACK_ID);
    e.put("RequestId", "r1");
    e.put("LogicalResourceId", "LiveVersions");
    e.put(
        "ResourceProperties",
        Map.of(LiveVersions.FUNCTION_NAMES, FUNCTIONS, "Settings", List.of("60")));
    if (!type.equals("Create")) {
      e.put("PhysicalResourceId", LiveVersions.PHYSICAL_ID);
    }
    return e;
  }

  @Test
  void whenLiveHasTheCurrentConfigurationNothingIsPublished() {
    Map<String, Object> r = handle(event("Update"), Duration.ofSeconds(60));

    assertThat(r)
        .containsEntry("Status", "SUCCESS")
        .containsEntry("PhysicalResourceId", LiveVersions.PHYSICAL_ID);
    assertThat(lambda.calls).allMatch(c -> c.startsWith("get ")).hasSize(6);
    assertThat(lambda.live)
        .containsOnlyKeys(FUNCTIONS)
        .allSatisfy((f, v) -> assertThat(v).isEqualTo("3"));
    assertThat((String) r.get("Reason"))
        .contains("stack-ApiFunction-3: live (version 3) is current");
  }

  @Test
  void aChangedVariableIsPublishedWithLatestsCodeAndLiveMovesOnceTheVersionIsActive() {
    String controller = FUNCTIONS.get(1);
    lambda.change(controller, Map.of("MAX_WAIT_MINUTES", "30"));
    lambda.states.put(controller, new ArrayDeque<>(List.of(State.PENDING, State.PENDING)));

    Map<String, Object> r = handle(event("Update"), Duration.ofSeconds(60));

    assertThat(r).containsEntry("Status", "SUCCESS");
    assertThat((String) r.get("Reason"))
        .contains(controller + ": live version 3 -> 4 (Environment [MAX_WAIT_MINUTES] differed)")
        .doesNotContain("30");
    assertThat(lambda.calls)
        .filteredOn(c -> !c.startsWith("get ") || c.endsWith(":4"))
        .containsExactly(
            "publish " + controller + " sha sha-" + controller,
            "get " + controller + ":4",
            "get " + controller + ":4",
            "get " + controller + ":4",
            "alias " + controller + ":live -> 4");
    assertThat(lambda.live).containsEntry(controller, "4");
    assertThat(lambda.live.get(FUNCTIONS.get(0))).isEqualTo("3");
    assertThat(lambda.versions.get(controller).get("4").environment().variables())
        .containsEntry("MAX_WAIT_MINUTES", "30");
    assertThat(lambda.descriptions)
        .containsExactly("offhours LiveVersions: 1 setting changed: MAX_WAIT_MINUTES");
  }

  @Test
  void manyChangedVariablesStillGiveADescriptionPublishVersionTakes() {
    String controller = FUNCTIONS.get(1);
    Map<String, String> env = new LinkedHashMap<>(Map.of("MAX_WAIT_MINUTES", "60"));
    for (int i = 0; i < 14; i++) {
      env.put(String.format("OFFHOURS_CHANGED_SETTING_%02d", i), "x");
    }
    lambda.change(controller, env);

    Map<String, Object> r = handle(event("Update"), Duration.ofSeconds(60));

    assertThat(r).as("response %s", r).containsEntry("Status", "SUCCESS");
    assertThat(lambda.live).containsEntry(controller, "4");
    assertThat(lambda.descriptions)
        .singleElement()
        .satisfies(d -> assertThat(d)
            .hasSize(LiveVersions.MAX_DESCRIPTION)
            .startsWith(
                "offhours LiveVersions: 14 settings changed: OFFHOURS_CHANGED_SETTING_00, OFFHOURS_CHANGED_SETTING_01")
            .endsWith("..."));
  }

  @Test
  void aDescriptionThatFitsIsNotCut() {
    assertThat(LiveVersions.description(List.of("MemorySize", "Timeout")))
        .isEqualTo("offhours LiveVersions: 2 settings changed: MemorySize, Timeout");
  }

  /** A setting a version freezes, by its name in GetFunctionConfiguration, and $LATEST with another value of it. */
  static Stream<Arguments> frozenSettings() {
    Map<String, UnaryOperator<GetFunctionConfigurationResponse.Builder>> changes =
        new LinkedHashMap<>();
    changes.put(
        "VpcConfig",
        b -> b.vpcConfig(v -> v.subnetIds("subnet-1").securityGroupIds("sg-1").vpcId("vpc-1")));
    changes.put("TracingConfig", b -> b.tracingConfig(t -> t.mode("Active")));
    changes.put(
        "KMSKeyArn",
        b -> b.kmsKeyArn(
            "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
    changes.put(
        "DeadLetterConfig",
        b -> b.deadLetterConfig(d -> d.targetArn("arn:aws:sqs:eu-west-1:123456789012:dlq")));
    changes.put(
        "FileSystemConfigs",
        b -> b.fileSystemConfigs(
            f -> f.arn("arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-1")
                .localMountPath("/mnt/efs")));
    changes.put("PackageType", b -> b.packageType("Image"));
    changes.put(
        "ImageConfig", b -> b.imageConfigResponse(i -> i.imageConfig(c -> c.command("run"))));
    changes.put(
        "SigningProfileVersionArn",
        b -> b.signingProfileVersionArn(
            "arn:aws:signer:eu-west-1:123456789012:/signing-profiles/p/1"));
    changes.put(
        "SigningJobArn",
        b -> b.signingJobArn("arn:aws:signer:eu-west-1:123456789012:/signing-jobs/j"));
    changes.put(
        "CapacityProviderConfig",
        b -> b.capacityProviderConfig(c -> c.lambdaManagedInstancesCapacityProviderConfig(m ->
            m.capacityProviderArn("arn:aws:lambda:eu-west-1:123456789012:capacity-provider:p"))));
    changes.put("DurableConfig", b -> b.durableConfig(d -> d.executionTimeout(900)));
    changes.put("TenancyConfig", b -> b.tenancyConfig(t -> t.tenantIsolationMode("PER_TENANT")));
    return changes.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("frozenSettings")
  void aChangeOfAnyFrozenSettingIsPublished(
      String name, UnaryOperator<GetFunctionConfigurationResponse.Builder> change) {
    String classify = FUNCTIONS.get(0);
    lambda.latest.put(
        classify, change.apply(lambda.latest.get(classify).toBuilder()).build());

    Map<String, Object> r = handle(event("Update"), Duration.ofSeconds(60));

    assertThat((String) r.get("Reason"))
        .contains(classify + ": live version 3 -> 4 (" + name + " differed)");
    assertThat(lambda.live).containsEntry(classify, "4");
    assertThat(lambda.descriptions)
        .containsExactly("offhours LiveVersions: 1 setting changed: " + name);
  }

  @Test
  void aVpcConfigWithoutSubnetsIsNoVpcConfig() {
    String classify = FUNCTIONS.get(0);
    lambda.latest.put(
        classify,
        lambda.latest.get(classify).toBuilder()
            .vpcConfig(v -> v.subnetIds(List.of()).securityGroupIds(List.of()).vpcId(""))
            .build());

    handle(event("Update"), Duration.ofSeconds(60));

    assertThat(lambda.calls).allMatch(c -> c.startsWith("get "));
  }

  @Test
  void everyFrozenSettingCountsNotOnlyTheEnvironment() {
    String api = FUNCTIONS.get(2);
    lambda.latest.put(
        api, lambda.latest.get(api).toBuilder().memorySize(1024).timeout(29).build());

    Map<String, Object> r = handle(event("Update"), Duration.ofSeconds(60));

    assertThat((String) r.get("Reason"))
        .contains(api + ": live version 3 -> 4 (MemorySize, Timeout differed)");
    assertThat(lambda.live).containsEntry(api, "4");
  }

  @Test
  void theOptimisationStatusOfSnapStartIsNotADifference() {
    String classify = FUNCTIONS.get(0);
    lambda
        .versions
        .get(classify)
        .put(
            "3",
            lambda.versions.get(classify).get("3").toBuilder()
                .snapStart(s -> s.applyOn("PublishedVersions").optimizationStatus("On"))
                .build());

    handle(event("Update"), Duration.ofSeconds(60));

    assertThat(lambda.calls).allMatch(c -> c.startsWith("get "));
  }

  @Test
  void aVersionThatFailsAnswersFailedWithItsReasonAndNoAliasMoves() {
    lambda.change(FUNCTIONS.get(0), Map.of("MAX_WAIT_MINUTES", "30"));
    lambda.change(FUNCTIONS.get(1), Map.of("MAX_WAIT_MINUTES", "30"));
    lambda.states.put(FUNCTIONS.get(1), new ArrayDeque<>(List.of(State.PENDING, State.FAILED)));

    Map<String, Object> r = handle(event("Update"), Duration.ofSeconds(60));

    assertThat(r).containsEntry("Status", "FAILED");
    assertThat((String) r.get("Reason"))
        .contains("version 4 of " + FUNCTIONS.get(1) + " is Failed")
        .contains("SnapStart could not restore the snapshot");
    assertThat(lambda.calls).noneMatch(c -> c.startsWith("alias "));
    assertThat(lambda.live.values()).containsOnly("3");
    assertThat(stacksAsked).containsExactly(STACK_ID);
  }

  /** Makes the Classify function's new version fail SnapStart. */
  private void failingVersion() {
    lambda.change(FUNCTIONS.get(0), Map.of("MAX_WAIT_MINUTES", "30"));
    lambda.states.put(FUNCTIONS.get(0), new ArrayDeque<>(List.of(State.FAILED)));
  }

  @Test
  void anUpdateThatFailsDuringARollbackAnswersSuccessSayingLiveMayCarryOtherSettings() {
    failingVersion();
    stackStatus = "UPDATE_ROLLBACK_IN_PROGRESS";

    Map<String, Object> r = handle(event("Update"), Duration.ofSeconds(60));

    assertThat(r).containsEntry("Status", "SUCCESS");
    assertThat((String) r.get("Reason"))
        .startsWith("answered SUCCESS so that the stack's rollback completes")
        .contains("may carry other settings")
        .contains("change the " + LiveVersionsHandler.REVISION_PARAMETER + " parameter")
        .contains("version 4 of " + FUNCTIONS.get(0) + " is Failed");
    assertThat(logged)
        .singleElement()
        .satisfies(line -> assertThat(line)
            .contains("UPDATE_ROLLBACK_IN_PROGRESS")
            .contains("SnapStart could not restore the snapshot"));
    assertThat(stacksAsked).containsExactly(STACK_ID);
    assertThat(lambda.live.values()).containsOnly("3");
  }

  @Test
  void anUpdateThatFailsWhenTheStackStatusCannotBeReadAnswersFailed() {
    failingVersion();
    stackProblem = new IllegalStateException("AccessDenied on DescribeStacks");

    Map<String, Object> r = handle(event("Update"), Duration.ofSeconds(60));

    assertThat(r).containsEntry("Status", "FAILED");
    assertThat((String) r.get("Reason"))
        .contains("is Failed")
        .contains("could not be read either: AccessDenied on DescribeStacks");
    assertThat(logged).isEmpty();
  }

  @Test
  void aCreateThatFailsAnswersFailedWithoutAskingForTheStack() {
    failingVersion();
    stackStatus = "UPDATE_ROLLBACK_IN_PROGRESS";

    Map<String, Object> r = handle(event("Create"), Duration.ofSeconds(60));

    assertThat(r).containsEntry("Status", "FAILED");
    assertThat(stacksAsked).isEmpty();
  }

  @Test
  void anUpdateThatSucceedsDoesNotAskForTheStack() {
    lambda.change(FUNCTIONS.get(0), Map.of("MAX_WAIT_MINUTES", "30"));

    assertThat(handle(event("Update"), Duration.ofSeconds(60))).containsEntry("Status", "SUCCESS");
    assertThat(stacksAsked).isEmpty();
  }

  @Test
  void aVersionStillPendingWhenTheBudgetRunsOutAnswersFailedWithinTheBudget() {
    lambda.change(FUNCTIONS.get(2), Map.of("MAX_WAIT_MINUTES", "30"));
    lambda.stuck = State.PENDING;
    Instant start = clock.now();

    Map<String, Object> r = handle(event("Create"), Duration.ofSeconds(30));

    assertThat(r).containsEntry("Status", "FAILED");
    assertThat((String) r.get("Reason")).contains("was still Pending after 30 s");
    assertThat(Duration.between(start, clock.now())).isEqualTo(Duration.ofSeconds(30));
    assertThat(lambda.calls).noneMatch(c -> c.startsWith("alias "));
  }

  @Test
  void deleteSucceedsWithoutAnyCall() {
    Map<String, Object> r = handle(event("Delete"), Duration.ofSeconds(60));

    assertThat(r).containsEntry("Status", "SUCCESS");
    assertThat(lambda.calls).isEmpty();
  }

  @Test
  void propertiesWithoutFunctionNamesAnswerFailedSayingWhat() {
    Map<String, Object> e = event("Create");
    e.put("ResourceProperties", Map.of("FunctionNames", List.of("a", "")));

    Map<String, Object> r = handle(e, Duration.ofSeconds(60));

    assertThat(r).containsEntry("Status", "FAILED");
    assertThat((String) r.get("Reason")).contains("FunctionNames must hold function names only");
    assertThat(lambda.calls).isEmpty();
  }

  @Test
  void theHandlerPutsTheAnswerToTheResponseUrl() throws Exception {
    lambda.change(FUNCTIONS.get(1), Map.of("MAX_WAIT_MINUTES", "30"));
    try (StubHttpServer server = StubHttpServer.start(request -> Reply.empty(200))) {
      Map<String, Object> e = event("Update");
      e.put("ResponseURL", server.uri() + "/response?X-Amz-Signature=x");

      new LiveVersionsHandler(live, HttpClient.newHttpClient()).handleRequest(e, null);

      assertThat(server.requests()).hasSize(1);
      JsonNode body = new ObjectMapper().readTree(server.requests().getFirst().text());
      assertThat(body.get("Status").asText()).isEqualTo("SUCCESS");
      assertThat(body.get("PhysicalResourceId").asText()).isEqualTo(LiveVersions.PHYSICAL_ID);
      assertThat(lambda.live).containsEntry(FUNCTIONS.get(1), "4");
    }
  }

  @Test
  void aFunctionThatCannotStartFailsCreateButNeverDelete() throws Exception {
    try (StubHttpServer server = StubHttpServer.start(request -> Reply.empty(200))) {
      LiveVersionsHandler handler =
          new LiveVersionsHandler(Map.of(), AwsClients::forLambda, HttpClient.newHttpClient());
      for (String type : List.of("Create", "Delete")) {
        Map<String, Object> e = event(type);
        e.put("ResponseURL", server.uri() + "/response");
        handler.handleRequest(e, null);
      }
      ObjectMapper json = new ObjectMapper();
      JsonNode create = json.readTree(server.requests().get(0).text());
      JsonNode delete = json.readTree(server.requests().get(1).text());
      assertThat(create.get("Status").asText()).isEqualTo("FAILED");
      assertThat(create.get("Reason").asText()).contains("AWS_REGION is not set");
      assertThat(delete.get("Status").asText()).isEqualTo("SUCCESS");
    }
  }

  @Test
  void eachLambdaCallEndsWhileTheAnswerStillHasItsTime() throws Exception {
    // Lambda stalls: cut by its client alone, a look at a version made as the budget ends, and
    // each alias move after it, would run 50 s and take the answer past the function's Timeout.
    // With 41 s left, each call gets what the invocation has beyond the 40 s the answer takes.
    CountDownLatch released = new CountDownLatch(1);
    try (StubHttpServer server = StubHttpServer.start(request -> Reply.empty(200));
        StubHttpServer stalled = StubHttpServer.start(request -> {
          try {
            released.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return Reply.empty(500);
        })) {
      LiveVersionsHandler handler = new LiveVersionsHandler(
          Map.of(),
          env -> AwsClients.local(
              Region.EU_CENTRAL_1,
              Map.of(
                  AwsClients.Service.LAMBDA,
                  stalled.uri(),
                  AwsClients.Service.CLOUDFORMATION,
                  stalled.uri())),
          HttpClient.newHttpClient());
      Map<String, Object> e = event("Create");
      e.put("ResponseURL", server.uri() + "/response");
      handler.handleRequest(e, LambdaContexts.remaining(ResponseDeadline.ANSWER.plusSeconds(1)));
      JsonNode body = new ObjectMapper().readTree(server.requests().getFirst().text());
      assertThat(body.get("Status").asText()).isEqualTo("FAILED");
      assertThat(body.get("Reason").asText())
          .contains("Lambda's GetFunctionConfiguration was cut after 1000 ms, 40 s before this"
              + " invocation's end");
      assertThat(stalled.requests()).as("one call, cut in its first attempt").hasSize(1);
    } finally {
      released.countDown();
    }
  }
}
