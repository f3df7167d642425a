package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/**
 * Needs nothing but a free local port: moto 5.2.1 implements neither Service Quotas' ListServiceQuotas nor Lambda's
 * GetAccountSettings, so one stand-in on 127.0.0.1 answers the wire protocols the SDK speaks: Service Quotas'
 * awsJson1_1 (POST /, {@code X-Amz-Target: ServiceQuotasV20190624.OPERATION}, NextToken paging), Lambda's REST
 * {@code GET /2016-08-19/account-settings} and CloudFormation's query-protocol DescribeStacks. {@code offhours quotas}
 * runs through {@link Main} as a user runs it.
 */
class QuotasCommandIT {

  private static final String TARGET = "ServiceQuotasV20190624.";

  @TempDir
  Path cache;

  /** Applied values (ListServiceQuotas) and AWS defaults (ListAWSDefaultServiceQuotas) by quota name. */
  private final Map<String, Double> applied = new HashMap<>();

  private final Map<String, Double> defaults = new HashMap<>();

  /** Quota codes by name where the test gives one; else one made of the instance type. */
  private final Map<String, String> codes = new HashMap<>();

  private int concurrency = 1000;
  private int unreserved = 1000;
  private String refuse; // an error code Service Quotas answers every call with
  private final Map<String, String> stackParameters = new HashMap<>();
  private final StubHttpServer aws = StubHttpServer.start(this::answer);

  @AfterEach
  void close() {
    aws.close();
  }

