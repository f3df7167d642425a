package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README's fixed-cost table (IdleCost) counts what template.yaml holds: the alarms a stack gets, its customer managed
 * keys, the controller's memory and architecture, the timer trigger the poll estimate assumes. The idle run's own
 * figures are offhours.endpoint.IdleRunTest's.
 */
class IdleCostTest {

  private final Map<String, Object> template;

  IdleCostTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  private StackResolver stack(Map<String, String> parameters) {
    Map<String, String> all = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    all.putAll(parameters);
    return new StackResolver(template, FakeStack.create(all));
  }

  /** The resources of {@code type} this stack creates (their Condition holds). */
  private static List<String> created(StackResolver stack, String type) {
    return stack.resources().keySet().stream()
        .filter(r -> stack.type(r).equals(type))
        .filter(r -> {
          Object condition = stack.resource(r).get("Condition");
          return condition == null || stack.condition(String.valueOf(condition));
        })
        .toList();
  }

  @Test
  void theTableCountsTheAlarmsTheDefaultStackCreatesEveryOneAtTheStandardPrice() {
    StackResolver stack = stack(Map.of());
    List<String> alarms = created(stack, "AWS::CloudWatch::Alarm");
    assertThat(alarms).hasSize(IdleCost.DEFAULT.alarms());
    assertThat(alarms).allSatisfy(alarm -> {
      Map<String, Object> p = stack.properties(alarm);
      assertThat(Integer.parseInt(String.valueOf(p.get("Period"))))
          .as("%s: a period under 60 s makes a high-resolution alarm, $0.30 a month", alarm)
          .isGreaterThanOrEqualTo(60);
      assertThat(p)
          .as("%s: one metric, no metric math or Metrics Insights query", alarm)
          .containsKey("MetricName")
          .doesNotContainKey("Metrics");
    });
    assertThat(created(stack(Map.of("Hosting", "serverless")), "AWS::CloudWatch::Alarm"))
        .as("README: serverless has two alarms fewer")
        .hasSize(IdleCost.DEFAULT.alarms() - 2);
    assertThat(created(
            stack(Map.of("Hosting", "serverless", "MaxWaitMinutes", "next-opening")),
            "AWS::CloudWatch::Alarm"))
        .as("README: three fewer with next-opening, where no upload is ever due")
        .hasSize(IdleCost.DEFAULT.alarms() - 3);
    for (String hosting : List.of("scheduled", "scale-to-zero", "serverless")) {
      assertThat(created(
              stack(Map.of("Hosting", hosting, "MaxWaitMinutes", "0")), "AWS::CloudWatch::Alarm"))
          .as("README: MaxWaitMinutes 0 has one fewer on %s", hosting)
          .hasSize(created(stack(Map.of("Hosting", hosting)), "AWS::CloudWatch::Alarm")
                  .size()
              - 1);
    }
  }

  /** The prose around the table counts the alarms as the table and the template do. */
  @Test
  void theReadmesProseCountsTheAlarmsAsTheTableDoes() throws IOException {
    String readme = Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");
    List<String> quotes = List.of(
        "most of it is the " + IdleCost.DEFAULT.alarms() + " alarms",
        "`Hosting=serverless` has 2 alarms fewer (3 with `MaxWaitMinutes=next-opening`, where no upload is ever"
            + " due), and `MaxWaitMinutes=0` 1 fewer on any hosting");
    assertThat(quotes.stream().filter(q -> !readme.contains(q)).toList())
        .as("what README's What it costs should say and does not")
        .isEmpty();
  }

  /**
   * The dashboard bills per dashboard-month whatever it shows or whether anyone looks; the table counts what the
   * Dashboard parameter's default creates, and says what true adds.
   */
  @Test
  void theTableCountsTheDashboardsTheDefaultStackCreatesAndTrueAddsOne() {
    assertThat(created(stack(Map.of()), "AWS::CloudWatch::Dashboard"))
        .hasSize(IdleCost.DEFAULT.dashboards());
    assertThat(created(stack(Map.of("Dashboard", "true")), "AWS::CloudWatch::Dashboard"))
        .hasSize(1);
    assertThat(IdleCost.table()).contains("`Dashboard=true`: 1", "$3.00 per dashboard-month");
  }

