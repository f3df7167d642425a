package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every response shape of real image-classification containers, and every way an answer can fail the contract. */
class ResponseShapesTest {

  private static final List<String> LABELS = List.of("cat", "dog", "bird");

  private static Ranking read(String json, List<String> labels, Scores scores) {
    return ResponseShapes.read(
        json.getBytes(StandardCharsets.UTF_8),
        new ModelContract(labels, null, null, null, scores, null));
  }

  private static Ranking read(String json) {
    return read(json, LABELS, Scores.AUTO);
  }

  private static ScoredLabel top(String json, List<String> labels) {
    return read(json, labels, Scores.AUTO).labels().getFirst();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      built-in: bare array                         | [0.1, 0.7, 0.2]                                                    | dog  | 0.7
      PyTorch batch of one                         | [[0.1, 0.2, 0.7]]                                                  | bird | 0.7
      built-in JSON Lines                          | {"prediction": [0.6, 0.3, 0.1]}                                    | cat  | 0.6
      TF Serving rows                              | {"predictions": [[0.2, 0.5, 0.3]]}                                 | dog  | 0.5
      TF Serving flat                              | {"predictions": [0.2, 0.3, 0.5]}                                   | bird | 0.5
      JumpStart                                    | {"probabilities": [0.8, 0.1, 0.1]}                                 | cat  | 0.8
      KServe v2                                    | {"outputs": [{"name": "probs", "shape": [1, 3], "datatype": "FP32", "data": [0.1, 0.1, 0.8]}]} | bird | 0.8
      """)
  void scoresInOutputOrderAreNamedByTheLabels(
      String shape, String json, String label, double score) {
    ScoredLabel top = top(json, LABELS);

    assertThat(top.label()).isEqualTo(label);
    assertThat(top.score()).isCloseTo(score, within(1e-9));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      JumpStart verbose     | {"probabilities": [0.1, 0.85, 0.05], "labels": ["tabby", "macaw", "lynx"], "predicted_label": "macaw"} | macaw | 0.85
      Hugging Face          | [{"label": "macaw", "score": 0.44}, {"label": "tabby", "score": 0.31}]                                 | macaw | 0.44
      TorchServe            | {"tabby": 0.46, "lynx": 0.38}                                                                          | tabby | 0.46
      older TorchServe      | [{"lynx": 0.2}, {"tabby": 0.7}]                                                                        | tabby | 0.7
      Triton classification | {"outputs": [{"name": "probs", "datatype": "BYTES", "data": ["0.72:3:macaw", "0.2:1:tabby"]}]}           | macaw | 0.72
      """)
  void answersThatNameTheirClassesNeedNoLabels(
      String shape, String json, String label, double score) {
    ScoredLabel top = top(json, List.of());

    assertThat(top.label()).isEqualTo(label);
    assertThat(top.score()).isCloseTo(score, within(1e-9));
  }

  @Test
  void namedClassesMayBeCheckedAgainstConfiguredLabels() {
    assertThat(top("[{\"label\": \"dog\", \"score\": 0.9}]", LABELS).label()).isEqualTo("dog");
    assertThatThrownBy(() -> top("[{\"label\": \"macaw\", \"score\": 0.9}]", LABELS))
        .isInstanceOf(ContractViolation.class)
        .hasMessage(
            "the answer names class 'macaw', which is not among the 3 configured labels (LABELS); leave the"
                + " labels empty (no --labels FILE in local mode) to use the model's own class names");
  }

  /**
   * A result's top label is the partition key of the results table's byLabel index, which DynamoDB takes up to 2048
   * bytes: it rejects the whole write of an item whose index key is longer
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.ViolationDetection.html), so such
   * an answer would be retried into the DLQ on a ValidationException that names no class. The limit is in bytes:
   * 1,025 two-byte characters are over it.
   */
  @Test
  void aClassNameOverTheLabelIndexsKeyLimitIsAContractError() {
    String longest = "a".repeat(2046) + "\u00e9";
    String over = "\u00e9".repeat(1025);

    assertThat(
            top("[{\"label\": \"" + longest + "\", \"score\": 0.9}]", List.of()).label())
        .isEqualTo(longest);
    assertThatThrownBy(() -> top(
            "[{\"label\": \"tabby\", \"score\": 0.6}, {\"label\": \"" + over
                + "\", \"score\": 0.3}]",
            List.of()))
        .isInstanceOf(ContractViolation.class)
        .hasMessage(
            "the answer ([{\"label\", \"score\"}, ...] (Hugging Face)) names a class of 2050 bytes"
                + " (UTF-8), beginning '" + "\u00e9".repeat(40)
                + "...': offhours keeps class names of at most"
                + " 2048 bytes, the most DynamoDB takes as the key of the results' label index");
    assertThatThrownBy(() -> top("{\"" + over + "\": 0.9}", LABELS))
        .as("checked before the configured labels, so the message quotes only the name's start")
        .hasMessageContaining("names a class of 2050 bytes");
  }

