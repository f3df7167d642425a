package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Lambda features template.yaml uses that not every Region offers can be turned off by a parameter, and the
 * default stays what most Regions get: SnapStart on, arm64.
 */
class RegionalChoicesTest {

  private static final List<String> PUBLISHED =
      List.of("ClassifyFunction", "ControllerFunction", "ApiFunction");

  private final Map<String, Object> template;

  RegionalChoicesTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  private StackResolver stack(Map<String, String> parameters) {
    Map<String, String> all = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    all.putAll(parameters);
    return new StackResolver(template, FakeStack.create(all));
  }

  private static Object applyOn(StackResolver stack, String function) {
    return StackResolver.map(stack.properties(function).get("SnapStart")).get("ApplyOn");
  }

  /**
   * What SnapStart=false costs, Classify's cold start over an empty handler, is measured by the bench and given in
   * README's Performance; the Parameters row and the parameter's Description quote the same range.
   */
  @Test
  void whatSnapStartFalseCostsIsQuotedAsPerformanceMeasuredIt() throws IOException {
    String readme = Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");
    java.util.regex.Matcher measured = java.util.regex.Pattern.compile(
            "\\*\\*Cold start without SnapStart: ([0-9.]+-[0-9.]+ s) over an empty handler")
        .matcher(readme);
    assertThat(measured.find())
        .as("README's Performance gives the cold start without SnapStart")
        .isTrue();
    String range = measured.group(1);
    String row = "for Classify " + range + " over an empty handler";
    assertThat(readme.contains(row)).as("README's SnapStart row says %s", row).isTrue();
    String description = String.valueOf(
            StackResolver.map(StackResolver.map(template.get("Parameters")).get("SnapStart"))
                .get("Description"))
        .replaceAll("\\s+", " ");
    assertThat(description)
        .contains("Classify's init and unprimed first batch, " + range + " over an empty handler");
  }

  @Test
  void snapStartIsOnByDefaultForEveryPublishedFunction() {
    StackResolver stack = stack(Map.of());
    for (String function : PUBLISHED) {
      assertThat(applyOn(stack, function)).as(function).isEqualTo("PublishedVersions");
    }
  }

  @Test
  void snapStartFalseTurnsItOffAndKeepsTheAliasTheCommandLineInvokes() {
    StackResolver stack = stack(Map.of("SnapStart", "false"));
    for (String function : PUBLISHED) {
      assertThat(applyOn(stack, function)).as(function).isEqualTo("None");
      assertThat(stack.properties(function).get("AutoPublishAlias"))
          .as(function)
          .isEqualTo(StackSpec.FUNCTION_ALIAS);
    }
  }

  @Test
  void theFunctionsRunOnArm64UnlessTheArchitectureParameterSaysX86() {
    assertThat(stack(Map.of()).functionGlobals().get("Architectures")).isEqualTo(List.of("arm64"));
    assertThat(stack(Map.of("Architecture", "x86_64")).functionGlobals().get("Architectures"))
        .isEqualTo(List.of("x86_64"));
    for (var r : StackResolver.map(template.get("Resources")).entrySet()) {
      assertThat(StackResolver.map(
              StackResolver.map(r.getValue()).getOrDefault("Properties", Map.of())))
          .as("%s sets its own Architectures instead of the parameter's", r.getKey())
          .doesNotContainKey("Architectures");
    }
  }
}
