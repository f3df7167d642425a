package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code quotas} refuses the counts template.yaml refuses ({@link QuotaNeeds#TEMPLATE_ALLOWED}): each whole number
 * from 0 to 1001 is allowed there exactly when CloudFormation would take it for the parameter; it takes the instance
 * types the template lists ({@link QuotaNeeds#TEMPLATE_INSTANCE_TYPES}), and its {@link QuotaNeeds#templateRuleBroken}
 * refuses what the template's Rules refuse.
 */
class QuotaFlagsMatchTemplateTest {

  @Test
  void theAllowedCountsAreTheTemplates() throws IOException {
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    ParameterConstraints constraints = new ParameterConstraints(template);

    assertThat(QuotaNeeds.TEMPLATE_ALLOWED)
        .containsOnlyKeys("InstanceCount", "MaximumConcurrency", "ServerlessMaxConcurrency");
    QuotaNeeds.TEMPLATE_ALLOWED.forEach((parameter, allowed) -> {
      for (int n = 0; n <= 1001; n++) {
        assertThat(allowed.contains(n))
            .as(parameter + " " + n)
            .isEqualTo(constraints.refusal(parameter, String.valueOf(n)) == null);
      }
    });
    assertThat(QuotaNeeds.allowedText("MaximumConcurrency"))
        .isEqualTo("a whole number from 2 to 1000");
    assertThat(QuotaNeeds.allowedText("ServerlessMaxConcurrency"))
        .isEqualTo("one of 2, 5, 10, 20, 50, 100, 200");
  }

  @Test
  void theInstanceTypesAreTheTemplates() throws IOException {
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    Object allowed = StackResolver.map(
            StackResolver.map(template.get("Parameters")).get("InstanceType"))
        .get("AllowedValues");

    assertThat(QuotaNeeds.TEMPLATE_INSTANCE_TYPES)
        .containsExactlyElementsOf(
            StackResolver.list(allowed).stream().map(String::valueOf).toList());
  }

  /**
   * For every hosting, instance type and pair of concurrencies the template's own constraints take, the template's
   * Rules refuse the values exactly when {@link QuotaNeeds#templateRuleBroken} does, and a failing rule's description
   * names the parameters it names.
   */
  @Test
  void theRulesTheCommandRefusesAreTheTemplates() throws IOException {
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    ParameterConstraints constraints = new ParameterConstraints(template);
    List<String> wrong = new ArrayList<>();
    for (Hosting hosting : Hosting.values()) {
      for (String type : QuotaNeeds.TEMPLATE_INSTANCE_TYPES) {
        for (int serverless : QuotaNeeds.TEMPLATE_ALLOWED.get("ServerlessMaxConcurrency")) {
          for (int classify : List.of(2, 4, 5, 6, 10, 11, 200, 201, 1000)) {
            Map<String, String> values = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
            values.putAll(Map.of(
                "Hosting", hosting.value(),
                "InstanceType", type,
                "MaximumConcurrency", String.valueOf(classify),
                "ServerlessMaxConcurrency", String.valueOf(serverless)));
            List<String> failures =
                constraints.ruleFailures(new StackResolver(template, FakeStack.create(values)));
            QuotaNeeds.BrokenRule broken =
                new QuotaNeeds(hosting, type, 1, classify, serverless).templateRuleBroken();
            if (failures.isEmpty() != (broken == null)) {
              wrong.add(values + ": template " + failures + ", quotas " + broken);
            } else if (broken != null
                && failures.stream()
                    .noneMatch(f -> broken.parameters().stream().allMatch(f::contains))) {
              wrong.add(
                  values + ": template " + failures + ", quotas names " + broken.parameters());
            }
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }
}