  /**
   * A model's own class names become results' labels as they are (ModelContractTest#aLabelWithAControlCharacter...):
   * one with a control character or a lone surrogate (JSON's escapes can write both) is a contract error, as one over
   * the key limit is.
   */
  @Test
  void aClassNameWithAControlCharacterOrALoneSurrogateIsAContractError() {
    assertThatThrownBy(() -> top(
            "[{\"label\": \"tabby\", \"score\": 0.6}, {\"label\": \"red\\u001b[31m\","
                + " \"score\": 0.3}]",
            List.of()))
        .isInstanceOf(ContractViolation.class)
        .hasMessage("the answer ([{\"label\", \"score\"}, ...] (Hugging Face)) names a class with a"
            + " control character, \\u001b, at character 3: 'red\\u001b[31m'");
    assertThatThrownBy(() -> top("{\"ca\\ud83dt\": 0.9, \"dog\": 0.1}", List.of()))
        .isInstanceOf(ContractViolation.class)
        .hasMessageContaining(
            "names a class with a lone surrogate, \\ud83d, at character 2: 'ca\\ud83dt'");
    assertThatThrownBy(() -> top("{\"do\\u0085g\": 0.9}", LABELS))
        .as("checked before the configured labels, whose message quotes the name as it is")
        .hasMessageContaining("a control character, \\u0085, at character 2");
    assertThat(top("{\"\\ud83d\\udc31 cat\": 0.9, \"dog\": 0.1}", List.of()).label())
        .as("a pair is a character")
        .isEqualTo("\ud83d\udc31 cat");
  }

  @Test
  void tritonStringsWithoutALabelAreNamedByTheirIndex() {
    assertThat(
            top("{\"outputs\": [{\"data\": [\"0.1:0\", \"0.9:2\"]}]}", LABELS).label())
        .isEqualTo("bird");
    assertThatThrownBy(() -> top("{\"outputs\": [{\"data\": [\"0.9:7\"]}]}", LABELS))
        .hasMessageStartingWith(
            "the answer names class index 7 without a label, and 3 labels are configured: ");
  }

  /**
   * A Triton class string's value is a JSON number, as Triton writes it (0.720000; a logit may be negative, and an
   * exponent is a number too): what Double.parseDouble alone also took (a type suffix, a hexadecimal number, blanks,
   * a '+', Infinity, NaN) is no score, and the answer fits no shape.
   */
  @Test
  void aTritonValueIsAJsonNumberAndNothingElse() {
    assertThat(top("{\"outputs\": [{\"data\": [\"-1.5:0\", \"2.5e-1:2\"]}]}", LABELS)
            .label())
        .isEqualTo("bird");
    assertThat(top("{\"outputs\": [{\"data\": [\"0.720000:3:macaw\"]}]}", List.of())
            .label())
        .isEqualTo("macaw");
    for (String bad : List.of(
        "0.9d:0",
        "0x1p-1:0",
        " 0.9:0",
        "0.9 :0",
        "+0.9:0",
        "Infinity:0",
        "NaN:0",
        ".9:0",
        "9.:0",
        "01:0",
        "0.9f:0",
        "\\u0669:0")) {
      String body = "{\"outputs\": [{\"data\": [\"0.1:1\", \"" + bad + "\"]}]}";
      assertThatThrownBy(() -> top(body, LABELS))
          .as(bad)
          .isInstanceOf(ContractViolation.class)
          .hasMessageStartingWith("the endpoint's answer fits none of the shapes offhours reads (");
    }
    assertThatThrownBy(() -> top("{\"outputs\": [{\"data\": [\"1e400:0\"]}]}", LABELS))
        .as("a number past a double is no score either")
        .isInstanceOf(ContractViolation.class);
  }

