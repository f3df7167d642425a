package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code quotas} refuses the counts template.yaml refuses ({@link QuotaNeeds#TEMPLATE_ALLOWED}): each whole number
 * from 0 to 1001 is allowed there exactly when CloudFormation would take it for the parameter.
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
}