  @Test
  void theTableCountsTheCustomerManagedKeysAndTheControllersMemoryAndArchitecture() {
    StackResolver stack = stack(Map.of());
    assertThat(created(stack, "AWS::KMS::Key")).hasSize(IdleCost.DEFAULT.customerManagedKeys());
    assertThat(stack.properties("ControllerFunction").get("MemorySize"))
        .isEqualTo(IdleCost.DEFAULT.controllerMemoryMb());
    assertThat(stack.parameters().get("Architecture"))
        .as("the Lambda price in the table is arm64's")
        .isEqualTo("arm64");
  }

  @Test
  void thePollEstimateAssumesTheTimerTriggerSetsMaximumConcurrency() {
    Map<String, Object> timer = StackResolver.map(StackResolver.path(
        stack(Map.of()).properties("ControllerFunction"), "Events", "Timer", "Properties"));
    assertThat(StackResolver.path(timer, "ScalingConfig", "MaximumConcurrency"))
        .as("without it Lambda may poll with 2, not 5: change IdleCost.TIMER_POLLS_PER_MONTH")
        .isNotNull();
    assertThat(StackResolver.path(
            stack(Map.of()).properties("ClassifyFunction"),
            "Events",
            "Queue",
            "Properties",
            "Enabled"))
        .as("the Classify trigger is created disabled: it polls only while the endpoint serves")
        .isEqualTo(false);
  }

  @Test
  void anIdleMonthCostsAboutThreeDollarsMostOfItAlarmsTheKeyAndTheHeartbeat() {
    List<IdleCost.CostItem> items = IdleCost.items(IdleCost.DEFAULT, IdleCost.IDLE_RUN);
    assertThat(IdleCost.RUNS_PER_MONTH).isEqualTo(43_800);
    assertThat(IdleCost.total(items)).isCloseTo(3.06, within(0.01));
    assertThat(items.get(0).usd() + items.get(2).usd() + items.get(3).usd())
        .as("alarms, the heartbeat metric and the key")
        .isCloseTo(2.60, within(0.001));
    assertThat(items.get(1).usd()).as("no dashboard by default").isZero();
    assertThat(
            IdleCost.total(IdleCost.items(new IdleCost.Stack(13, 1, 1, 1, 512), IdleCost.IDLE_RUN)))
        .as("Dashboard=true, beyond the account's three free dashboards")
        .isCloseTo(6.06, within(0.01));
  }

  /**
   * README prices what works around the endpoint from the same unit prices and Classify's memory as template.yaml
   * sets it, so neither a memory change nor a price change can leave that sentence behind.
   */
  @Test
  void theReadmePricesClassifysSecondAtItsMemoryAndTheRequestsAtTheTablesPrices()
      throws IOException {
    long megabytes = Long.parseLong(
        String.valueOf(stack(Map.of()).properties("ClassifyFunction").get("MemorySize")));
    double gigabytes = megabytes / 1024.0;
    String quote = "Around the endpoint: Lambda (arm64, " + plain(gigabytes) + " GB) about $"
        + plain(Math.round(gigabytes * IdleCost.LAMBDA_ARM64_GB_SECOND * 1e6) / 1e6)
        + " per second of classification ($"
        + plain(Math.round(gigabytes * IdleCost.LAMBDA_X86_GB_SECOND * 1e6) / 1e6)
        + " on x86_64), SQS $"
        + String.format(java.util.Locale.ROOT, "%.2f", IdleCost.SQS_REQUEST * 1e6)
        + " per million requests, DynamoDB on-demand writes $"
        + plain(IdleCost.DYNAMODB_WRITE_UNIT * 1e6)
        + " per million write units";
    assertThat(Files.readString(Path.of("README.md")).replaceAll("\\s+", " ").contains(quote))
        .as("README's What it costs says: %s", quote)
        .isTrue();
  }

  /** A price or size as README writes it: plain digits, no trailing zeros. */
  private static String plain(double value) {
    return new java.math.BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
  }

  @Test
  void theReadmePrintsTheTable() throws IOException {
    assertThat(Files.readString(Path.of("README.md"))).contains(IdleCost.table());
  }
}