  @Test
  void aTritonIndexPastAnIntIsPastTheLabelsNotANumberFormatException() {
    assertThatThrownBy(() -> top("{\"outputs\": [{\"data\": [\"0.9:99999999999\"]}]}", LABELS))
        .isInstanceOf(ContractViolation.class)
        .hasMessageStartingWith(
            "the answer names class index 99999999999 without a label, and 3 labels are configured: ");
  }

  @Test
  void theRankingKeepsEveryClassMostProbableFirstAndSaysWhatItRead() {
    Ranking ranking = read("[0.1, 0.7, 0.2]");

    assertThat(ranking.labels())
        .extracting(ScoredLabel::label)
        .containsExactly("dog", "bird", "cat");
    assertThat(ranking.top(2)).extracting(ScoredLabel::label).containsExactly("dog", "bird");
    assertThat(ranking.top(10)).hasSize(3);
    assertThat(ranking.shape()).isEqualTo("an array of scores");
    assertThat(ranking.scores()).isEqualTo(Scores.PROBABILITIES);
    assertThat(read("{\"predictions\": [[0.2, 0.5, 0.3]]}").shape())
        .isEqualTo(
            "{\"predictions\": ...} (TF Serving) of [[...]] (a batch of one) of an array of scores");
  }

  @Test
  void logitsGetASoftmaxAndTheResultSaysSo() {
    Ranking ranking = read("[[1.0, 3.0, -2.0]]", LABELS, Scores.LOGITS);

    assertThat(ranking.scores()).isEqualTo(Scores.LOGITS);
    assertThat(ranking.labels().getFirst().label()).isEqualTo("dog");
    double e1 = Math.exp(1), e3 = Math.exp(3), em2 = Math.exp(-2);
    assertThat(ranking.labels().getFirst().score()).isCloseTo(e3 / (e1 + e3 + em2), within(1e-12));
    assertThat(ranking.labels().stream().mapToDouble(ScoredLabel::score).sum())
        .isCloseTo(1.0, within(1e-12));
  }

  @Test
  void autoReadsLogitsWhenAScoreLeavesZeroToOneOrAFullSetDoesNotSumToOne() {
    assertThat(read("[1.0, 3.0, -2.0]").scores()).isEqualTo(Scores.LOGITS);
    assertThat(read("[0.5, 0.5, 0.5]").scores())
        .as("in range but sums to 1.5")
        .isEqualTo(Scores.LOGITS);
    assertThat(read("[0.2, 0.3, 0.5]").scores()).isEqualTo(Scores.PROBABILITIES);
    assertThat(read(
                "[{\"label\": \"macaw\", \"score\": 0.4}, {\"label\": \"tabby\", \"score\": 0.1}]",
                List.of(),
                Scores.AUTO)
            .scores())
        .as("a top-k list need not sum to 1")
        .isEqualTo(Scores.PROBABILITIES);
  }

  @Test
  void probabilitiesOutsideZeroToOneAreAContractError() {
    assertThatThrownBy(() -> read("[0.1, 1.7, 0.2]", LABELS, Scores.PROBABILITIES))
        .isInstanceOf(ContractViolation.class)
        .hasMessage(
            "the score 1.7 of 'dog' is outside [0, 1], so it is no probability; if the model answers logits,"
                + " set the scores setting to logits or auto");
    assertThatThrownBy(() -> read("[0.1, -0.2, 0.2]", LABELS, Scores.PROBABILITIES))
        .hasMessageStartingWith("the score -0.2 of 'dog' is outside [0, 1]");
    assertThat(read("[1.000001, 0.0, 0.0]", LABELS, Scores.PROBABILITIES)
            .labels()
            .getFirst()
            .score())
        .as("float32 rounding is tolerated and clamped")
        .isEqualTo(1.0);
  }

  @Test
  void nonFiniteAndNonNumericScoresAreContractErrorsNotExceptions() {
    assertThatThrownBy(() -> read("[0.1, 1e999, 0.2]"))
        .isInstanceOf(ContractViolation.class)
        .hasMessage("the score at index 1 is not a finite number: [0.1, 1e999, 0.2]");
    assertThatThrownBy(() -> read("[0.1, \"x\", 0.2]"))
        .hasMessage("the score at index 1 is not a number: [0.1, \"x\", 0.2]");
    assertThatThrownBy(
            () -> read("[{\"label\": \"macaw\", \"score\": null}]", List.of(), Scores.AUTO))
        .hasMessage(
            "the score of 'macaw' is not a number: [{\"label\": \"macaw\", \"score\": null}]");
  }

