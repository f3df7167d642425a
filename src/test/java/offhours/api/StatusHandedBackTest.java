package offhours.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControlState;
import offhours.endpoint.Decision;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.Endpoint;
import offhours.endpoint.HandedBackWhileServing;
import offhours.endpoint.LedgerPrices;
import offhours.endpoint.Mapping;
import offhours.stack.Hosting;
import offhours.testing.FakeDynamoDb;
import offhours.testing.QueueAttributesSqs;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * GET /status's {@code handedBack}: uploads handed back while the endpoint serves, from the controller's last decision
 * and the queue's delayed count, null whenever that is not so.
 */
class StatusHandedBackTest {

  private static final Instant NOW = Instant.parse("2026-11-25T09:40:00Z");
  private static final Instant RUN = NOW.minusSeconds(40);
  private static final Backlog.Snapshot DELAYED = new Backlog.Snapshot(0, 0, 3, 0);

  @Test
  void delayedUploadsBesideTheServingEndpointTheControllerSawAreTheSignWithHowOldItsStatesAre() {
    Map<String, Object> handedBack = handedBack(
        decision(Endpoint.State.IN_SERVICE, Mapping.TriggerState.ENABLED), DELAYED, false);

    String seen = " when the controller last looked (its run at 2026-11-25 10:39 Europe/Berlin,"
        + " 40 s before the queue was read; they may have changed since)";
    assertThat(handedBack)
        .containsExactly(
            Map.entry("delayed", 3L),
            Map.entry("inferred", true),
            Map.entry("says", new HandedBackWhileServing(3).told(seen)),
            Map.entry("caveat", HandedBackWhileServing.CAVEAT),
            Map.entry("why", HandedBackWhileServing.where(false)),
            Map.entry("statesObservedAt", RUN));
    assertThat((String) handedBack.get("says"))
        .startsWith("handed back while the endpoint serves: 3 uploads delayed with the endpoint"
            + " InService and the Classify trigger Enabled when the controller last looked (its"
            + " run at 2026-11-25 10:39 Europe/Berlin, 40 s before the queue was read;")
        .endsWith(": invocations are probably failing, and each upload goes round until"
            + " MaxDeferrals, then toward the DLQ");
  }

  @Test
  void theLocalStacksStatusPointsAtItsLog() {
    Map<String, Object> handedBack = handedBack(
        decision(Endpoint.State.IN_SERVICE, Mapping.TriggerState.ENABLED), DELAYED, true);

    assertThat((String) handedBack.get("why"))
        .startsWith("the Classify function's log, local/logs/stack.log under the cache directory");
  }

  @Test
  void nullBeforeTheFirstRunAndInEveryOtherState() {
    Map<String, Object> first =
        status(ApiFixtures.seen(NOW, null, ControlState.INITIAL, DELAYED), false);
    assertThat(first).containsEntry("handedBack", null);
    for (Decision other : new Decision[] {
      decision(Endpoint.State.IN_SERVICE, Mapping.TriggerState.DISABLED),
      decision(Endpoint.State.IN_SERVICE, Mapping.TriggerState.ENABLING),
      decision(Endpoint.State.CREATING, Mapping.TriggerState.ENABLED),
      decision(Endpoint.State.ABSENT, Mapping.TriggerState.DISABLED),
    }) {
      assertThat(status(ApiFixtures.seen(NOW, other, ControlState.INITIAL, DELAYED), false))
          .as(other.toString())
          .containsEntry("handedBack", null);
    }
    assertThat(status(
            ApiFixtures.seen(
                NOW,
                decision(Endpoint.State.IN_SERVICE, Mapping.TriggerState.ENABLED),
                ControlState.INITIAL,
                new Backlog.Snapshot(5, 1, 0, 2)),
            false))
        .as("waiting and in flight, none delayed")
        .containsEntry("handedBack", null);
  }

