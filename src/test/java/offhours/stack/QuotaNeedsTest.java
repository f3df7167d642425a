package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import offhours.stack.QuotaNeeds.Need;
import offhours.stack.QuotaNeeds.QuotaService;
import org.junit.jupiter.api.Test;

class QuotaNeedsTest {

  private final Map<String, Object> template;

  QuotaNeedsTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  @Test
  void theDefaultsAreTheTemplates() {
    Map<String, Object> parameters = StackResolver.map(template.get("Parameters"));
    QuotaNeeds.TEMPLATE_DEFAULTS.forEach((name, value) -> assertThat(
            String.valueOf(StackResolver.map(parameters.get(name)).get("Default")))
        .as(name)
        .isEqualTo(value));
  }

  @Test
  void theControllersShareIsItsTimerTriggersMaximumConcurrency() {
    Map<String, String> all = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    StackResolver stack = new StackResolver(template, FakeStack.create(all));
    Object timer =
        StackResolver.path(stack.properties("ControllerFunction"), "Events", "Timer", "Properties");
    assertThat(StackResolver.path(StackResolver.map(timer), "ScalingConfig", "MaximumConcurrency"))
        .isEqualTo(QuotaNeeds.CONTROLLER_CONCURRENCY);
  }

  @Test
  void aScheduledStackNeedsInstanceCountOfItsTypeAndLambdaConcurrencyForClassifyAndTheController() {
    QuotaNeeds needs = QuotaNeeds.fromParameters(Map.of());
    assertThat(needs.needs())
        .containsExactly(
            new Need(
                QuotaService.SAGEMAKER,
                "ml.m5.large for endpoint usage",
                1,
                "InstanceCount, while the endpoint is on"),
            new Need(
                QuotaService.LAMBDA,
                "Concurrent executions",
                7,
                "MaximumConcurrency 5 (Classify) + 2 (controller)"));
  }

  @Test
  void aGpuTypeIsItsOwnQuotaAndScaleToZeroNeedsInstanceCountToo() {
    QuotaNeeds needs = QuotaNeeds.fromParameters(
        Map.of("Hosting", "scale-to-zero", "InstanceType", "ml.g4dn.xlarge", "InstanceCount", "3"));
    assertThat(needs.needs().getFirst())
        .isEqualTo(new Need(
            QuotaService.SAGEMAKER,
            "ml.g4dn.xlarge for endpoint usage",
            3,
            "InstanceCount, while copies are up"));
  }

  @Test
  void aServerlessStackNeedsTheAccountsServerlessConcurrencyAndNoInstances() {
    QuotaNeeds needs = QuotaNeeds.fromParameters(Map.of(
        "Hosting", "serverless", "ServerlessMaxConcurrency", "50", "MaximumConcurrency", "50"));
    assertThat(needs.needs())
        .extracting(Need::quota, Need::needed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "Maximum total concurrency that can be allocated across all serverless endpoints",
                50),
            org.assertj.core.groups.Tuple.tuple("Concurrent executions", 52));
    assertThat(needs.needs()).noneMatch(n -> n.quota().endsWith("for endpoint usage"));
  }

  @Test
  void anInstanceTypeThatIsNotOneIsRefused() {
    assertThatThrownBy(() -> QuotaNeeds.fromParameters(Map.of("InstanceType", "m5.large")))
        .hasMessage("an instance type is named ml.FAMILY.SIZE (e.g. ml.m5.large), got 'm5.large'");
  }
}
