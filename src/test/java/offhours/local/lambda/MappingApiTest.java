package offhours.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MappingApiTest {

  private static final EventSourceMapping.MappingSettings SQS_DEFAULTS =
      new EventSourceMapping.MappingSettings(10, 0, false, null);

  @Test
  void mergesAnUpdateIntoTheCurrentSettings() throws Exception {
    EventSourceMapping.MappingSettings current =
        new EventSourceMapping.MappingSettings(5, 2, true, 4);

    assertThat(MappingApi.config(json("{\"BatchSize\": 7}"), current))
        .isEqualTo(new EventSourceMapping.MappingSettings(7, 2, true, 4));
    assertThat(MappingApi.config(json("{\"FunctionResponseTypes\": []}"), current))
        .isEqualTo(new EventSourceMapping.MappingSettings(5, 2, false, 4));
    assertThat(MappingApi.config(json("{\"ScalingConfig\": {}}"), current))
        .isEqualTo(new EventSourceMapping.MappingSettings(5, 2, true, null));
  }

  @Test
  void acceptsUpTo10000MessagesWithABatchingWindow() throws Exception {
    assertThat(MappingApi.config(
            json("{\"BatchSize\": 10000, \"MaximumBatchingWindowInSeconds\": 300}"), SQS_DEFAULTS))
        .isEqualTo(new EventSourceMapping.MappingSettings(10000, 300, false, null));
  }

  @Test
  void rejectsMoreThan10MessagesWithoutAWindow() {
    assertThatThrownBy(() -> MappingApi.config(json("{\"BatchSize\": 11}"), SQS_DEFAULTS))
        .isInstanceOfSatisfying(
            LambdaError.class, e -> assertThat(e.type).isEqualTo("InvalidParameterValueException"))
        .hasMessage(
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
  }

  @Test
  void rejectsValuesOutsideTheModelsBounds() {
    assertThatThrownBy(() -> MappingApi.config(json("{\"BatchSize\": 0}"), SQS_DEFAULTS))
        .isInstanceOfSatisfying(
            LambdaError.class, e -> assertThat(e.type).isEqualTo("ValidationException"))
        .hasMessage(
            "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 1");
    assertThatThrownBy(() ->
            MappingApi.config(json("{\"MaximumBatchingWindowInSeconds\": 301}"), SQS_DEFAULTS))
        .hasMessage(
            "1 validation error detected: Value '301' at 'maximumBatchingWindowInSeconds' failed to satisfy "
                + "constraint: Member must have value less than or equal to 300");
    assertThatThrownBy(() -> MappingApi.config(
            json("{\"ScalingConfig\": {\"MaximumConcurrency\": 1001}}"), SQS_DEFAULTS))
        .hasMessage(
            "1 validation error detected: Value '1001' at 'scalingConfig.maximumConcurrency' failed to satisfy "
                + "constraint: Member must have value less than or equal to 1000");
    assertThatThrownBy(
            () -> MappingApi.config(json("{\"FunctionResponseTypes\": [\"Nope\"]}"), SQS_DEFAULTS))
        .hasMessageContaining(
            "Value '[Nope]' at 'functionResponseTypes' failed to satisfy constraint");
  }

  /** A value from the request, as the refusal quotes it: escaped and cut (offhours.units.Shown). */
  @Test
  void aResponseTypeThatIsNotReportBatchItemFailuresIsQuotedEscapedAndCut() {
    String type = "x\\u001b[2J\\u202e" + "v".repeat(4994);
    assertThatThrownBy(() -> MappingApi.config(
            json("{\"FunctionResponseTypes\": [\"" + type + "\"]}"), SQS_DEFAULTS))
        .hasMessageStartingWith("1 validation error detected: Value '[x\\x1b[2J\\u202e"
            + "v".repeat(53) + "... (5002 characters)' at 'functionResponseTypes' failed to"
            + " satisfy constraint")
        .message()
        .doesNotContain("\u001b", "\u202e");
  }

  private static JsonNode json(String text) throws Exception {
    return new ObjectMapper().readTree(text);
  }
}
