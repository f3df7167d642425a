package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationRequest;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.PublishVersionRequest;
import software.amazon.awssdk.services.lambda.model.PublishVersionResponse;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.UpdateAliasRequest;
import software.amazon.awssdk.services.lambda.model.UpdateAliasResponse;

class LiveVersionsTest {
  private static final List<String> FUNCTIONS =
      List.of("stack-ClassifyFunction-1", "stack-ControllerFunction-2", "stack-ApiFunction-3");

  /** A clock the pause moves, so that waiting takes no real time. */
  private static final class MovingClock extends Clock {
    Instant now = Instant.parse("2026-12-03T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

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
  private final MovingClock clock = new MovingClock();
  private final LiveVersions live =
      new LiveVersions(lambda, clock, d -> clock.now = clock.now.plus(d));

  private static Map<String, Object> event(String type) {
    Map<String, Object> e = new HashMap<>();
    e.put("RequestType", type);
    e.put("StackId", "arn:aws:cloudformation:eu-west-1:123456789012:stack/s/1");
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
    Map<String, Object> r = live.handle(event("Update"), Duration.ofSeconds(60));

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

    Map<String, Object> r = live.handle(event("Update"), Duration.ofSeconds(60));

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
  }

  @Test
  void everyFrozenSettingCountsNotOnlyTheEnvironment() {
    String api = FUNCTIONS.get(2);
    lambda.latest.put(
        api, lambda.latest.get(api).toBuilder().memorySize(1024).timeout(29).build());

    Map<String, Object> r = live.handle(event("Update"), Duration.ofSeconds(60));

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

    live.handle(event("Update"), Duration.ofSeconds(60));

    assertThat(lambda.calls).allMatch(c -> c.startsWith("get "));
  }

  @Test
  void aVersionThatFailsAnswersFailedWithItsReasonAndNoAliasMoves() {
    lambda.change(FUNCTIONS.get(0), Map.of("MAX_WAIT_MINUTES", "30"));
    lambda.change(FUNCTIONS.get(1), Map.of("MAX_WAIT_MINUTES", "30"));
    lambda.states.put(FUNCTIONS.get(1), new ArrayDeque<>(List.of(State.PENDING, State.FAILED)));

    Map<String, Object> r = live.handle(event("Update"), Duration.ofSeconds(60));

    assertThat(r).containsEntry("Status", "FAILED");
    assertThat((String) r.get("Reason"))
        .contains("version 4 of " + FUNCTIONS.get(1) + " is Failed")
        .contains("SnapStart could not restore the snapshot");
    assertThat(lambda.calls).noneMatch(c -> c.startsWith("alias "));
    assertThat(lambda.live.values()).containsOnly("3");
  }

  @Test
  void aVersionStillPendingWhenTheBudgetRunsOutAnswersFailedWithinTheBudget() {
    lambda.change(FUNCTIONS.get(2), Map.of("MAX_WAIT_MINUTES", "30"));
    lambda.stuck = State.PENDING;
    Instant start = clock.now;

    Map<String, Object> r = live.handle(event("Create"), Duration.ofSeconds(30));

    assertThat(r).containsEntry("Status", "FAILED");
    assertThat((String) r.get("Reason")).contains("was still Pending after 30 s");
    assertThat(Duration.between(start, clock.now)).isEqualTo(Duration.ofSeconds(30));
    assertThat(lambda.calls).noneMatch(c -> c.startsWith("alias "));
  }

  @Test
  void deleteSucceedsWithoutAnyCall() {
    Map<String, Object> r = live.handle(event("Delete"), Duration.ofSeconds(60));

    assertThat(r).containsEntry("Status", "SUCCESS");
    assertThat(lambda.calls).isEmpty();
  }

  @Test
  void propertiesWithoutFunctionNamesAnswerFailedSayingWhat() {
    Map<String, Object> e = event("Create");
    e.put("ResourceProperties", Map.of("FunctionNames", List.of("a", "")));

    Map<String, Object> r = live.handle(e, Duration.ofSeconds(60));

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
}