  @Test
  void unnamedScoresNeedLabelsAndAsManyOfThem() {
    assertThatThrownBy(() -> read("[0.1, 0.9]", List.of(), Scores.AUTO))
        .isInstanceOf(ContractViolation.class)
        .hasMessage(
            "the answer (an array of scores, 2 scores) does not name its classes, so offhours needs the class"
                + " names in the model's output order: set LABELS or LABELS_S3_URI (--labels FILE in local mode)");
    assertThatThrownBy(() -> read("[0.1, 0.1, 0.1, 0.7]"))
        .hasMessage("the endpoint returned 4 scores but 3 labels are configured (LABELS)");
    assertThatThrownBy(() -> ResponseShapes.read(
            "[0.5, 0.5]".getBytes(StandardCharsets.UTF_8),
            new ModelContract(LABELS, "s3://models/labels.txt", null, null, null, null)))
        .hasMessage(
            "the endpoint returned 2 scores but 3 labels are configured (LABELS_S3_URI s3://models/labels.txt)");
  }

  @Test
  void aMismatchCountsScoresAndLabelsInTheGrammarOfEachCount() {
    assertThatThrownBy(() -> read("[0.9]"))
        .hasMessage("the endpoint returned 1 score but 3 labels are configured (LABELS)");
    assertThatThrownBy(() -> read("[0.1, 0.9]", List.of("cat"), Scores.AUTO))
        .hasMessage("the endpoint returned 2 scores but 1 label is configured (LABELS)");
    assertThatThrownBy(() -> read("[0.9]", List.of(), Scores.AUTO))
        .hasMessageStartingWith(
            "the answer (an array of scores, 1 score) does not name its classes");
  }

  @Test
  void anAnswerThatFitsNoShapeGetsTheContractErrorWithAnExcerpt() {
    assertThatThrownBy(() -> read("{\"result\": \"cat\"}"))
        .isInstanceOf(ContractViolation.class)
        .hasMessage("the endpoint's answer fits none of the shapes offhours reads ("
            + ResponseShapes.KNOWN_SHAPES + "): {\"result\": \"cat\"}");
    assertThatThrownBy(() -> read("\"cat\"")).hasMessageEndingWith("): \"cat\"");
    assertThatThrownBy(() -> read("[]"))
        .hasMessage("the endpoint answered an empty list of scores: []");
    assertThatThrownBy(() -> read(""))
        .hasMessageStartingWith("the endpoint answered an empty body; offhours reads ");
  }

  @Test
  void aBatchOfSeveralRowsOrSeveralOutputsIsNotOneImagesAnswer() {
    assertThatThrownBy(() -> read("[[0.1, 0.2, 0.7], [0.3, 0.3, 0.4]]"))
        .hasMessageStartingWith("the endpoint answered 2 rows of scores for one image;");
    assertThatThrownBy(() -> read(
            "{\"outputs\": [{\"name\": \"a\", \"data\": [1]}, {\"name\": \"b\", \"data\": [2]}]}"))
        .hasMessageStartingWith(
            "the answer has 2 KServe v2 outputs [a, b]; offhours reads a model with one output: ");
  }

  @Test
  void namedAnswersMustMatchTheirScores() {
    assertThatThrownBy(() ->
            read("{\"probabilities\": [0.5, 0.5], \"labels\": [\"a\"]}", List.of(), Scores.AUTO))
        .hasMessageStartingWith(
            "the answer's \"labels\" do not match its 2 \"probabilities\" one to one: ");
  }

