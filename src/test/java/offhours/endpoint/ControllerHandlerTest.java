package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerHandlerTest {
  private final Rig rig = new Rig();
  private final ControllerHandler handler =
      new ControllerHandler(rig.controller, Clock.fixed(Instant.parse("2026-01-14T20:00:00Z"), ZoneOffset.UTC));

  @Test
  void aSchedulerTickReconciles() {
    Map<String, Object> out = handler.handleRequest(Map.of("source", "aws.scheduler"), null);
    assertThat(out).containsEntry("want", "OFF").containsEntry("action", "NONE").containsEntry("endpoint", "ABSENT");
  }

  @Test
  void anEndpointStateChangeEventReconciles() {
    rig.inService();
    Map<String, Object> event = Map.of("source", "aws.sagemaker", "detail-type", "SageMaker Endpoint State Change",
        "detail", Map.of("EndpointName", "offhours-endpoint", "EndpointStatus", "IN_SERVICE"));
    assertThat(handler.handleRequest(event, null)).containsEntry("action", "DELETE_ENDPOINT")
        .containsEntry("runningOutsideSchedule", true);
  }

  @Test
  void aManualStartWithUntilRecordsTheOverrideAndStartsTheEndpoint() {
    Map<String, Object> out = handler.handleRequest(Map.of("action", "start", "until", "2026-01-14T23:00:00+01:00"), null);
    assertThat(out).containsEntry("want", "ON").containsEntry("action", "CREATE_ENDPOINT")
        .containsEntry("wantReason", "manual start until 2026-01-14T23:00+01:00[Europe/Berlin]");
    assertThat(rig.state().override().until()).isEqualTo(Instant.parse("2026-01-14T22:00:00Z"));
  }

  @Test
  void aManualStopAndAutoAreRecorded() {
    assertThat(handler.handleRequest(Map.of("action", "stop"), null)).containsEntry("want", "OFF");
    assertThat(rig.state().override().mode()).isEqualTo(ControlState.Override.Mode.STOP);
    handler.handleRequest(Map.of("action", "auto"), null);
    assertThat(rig.state().override()).isNull();
  }

  @Test
  void anUnknownActionOrABadUntilIsRejectedWithTheChoices() {
    assertThatThrownBy(() -> handler.handleRequest(Map.of("action", "restart"), null))
        .hasMessage("action 'restart' is not one of start, stop, auto");
    assertThatThrownBy(() -> handler.handleRequest(Map.of("action", "start", "until", "tomorrow"), null))
        .hasMessage("until 'tomorrow' is not an ISO-8601 date-time with an offset, like 2026-11-25T18:00:00Z or "
            + "2026-11-25T19:00:00+01:00");
  }
}
