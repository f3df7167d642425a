package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import offhours.inference.ModelContract;
import offhours.results.FakeResultIndexes;
import offhours.results.LiveSettings;
import offhours.results.ResultItem;
import org.junit.jupiter.api.Test;

/**
 * Which settings 'results', 'reprocess' and 'ui' compare results with: a deployed stack's own (its parameters,
 * resolved as Classify resolves its environment), else the newest classification's, and the words that say which.
 */
class LiveSettingsLookupTest {

  /** The template's defaults with two labels: what a stack deployed with Labels "Cat, Dog" runs with. */
  private static final Map<String, String> PARAMETERS = Map.of(
      "Labels", "Cat, Dog",
      "LabelsS3Uri", "",
      "ContentType", "application/x-image",
      "Accept", "application/json",
      "Scores", "auto");

  /** What Classify writes under those settings (ResultWriter: ModelContract#settingsFingerprint). */
  private static final String STACKS =
      ModelContract.builtIn(List.of("Cat", "Dog")).settingsFingerprint();

  private static final String OLDER = "0123456789ab";

  /** Right after a settings change: the newest classification is still one of the older settings. */
  private final FakeResultIndexes table = new FakeResultIndexes()
      .classified("cats/old.png", "Cat", "2026-11-25T10:00:00Z", OLDER)
      .classified("cats/unknown.png", "Cat", "2026-11-20T10:00:00Z", null);

  @Test
  void aDeployedStacksParametersGiveItsSettingsAtOnceRightAfterAChange() {
    LiveSettings live = LiveSettingsLookup.of(deployed(PARAMETERS)).now(table, "t");

    assertThat(live.fingerprint()).isEqualTo(STACKS).isNotEqualTo(OLDER);
    assertThat(live.exact()).isTrue();
    assertThat(live.basis())
        .isEqualTo("compared with the model settings stack prod's parameters set (Labels,"
            + " LabelsS3Uri, ContentType, Accept, Scores)");
    assertThat(table.queries).as("nothing read from the table").isEmpty();
    assertThat(ResultItem.SettingsState.CHANGED.word())
        .isEqualTo(fromTable("cats/old.png").settingsAgainst(live.fingerprint()).word());
  }

  @Test
  void theParametersAreReadAsClassifyReadsItsEnvironment() {
    Map<String, String> spaced = new LinkedHashMap<>(PARAMETERS);
    spaced.put("Labels", " Cat ,Dog, ");
    spaced.put(
        "LabelsS3Uri", "s3://ignored/labels.txt"); // Labels wins, as in ModelContract#fromEnv
    assertThat(LiveSettingsLookup.of(deployed(spaced)).now(table, "t").fingerprint())
        .isEqualTo(STACKS);

    Map<String, String> verbose = new LinkedHashMap<>(PARAMETERS);
    verbose.put("Accept", "application/json;verbose");
    assertThat(LiveSettingsLookup.of(deployed(verbose)).now(table, "t").fingerprint())
        .as("another accept header is other settings")
        .isNotEqualTo(STACKS);
  }

  @Test
  void labelsFromAFileTheCommandLineDoesNotReadFallBackToTheNewestClassificationAndSaySo() {
    Map<String, String> file = new LinkedHashMap<>(PARAMETERS);
    file.put("Labels", "");
    file.put("LabelsS3Uri", "s3://models/labels.txt");

    LiveSettings live = LiveSettingsLookup.of(deployed(file)).now(table, "t");

    assertThat(live.fingerprint()).isEqualTo(OLDER);
    assertThat(live.exact()).isFalse();
    assertThat(live.basis())
        .isEqualTo("compared with the newest classification's settings, as stack prod reads its"
            + " labels from LabelsS3Uri s3://models/labels.txt, which the command line does not"
            + " read: right after a settings change, results show as current until the first"
            + " image is classified under the new settings");
    assertThat(table.queries).as("one Query of the status index").hasSize(1);
  }

  @Test
  void aStackOfAnOlderTemplateOrStateFileFallsBackAndSaysWhy() {
    assertThat(LiveSettingsLookup.of(deployed(Map.of("Labels", "Cat")))
            .now(table, "t")
            .basis())
        .startsWith("compared with the newest classification's settings, as stack prod has no"
            + " parameter LabelsS3Uri, ContentType, Accept, Scores (it was deployed from an older"
            + " template): ");
    LiveSettings local = LiveSettingsLookup.of(local()).now(new FakeResultIndexes(), "t");
    assertThat(local.fingerprint()).isNull();
    assertThat(local.basis())
        .startsWith("compared with the newest classification's settings, as the local stack's"
            + " state file does not record the model's settings")
        .endsWith("; no classification has recorded its settings yet, so none is known");
  }

  @Test
  void aLabelThatDiffersFromTheModelsOnlyInCaseNamesTheOneItProbablyMeant() {
    LiveSettingsLookup lookup = LiveSettingsLookup.of(deployed(PARAMETERS));

    assertThat(lookup.labelMeant("cat")).contains("Cat");
    assertThat(lookup.labelMeant("DOG")).contains("Dog");
    assertThat(lookup.labelMeant("Cat")).as("one of the model's labels").isEmpty();
    assertThat(lookup.labelMeant("bird")).as("no label like it").isEmpty();

    Map<String, String> file = new LinkedHashMap<>(PARAMETERS);
    file.put("Labels", "");
    file.put("LabelsS3Uri", "s3://models/labels.txt");
    assertThat(LiveSettingsLookup.of(deployed(file)).labelMeant("cat"))
        .as("labels in a file the command line does not read: not known")
        .isEmpty();
  }

  @Test
  void theHintQuotesALabelAsTheShellReadsItBack() {
    assertThat(LiveSettingsLookup.labelHint("neutral", "Neutral"))
        .isEqualTo("labels are matched exactly, and the model's label is 'Neutral', not 'neutral':"
            + " try --label Neutral");
    assertThat(LiveSettingsLookup.labelHint("golden retriever", "Golden Retriever"))
        .endsWith("try --label 'Golden Retriever'");
    assertThat(LiveSettingsLookup.labelHint("o'neil\u001b", "O'Neil\u001b"))
        .as("a label from the user's file with a control character: bash's $'...' reads it back")
        .endsWith("try --label $'O\\'Neil\\x1b'");
  }

  @Test
  void settingsThatDoNotParseFallBackWithTheReason() {
    Map<String, String> bad = new LinkedHashMap<>(PARAMETERS);
    bad.put("ContentType", "not a type");

    assertThat(LiveSettingsLookup.of(deployed(bad)).now(table, "t").basis())
        .contains("stack prod's model settings cannot be read here: CONTENT_TYPE must be");
  }

  private ResultItem fromTable(String key) {
    return new offhours.results.NewestFirst(table, "t")
        .page(null, "CLASSIFIED", null, 10, null).items().stream()
            .filter(i -> i.key().equals(key))
            .findFirst()
            .orElseThrow();
  }

  private static Target deployed(Map<String, String> parameters) {
    return TestTargets.deployed(Map.of(), parameters);
  }

  private static Target local() {
    return TestTargets.local(Map.of());
  }
}