  @Test
  void theAnswersJsonCarriesItFromTheQueuesDelayedCountAndTheRecordedDecision() throws Exception {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    ApiConfig config = ApiFixtures.config();
    List<GetQueueAttributesRequest> reads = new ArrayList<>();
    QueueAttributesSqs sqs = delayed(reads);
    Api api = new Api(
        ApiFixtures.unused(S3Client.class),
        sqs,
        dynamo,
        ApiFixtures.unused(SageMakerRuntimeClient.class),
        config,
        Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(statusJson(api).get("handedBack").isNull())
        .as("before the controller's first run")
        .isTrue();
    new DynamoControlTable(dynamo, config.controller().controlTableName())
        .recordDecision(
            decision(Endpoint.State.IN_SERVICE, Mapping.TriggerState.ENABLED), "schedule tick");
    JsonNode handedBack = statusJson(api).get("handedBack");

    assertThat(handedBack.get("delayed").asLong()).isEqualTo(2);
    assertThat(handedBack.get("inferred").asBoolean()).isTrue();
    assertThat(handedBack.get("says").asText())
        .startsWith("handed back while the endpoint serves: 2 uploads delayed");
    assertThat(handedBack.get("why").asText())
        .startsWith("the Classify function's log group (Logs Insights");
    assertThat(handedBack.get("caveat").asText()).isEqualTo(HandedBackWhileServing.CAVEAT);
    assertThat(handedBack.get("statesObservedAt").asText()).isEqualTo(RUN.toString());
    assertThat(reads)
        .flatExtracting(GetQueueAttributesRequest::attributeNames)
        .as("the queue's attributes the API asks for hold the delayed count (one action either"
            + " way: sqs:GetQueueAttributes)")
        .contains(QueueAttributeName.ALL);
  }

  @Test
  void localModesApiPointsAtTheLocalStacksLog() throws Exception {
    FakeDynamoDb dynamo = new FakeDynamoDb();
    ApiConfig config = ApiFixtures.config();
    new DynamoControlTable(dynamo, config.controller().controlTableName())
        .recordDecision(
            decision(Endpoint.State.IN_SERVICE, Mapping.TriggerState.ENABLED), "schedule tick");
    Api local = new Api(
        ApiFixtures.unused(S3Client.class),
        delayed(new ArrayList<>()),
        dynamo,
        ApiFixtures.unused(SageMakerRuntimeClient.class),
        ApiConfig.fromEnv(ApiFixtures.env(Map.of()), true),
        Clock.fixed(NOW, ZoneOffset.UTC));

    assertThat(statusJson(local).get("handedBack").get("why").asText())
        .isEqualTo(HandedBackWhileServing.where(true));
  }

  /** Two uploads delayed, nothing else; each read kept in {@code reads}. */
  private static QueueAttributesSqs delayed(List<GetQueueAttributesRequest> reads) {
    QueueAttributesSqs sqs = new QueueAttributesSqs(reads);
    sqs.attributes = Map.of(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED, "2");
    return sqs;
  }

  private static JsonNode statusJson(Api api) throws Exception {
    ApiResponse answer = api.handle(new ApiRequest(
        "GET", "/status", "GET /status", Map.of(), Map.of(), Map.of(), new byte[0], "req-1"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return new ObjectMapper().readTree(answer.body());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> handedBack(
      Decision decision, Backlog.Snapshot queue, boolean local) {
    Map<String, Object> handedBack = (Map<String, Object>)
        status(ApiFixtures.seen(NOW, decision, ControlState.INITIAL, queue), local)
            .get("handedBack");
    assertThat(handedBack).as("handedBack").isNotNull();
    return handedBack;
  }

  private static Map<String, Object> status(StackObserver.Observed seen, boolean local) {
    return StatusView.of(
        seen,
        "offhours-endpoint-1a2b",
        LedgerPrices.listed(Hosting.SCHEDULED, "ml.m5.large", 1, 0.115),
        new StatusView.Upcoming(null, "not read here", null, "not read here"),
        local);
  }

  private static Decision decision(Endpoint.State endpoint, Mapping.TriggerState trigger) {
    return new Decision(
        RUN,
        true,
        "inside working hours",
        endpoint == Endpoint.State.ABSENT
            ? Endpoint.Status.ABSENT
            : Endpoint.Status.of(endpoint, null, RUN.minusSeconds(900), null),
        trigger,
        DELAYED,
        Decision.Action.NONE,
        "serving",
        "ok",
        false,
        null);
  }
}