  @Test
  void beforeTheFirstDeployAQuotaOfZeroIsTooLowAndTheRequestForAnIncreaseIsPrinted() {
    defaults.put("ml.m5.large for endpoint usage", 0.0);
    concurrency = 10;
    unreserved = 10;

    CliRun run = run("quotas");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.err()).isEmpty();
    assertThat(run.outLines())
        .containsExactly(
            "service    quota                           needed                                                                                                              account (eu-west-1)  status",
            "sagemaker  ml.m5.large for endpoint usage  1 (InstanceCount, while the endpoint is on)                                                                         0 (AWS default)      too low",
            "lambda     Concurrent executions           11 (MaximumConcurrency 5 (Classify) + 5 (controller: timer 2, ticks 2, state change 1) + 1 (your API or CLI call))  10 (applied)         too low",
            "'ml.m5.large for endpoint usage' is 0, the stack needs 1: ask for 1 in the Service Quotas console"
                + " (sagemaker) or with: aws service-quotas request-service-quota-increase --region eu-west-1"
                + " --service-code sagemaker --quota-code L-ML-M5-LARGE --desired-value 1",
            "'Concurrent executions' is 10, the stack needs 11: ask for 11 in the Service Quotas console"
                + " (lambda) or with: aws service-quotas request-service-quota-increase --region eu-west-1"
                + " --service-code lambda --quota-code L-B99A9384 --desired-value 11");
    List<Request> quotaCalls =
        aws.requests().stream().filter(r -> r.header("X-Amz-Target") != null).toList();
    assertThat(quotaCalls)
        .extracting(r -> r.header("X-Amz-Target"))
        .as(
            "every page of the applied values, then the defaults' until the quota is found (no applied value)")
        .containsExactly(
            TARGET + "ListServiceQuotas",
            TARGET + "ListServiceQuotas",
            TARGET + "ListAWSDefaultServiceQuotas");
    assertThat(quotaCalls).allSatisfy(r -> {
      assertThat(r.header("Content-Type")).isEqualTo("application/x-amz-json-1.1");
      assertThat(json(r.text()).path("ServiceCode").asText()).isEqualTo("sagemaker");
    });
    assertThat(json(quotaCalls.get(1).text()).path("NextToken").asText()).isEqualTo("page-2");
  }

  /** README's example, a young account in us-east-1 (ml.g5.xlarge's quota code as a public guide gives it). */
  @Test
  void theReadmesExampleIsWhatTheCommandPrints() {
    String command = "scripts/offhours quotas --instance-type ml.g5.xlarge";
    List<String> readme = ReadmeCommands.readme().lines().toList();
    int at = readme.indexOf(command);
    assertThat(at).as("README shows " + command + " on a line of its own").isPositive();
    List<String> printed = readme.subList(at + 1, readme.size()).stream()
        .takeWhile(line -> !line.startsWith("```"))
        .toList();
    defaults.put("ml.g5.xlarge for endpoint usage", 0.0);
    codes.put("ml.g5.xlarge for endpoint usage", "L-1928E07B");
    concurrency = 10;
    unreserved = 10;

    CliRun run =
        run(Region.US_EAST_1, command.substring("scripts/offhours ".length()).split(" "));

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.outLines()).isEqualTo(printed);
  }

  @Test
  void anAppliedValueWinsOverTheDefaultAndPagingStopsOnceEveryQuotaIsFound() {
    applied.put("ml.g4dn.xlarge for endpoint usage", 2.0);
    defaults.put("ml.g4dn.xlarge for endpoint usage", 0.0);

    CliRun run =
        run("quotas", "--instance-type", "ml.g4dn.xlarge", "--instance-count", "2", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode gpu = run.jsonLines().getFirst();
    assertThat(gpu.path("quota").asText()).isEqualTo("ml.g4dn.xlarge for endpoint usage");
    assertThat(gpu.path("needed").asInt()).isEqualTo(2);
    assertThat(gpu.path("value").asDouble()).isEqualTo(2.0);
    assertThat(gpu.path("source").asText()).isEqualTo("applied");
    assertThat(gpu.path("status").asText()).isEqualTo("ok");
    assertThat(gpu.path("todo").isNull()).isTrue();
    assertThat(aws.requests())
        .extracting(r -> String.valueOf(r.header("X-Amz-Target")))
        .as("found on the first page of applied values: no second page, no defaults")
        .containsOnlyOnce(TARGET + "ListServiceQuotas")
        .doesNotContain(TARGET + "ListAWSDefaultServiceQuotas");
  }

  @Test
  void aDeployedServerlessStackIsCheckedWithItsOwnParametersAndLambdasReservedConcurrency() {
    stackParameters.putAll(Map.of(
        "Hosting", "serverless",
        "ServerlessMaxConcurrency", "20",
        "MaximumConcurrency", "20",
        "InstanceType", "ml.m5.large"));
    defaults.put(
        "Maximum total concurrency that can be allocated across all serverless endpoints", 10.0);
    concurrency = 100;
    unreserved = 15; // another function of the account reserves 85

    CliRun run = run("--stack", "offhours", "quotas", "--json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    List<JsonNode> rows = run.jsonLines();
    assertThat(rows)
        .extracting(r -> r.path("quota").asText())
        .containsExactly(
            "Maximum total concurrency that can be allocated across all serverless endpoints",
            "Concurrent executions");
    assertThat(rows).extracting(r -> r.path("needed").asInt()).containsExactly(20, 26);
    assertThat(rows)
        .extracting(r -> r.path("status").asText())
        .containsExactly("too low", "too low");
    assertThat(rows.get(1).path("available").asDouble()).isEqualTo(15.0);
    assertThat(rows.get(1).path("todo").asText())
        .as("the raise covers what other functions reserve")
        .endsWith("--service-code lambda --quota-code L-B99A9384 --desired-value 111");
    assertThat(aws.requests())
        .filteredOn(r -> r.text().contains("Action=DescribeStacks"))
        .singleElement()
        .satisfies(r -> assertThat(URLDecoder.decode(r.text(), StandardCharsets.UTF_8))
            .contains("StackName=offhours"));
  }

  @Test
  void anInstanceTypeTheRegionDoesNotOfferIsNotListed() {
    CliRun run = run("quotas", "--instance-type", "ml.inf2.xlarge");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out())
        .contains("not listed")
        .contains(
            "'ml.inf2.xlarge for endpoint usage': Service Quotas lists no such quota in eu-west-1");
  }

  @Test
  void accessDeniedIsOneLineNamingTheActionsTheCheckNeeds() {
    refuse = "AccessDeniedException";

    CliRun run = run("quotas");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "offhours: AWS refused to show the quotas in eu-west-1 (User: arn:aws:iam::123456789012:user/u"
                + " is not authorized to perform: servicequotas:ListServiceQuotas); the check needs "
                + QuotasCommand.ACTIONS + "\n");
  }

  @Test
  void aBadFlagIsAUsageErrorNamingIt() {
    CliRun run = run("quotas", "--instance-count", "two");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith(
            "offhours: --instance-count (InstanceCount) needs a whole number from 1 to 10, as"
                + " template.yaml takes it, got 'two'");
    assertThat(aws.requests()).isEmpty();
  }

  @Test
  void aTypeOrAHostingTheTemplateRefusesIsAUsageErrorBeforeAnyCall() {
    CliRun unlisted = run("quotas", "--instance-type", "ml.m5.2xlarge");
    CliRun gpuServerless =
        run("quotas", "--hosting", "serverless", "--instance-type", "ml.g4dn.xlarge");

    assertThat(unlisted.exitCode()).isEqualTo(2);
    assertThat(unlisted.err())
        .startsWith(
            "offhours: --instance-type (InstanceType) needs one of ml.m5.large, ml.m5.xlarge,"
                + " ml.c5.large, ml.c5.xlarge, ml.c5.2xlarge, ml.g4dn.xlarge, ml.g5.xlarge, ml.inf2.xlarge, as"
                + " template.yaml takes it, got 'ml.m5.2xlarge'");
    assertThat(gpuServerless.exitCode()).isEqualTo(2);
    assertThat(gpuServerless.err())
        .startsWith(
            "offhours: --hosting and --instance-type: with Hosting serverless, InstanceType is a CPU"
                + " type (serverless inference has no GPU nor Inferentia), got ml.g4dn.xlarge");
    assertThat(aws.requests()).isEmpty();
  }

  private CliRun run(String... args) {
    return run(Region.EU_WEST_1, args);
  }

  private CliRun run(Region region, String... args) {
    URI uri = aws.uri();
    return CliRun.run(
        cache,
        Clock.systemUTC(),
        () -> AwsClients.local(
            region,
            Map.of(Service.SERVICE_QUOTAS, uri, Service.LAMBDA, uri, Service.CLOUDFORMATION, uri)),
        Commands.all(),
        args);
  }

  // ---- the stand-in

  private Reply answer(Request request) {
    String target = request.header("X-Amz-Target");
    if (target != null) {
      return serviceQuotas(target.substring(TARGET.length()), request);
    }
    if (request.method().equals("GET")
        && request.path().startsWith("/2016-08-19/account-settings")) {
      return Reply.json(
          200,
          "{\"AccountLimit\":{\"TotalCodeSize\":80530636800,\"CodeSizeUnzipped\":262144000,"
              + "\"CodeSizeZipped\":52428800,\"ConcurrentExecutions\":" + concurrency
              + ",\"UnreservedConcurrentExecutions\":" + unreserved
              + "},\"AccountUsage\":{\"TotalCodeSize\":0,\"FunctionCount\":0}}");
    }
    if (request.text().contains("Action=DescribeStacks")) {
      return describeStacks();
    }
    return Reply.json(404, "{\"message\":\"not served here: " + request.path() + "\"}");
  }

  /** Two pages: a filler quota, then the rest; the default list likewise. */
  private Reply serviceQuotas(String operation, Request request) {
    if (refuse != null) {
      return new Reply(
          400,
          Map.of("Content-Type", "application/x-amz-json-1.1"),
          ("{\"__type\":\"" + refuse
                  + "\",\"message\":\"User: arn:aws:iam::123456789012:user/u is not"
                  + " authorized to perform: servicequotas:ListServiceQuotas\"}")
              .getBytes(StandardCharsets.UTF_8));
    }
    JsonNode body = json(request.text());
    Map<String, Double> values = switch (operation) {
      case "ListServiceQuotas" -> applied;
      case "ListAWSDefaultServiceQuotas" -> defaults;
      default -> throw new AssertionError("unexpected operation " + operation);
    };
    List<String> quotas = new ArrayList<>();
    String next;
    if (body.path("NextToken").isMissingNode()) {
      quotas.add(quota("ml.t2.medium for endpoint usage", 1.0));
      // The first page carries one wanted quota at most, so that a check needing one stops here.
      values.entrySet().stream().limit(1).forEach(e -> quotas.add(quota(e.getKey(), e.getValue())));
      next = ",\"NextToken\":\"page-2\"";
    } else {
      values.entrySet().stream().skip(1).forEach(e -> quotas.add(quota(e.getKey(), e.getValue())));
      next = "";
    }
    return new Reply(
        200,
        Map.of("Content-Type", "application/x-amz-json-1.1"),
        ("{\"Quotas\":[" + String.join(",", quotas) + "]" + next + "}")
            .getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String quota(String name, double value) {
    String code = codes.getOrDefault(
        name, "L-" + name.split(" ")[0].replace('.', '-').toUpperCase(java.util.Locale.ROOT));
    return "{\"ServiceCode\":\"sagemaker\",\"ServiceName\":\"Amazon SageMaker\",\"QuotaCode\":\""
        + code
        + "\",\"QuotaName\":\"" + name + "\",\"Value\":" + value
        + ",\"Unit\":\"None\",\"Adjustable\":true,\"GlobalQuota\":false}";
  }

  private Reply describeStacks() {
    String xml = DescribeStacksXml.of(
        "offhours",
        "UPDATE_COMPLETE",
        stackParameters,
        // One of offhours' own outputs: a stack with none is another application's (Target).
        Map.of("ResultsTableName", "offhours-results"));
    return new Reply(200, Map.of("Content-Type", "text/xml"), xml.getBytes(StandardCharsets.UTF_8));
  }
}
