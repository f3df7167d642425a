package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;

/**
 * Every part of a model's answer that a contract error quotes (a class name, a key, a Triton string, an output's name,
 * the parser's words) is quoted as offhours quotes any value from outside (offhours.units.Shown): control characters
 * and the invisible ones that reorder text as escapes, and a long one cut to its start and its length. The error
 * becomes a REJECTED result's reason, stored and shown by results, the API and the page.
 */
class AnswerFragmentsShownTest {

  private static final List<String> LABELS = List.of("cat", "dog", "bird");

  /** 5000 characters: "x", then what a terminal obeys, then more. */
  private static final String LONG = "x" + "\\u001b[2J" + "y".repeat(4995);

  /** What {@link #LONG} is quoted as. */
  private static final String LONG_SHOWN = "x\\x1b[2J" + "y".repeat(55) + "... (5000 characters)";

  /** A JSON string's escapes for a line feed, an ESC, a NUL and a right-to-left override. */
  private static final String CONTROLS = "a\\nb\\u001b[31mc\\u0000d\\u202ee";

  private static final String CONTROLS_SHOWN = "a\\x0ab\\x1b[31mc\\x00d\\u202ee";

  private static ContractViolation violation(String json, List<String> labels, Scores scores) {
    try {
      ResponseShapes.read(
          json.getBytes(StandardCharsets.UTF_8),
          new ModelContract(labels, null, null, null, scores, null));
    } catch (ContractViolation e) {
      return e;
    }
    throw new AssertionError("read " + json.length() + " characters without a contract error");
  }

  private static AbstractStringAssert<?> message(String json, List<String> labels) {
    return message(json, labels, Scores.AUTO);
  }

  /**
   * The message: one line of plain characters, at most about 650 whatever the answer's length (the parser's own words
   * quote at most 256 characters of the token it stopped at, the excerpt of the body 200).
   */
  private static AbstractStringAssert<?> message(String json, List<String> labels, Scores scores) {
    String message = violation(json, labels, scores).getMessage();
    assertThat(message).hasSizeLessThan(700).doesNotContain("\n", "\u001b", "\u0000", "\u202e");
    return assertThat(message);
  }

  @Test
  void aHuggingFaceLabelWhoseScoreIsNoNumberIsQuotedEscapedAndCut() {
    message("[{\"label\": \"" + LONG + "\", \"score\": \"high\"}]", List.of())
        .startsWith("the score of '" + LONG_SHOWN + "' is not a number: ");
    message("[{\"label\": \"" + CONTROLS + "\", \"score\": \"high\"}]", List.of())
        .startsWith("the score of '" + CONTROLS_SHOWN + "' is not a number: ");
  }

  @Test
  void aTorchServeKeyWhoseScoreIsNotFiniteIsQuotedEscapedAndCut() {
    message("{\"" + LONG + "\": 1e999}", List.of())
        .startsWith("the score of '" + LONG_SHOWN + "' is not a finite number: ");
    message("[{\"tabby\": 0.5}, {\"" + CONTROLS + "\": -1e999}]", List.of())
        .startsWith("the score of '" + CONTROLS_SHOWN + "' is not a finite number: ");
  }

  @Test
  void aTritonStringWhoseScoreIsNotFiniteIsQuotedEscapedAndCut() {
    message("{\"outputs\": [{\"data\": [\"1e999:3:" + LONG + "\"]}]}", List.of())
        .startsWith("the score of \"1e999:3:x\\x1b[2J" + "y".repeat(47)
            + "... (5008 characters)\" is not a finite number: ");
    message("{\"outputs\": [{\"data\": [\"1e999:3:" + CONTROLS + "\"]}]}", List.of())
        .startsWith("the score of \"1e999:3:" + CONTROLS_SHOWN + "\" is not a finite number: ");
  }

  @Test
  void aTritonClassIndexWithoutALabelIsCut() {
    message("{\"outputs\": [{\"data\": [\"0.5:" + "7".repeat(5000) + "\"]}]}", LABELS)
        .startsWith("the answer names class index " + "7".repeat(60)
            + "... (5000 characters) without a label, and 3 labels are configured: ");
  }

  @Test
  void theNamesOfSeveralKServeOutputsAreQuotedEscapedAndCut() {
    message("{\"outputs\": [{\"name\": \"" + LONG + "\"}, {\"name\": \"b\"}]}", List.of())
        .startsWith("the answer has 2 KServe v2 outputs [x\\x1b[2J" + "y".repeat(54)
            + "... (5005 characters); offhours reads a model with one output: ");
    message("{\"outputs\": [{\"name\": \"" + CONTROLS + "\"}, {\"name\": \"b\"}]}", List.of())
        .startsWith(
            "the answer has 2 KServe v2 outputs [" + CONTROLS_SHOWN + ", b]; offhours reads");
  }

  @Test
  void aClassNameThatIsNoConfiguredLabelIsQuotedEscapedAndCut() {
    // 2000 characters: within the label index's key limit, so this is the error that quotes it.
    String name = "z" + "\\u202e" + "w".repeat(1998);
    message("[{\"label\": \"" + name + "\", \"score\": 0.9}]", LABELS)
        .startsWith("the answer names class 'z\\u202e" + "w".repeat(58)
            + "... (2000 characters)', which is not among the 3 configured labels");
    message("{\"" + name + "\": 5.0}", List.of(), Scores.PROBABILITIES)
        .startsWith("the score 5.0 of 'z\\u202e" + "w".repeat(58)
            + "... (2000 characters)' is outside [0, 1]");
  }

  @Test
  void aClassNameOverTheKeyLimitShowsItsStartEscaped() {
    // Checked before control characters are, so its start may hold one.
    message("{\"\\u001b[2J" + "\u00e9".repeat(1100) + "\": 0.9}", List.of())
        .contains("names a class of 2204 bytes (UTF-8), beginning '\\u001b[2J" + "\u00e9".repeat(36)
            + "...'");
  }

  @Test
  void whatTheParserQuotesOfAnAnswerThatIsNotJsonIsEscapedAndBounded() {
    // The parser quotes the token it stopped at, control characters and all, up to 256 characters.
    message("abc\u001b\u0000" + "q".repeat(5000), List.of())
        .startsWith("the endpoint's answer is not JSON (Unrecognized token 'abc\\x1b\\x00qq");
    message("<html>\u2028\u202e" + "q".repeat(5000), List.of())
        .endsWith("): <html>\\u2028\\u202e" + "q".repeat(192) + "...");
  }
}
