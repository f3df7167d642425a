package offhours.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import offhours.results.ResultItem.Label;
import org.junit.jupiter.api.Test;

class PredictionsTest {

  private static final List<String> LABELS = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");

  private static List<Label> topK(String json, int k) {
    return Predictions.topK(json.getBytes(StandardCharsets.UTF_8), LABELS, "LABELS", k);
  }

  @Test
  void mapsProbabilitiesToLabelsAndKeepsTheTopKDescending() {
    assertThat(topK("[0.1, 0.05, 0.6, 0.05, 0.2]", 3)).containsExactly(
        new Label("Neutral", 0.6), new Label("Sexy", 0.2), new Label("Drawing", 0.1));
  }

  @Test
  void kLargerThanTheClassesKeepsThemAll() {
    assertThat(topK("[0.1, 0.05, 0.6, 0.05, 0.2]", 10)).hasSize(5);
  }

  @Test
  void acceptsTheArrayWrappedOnceForABatchOfOne() {
    assertThat(topK("[[0.1, 0.05, 0.6, 0.05, 0.2]]", 1)).containsExactly(new Label("Neutral", 0.6));
  }

  @Test
  void aCountMismatchIsAConfigurationErrorNamingBothCounts() {
    assertThatThrownBy(() -> topK("[0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.4]", 3))
        .isInstanceOf(Predictions.ContractViolation.class)
        .hasMessage("endpoint returned 7 probabilities but 5 labels are configured (LABELS)");
  }

  @Test
  void aResponseThatIsNotAnArrayOfNumbersIsAContractViolation() {
    assertThatThrownBy(() -> topK("{\"predictions\":[0.1]}", 3))
        .isInstanceOf(Predictions.ContractViolation.class)
        .hasMessage("endpoint response is not a JSON array of probabilities: {\"predictions\":[0.1]}");
    assertThatThrownBy(() -> topK("[0.1, \"x\", 0.6, 0.05, 0.2]", 3))
        .hasMessage("endpoint response has a non-number at index 1: \"x\"");
    assertThatThrownBy(() -> topK("not json", 3)).hasMessageStartingWith("endpoint response is not JSON: ");
  }

  @Test
  void readsProbabilitiesWrittenWithExponents() {
    assertThat(topK("[1e-05, 2.5E-3, 0.99, 1E-7, 0.00749]", 2)).containsExactly(
        new Label("Neutral", 0.99), new Label("Sexy", 0.00749));
    assertThat(topK("[1e-05, 2.5E-3, 0.99, 1E-7, 0.00749]", 5)).contains(new Label("Drawing", 1.0e-5));
  }

  @Test
  void aTruncatedOrEmptyResponseSaysWhatTheParserFoundAndWhere() {
    assertThatThrownBy(() -> topK("[0.1, 0.05, 0.6", 3)).isInstanceOf(Predictions.ContractViolation.class)
        .hasMessageStartingWith("endpoint response is not JSON: Unexpected end-of-input: expected close marker for Array")
        .hasMessageEndingWith(" at line 1, column 16");
    assertThatThrownBy(() -> topK("not json", 3))
        .hasMessage("endpoint response is not JSON: Unrecognized token 'not': was expecting (JSON String, Number,"
            + " Array, Object or token 'null', 'true' or 'false') at line 1, column 5");
    assertThatThrownBy(() -> topK("", 3))
        .hasMessage("endpoint response is not a JSON array of probabilities: (an empty body)");
  }

  @Test
  void anAbbreviatedResponseIsCompactJson() {
    assertThatThrownBy(() -> topK("{\"label\" : \"say \\\"hi\\\"\", \"p\": [1e-05, true, null]}", 3))
        .hasMessage("endpoint response is not a JSON array of probabilities: {\"label\":\"say \\\"hi\\\"\",\"p\":[1e-05,true,null]}");
  }
}