  @Test
  void aClassNamedTwiceByTheAnswerGetsTheSumOfItsScoresInFirstAppearanceOrder() {
    // ImageNet names two classes "crane" (the bird and the machine): a top-5 Hugging Face answer.
    Ranking hf = read(
        "[{\"label\": \"crane\", \"score\": 0.3}, {\"label\": \"stork\", \"score\": 0.25},"
            + " {\"label\": \"crane\", \"score\": 0.2}, {\"label\": \"heron\", \"score\": 0.1},"
            + " {\"label\": \"spoonbill\", \"score\": 0.1}]",
        List.of(),
        Scores.AUTO);
    assertThat(hf.labels())
        .extracting(ScoredLabel::label)
        .containsExactly("crane", "stork", "heron", "spoonbill");
    assertThat(hf.labels().getFirst().score()).isCloseTo(0.5, within(1e-12));
    // A JumpStart verbose answer with every label: the total stays 1, equal sums keep their first
    // appearance's order.
    Ranking verbose = read(
        "{\"probabilities\": [0.1, 0.4, 0.1, 0.4], \"labels\": [\"crane\", \"cat\", \"crane\","
            + " \"dog\"]}",
        List.of(),
        Scores.AUTO);
    assertThat(verbose.scores()).isEqualTo(Scores.PROBABILITIES);
    assertThat(verbose.labels())
        .extracting(ScoredLabel::label)
        .containsExactly("cat", "dog", "crane");
    assertThat(verbose.labels()).extracting(ScoredLabel::score).containsExactly(0.4, 0.4, 0.2);
    // Logits: the softmax runs over every score, then a name's probabilities are summed.
    Ranking logits = read(
        "[{\"label\": \"crane\", \"score\": 0.0}, {\"label\": \"crane\", \"score\": 0.0},"
            + " {\"label\": \"cat\", \"score\": 0.0}]",
        List.of(),
        Scores.LOGITS);
    assertThat(logits.labels()).extracting(ScoredLabel::label).containsExactly("crane", "cat");
    assertThat(logits.labels().getFirst().score()).isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void configuredLabelsThatNameAClassTwiceGiveItTheSumOfItsScores() {
    Ranking ranking = read("[0.35, 0.3, 0.35]", List.of("crane", "cat", "crane"), Scores.AUTO);
    assertThat(ranking.labels())
        .containsExactly(new ScoredLabel("crane", 0.7), new ScoredLabel("cat", 0.3));
    assertThat(top("[0.1, 0.6, 0.3]", List.of("crane", "cat", "crane")))
        .isEqualTo(new ScoredLabel("cat", 0.6));
  }

  @Test
  void summedProbabilitiesNeverExceedOne() {
    assertThat(top(
            "[{\"label\": \"a\", \"score\": 0.7}, {\"label\": \"a\", \"score\": 0.6}]", List.of()))
        .isEqualTo(new ScoredLabel("a", 1.0));
  }

  @Test
  void aBodyThatIsNotJsonSaysWhatTheParserFoundWhereAndShowsItEscaped() {
    assertThatThrownBy(() -> read("[0.1, 0.05, 0.6"))
        .hasMessageStartingWith(
            "the endpoint's answer is not JSON (Unexpected end-of-input: expected close marker"
                + " for Array")
        .hasMessageContaining(" at line 1, column 16): [0.1, 0.05, 0.6");
    assertThatThrownBy(() -> read("<html>\n\u001b[31mcrash</html>"))
        .hasMessageEndingWith("): <html>\\x0a\\x1b[31mcrash</html>");
  }

  @Test
  void aNanOrInfinityScoreSaysSoWithoutTheParsersAdviceToEnableOneOfItsFeatures() {
    // Python's json.dumps writes float('nan') as NaN unless allow_nan=False: a container's likely
    // mistake.
    assertThatThrownBy(() -> read("{\"tabby\": NaN, \"macaw\": 0.5}"))
        .hasMessage(
            "the endpoint's answer is not JSON ('NaN' is not a JSON number (JSON has no NaN or"
                + " Infinity; Python's json.dumps writes them unless allow_nan=False) at line 1, column 14):"
                + " {\"tabby\": NaN, \"macaw\": 0.5}");
    for (String token : new String[] {"Infinity", "-Infinity"}) {
      assertThatThrownBy(() -> read("[0.5, " + token + "]"))
          .hasMessageStartingWith(
              "the endpoint's answer is not JSON ('" + token + "' is not a JSON number")
          .hasMessageNotContaining("enable")
          .hasMessageNotContaining("Feature");
    }
  }

  @Test
  void anExcerptStopsAfterTwoHundredCharacters() {
    String longBody = "x".repeat(500);

    assertThat(ResponseShapes.excerpt(longBody.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("x".repeat(200) + "...");
  }
}
