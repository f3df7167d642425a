package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import offhours.api.ApiConfig;
import offhours.classify.ClassifyConfig;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.cfn.CleanupConfig;
import offhours.inference.ModelContract;
import org.junit.jupiter.api.Test;

/**
 * No value template.yaml accepts for a parameter is refused by the code that reads it. Each parameter's candidate
 * values (boundaries, pattern samples that match and that do not, allowed values) go through CloudFormation's checks
 * ({@link ParameterConstraints}); every value it accepts is then resolved through the template's wiring into each
 * function's environment and parsed by the same config readers the functions run at init (ClassifyConfig,
 * ControllerConfig, CleanupConfig), and a parameter that feeds a resource instead is checked against what that resource
 * accepts. A parameter without candidates here, or one that reaches neither a function nor a checker, fails the test:
 * a parameter added later cannot skip it.
 */
class ParameterConstraintsTest {

  private final Map<String, Object> template;
  private final ParameterConstraints constraints;

  ParameterConstraintsTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    constraints = new ParameterConstraints(template);
  }

  // ---------------------------------------------------------------- candidates

  /** Integers around every limit a parameter or a parser has, and forms CloudFormation or a parser may read apart. */
  static final List<String> INTEGERS = Stream.of(
          IntStream.rangeClosed(-1, 130).mapToObj(Integer::toString),
          Stream.of(
                  255,
                  256,
                  299,
                  300,
                  301,
                  719,
                  720,
                  721,
                  899,
                  900,
                  901,
                  999,
                  1000,
                  1001,
                  1439,
                  1440,
                  1441,
                  4999,
                  5000,
                  5001,
                  9999,
                  10000,
                  10001,
                  10079,
                  10080,
                  10081,
                  20159,
                  20160,
                  20161,
                  99999,
                  100000,
                  999999,
                  1000000,
                  1000001,
                  1209599,
                  1209600,
                  1209601,
                  Integer.MAX_VALUE)
              .map(String::valueOf),
          Stream.of(
              "2147483648",
              "9223372036854775807",
              "9223372036854775808",
              BigInteger.TEN.pow(30).toString(),
              "2.5",
              "10.0",
              "1e3",
              "007",
              "+5",
              "-0",
              " 5",
              "5 ",
              "",
              "five"))
      .flatMap(Function.identity())
      .distinct()
      .toList();

  static final Map<String, List<String>> CANDIDATES = candidates();

  private static Map<String, List<String>> candidates() {
    Map<String, List<String>> c = new LinkedHashMap<>();
    c.put(
        "ModelDataUrl",
        List.of(
            "s3://my-models/image-classification/model.tar.gz",
            "s3://abc/k.tar.gz",
            "s3://a.b-c/d/e.tar.gz",
            "s3://ab/.tar.gz",
            "s3://bucket/.tar.gz",
            "s3://abc/k",
            "s3://abc/model.onnx",
            "s3://abc/model.pt",
            "s3://abc/model.tgz",
            "s3://abc/model.tar",
            "s3://abc/model.TAR.GZ",
            "s3://abc/model.tar.gz/",
            "s3://abc/model.tar.gz.bak",
            "s3://Bucket/k.tar.gz",
            "s3://bucket/",
            "s3://bucket/models/*.tar.gz",
            "s3://bucket/model?.tar.gz",
            "s3://bucket/a/s3://other/b.tar.gz",
            "https://bucket.s3.amazonaws.com/k.tar.gz",
            ""));
    c.put(
        "ContainerImage",
        List.of(
            "811284229777.dkr.ecr.us-east-1.amazonaws.com/image-classification:1",
            "123456789012.dkr.ecr.eu-central-1.amazonaws.com/team/models/classifier@sha256:"
                + "a".repeat(64),
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/plain",
            "763104351884.dkr.ecr.us-west-2.amazonaws.com/huggingface-pytorch-inference:2.1.0-cpu-py310",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/UPPER:1",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/a//b",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag:x",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/a/*",
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/r@sha256:x",
            "image-classification:1",
            "docker.io/library/python:3.12",
            ""));
    c.put("EnableNetworkIsolation", List.of("true", "false", "True", "yes", ""));
    c.put(
        "InstanceType",
        List.of(
            "ml.m5.large", "ml.g4dn.xlarge", "ml.inf2.xlarge", "ml.p3.2xlarge", "m5.large", ""));
    c.put("InstanceCount", INTEGERS);
    c.put(
        "InstanceHourlyPriceUsd",
        List.of(
            "0",
            "0.0",
            "0.000000",
            "0.000001",
            "00.5",
            "0.115",
            "1.41",
            "99999.999999",
            "123456",
            "1".repeat(400),
            "1e3",
            "-1",
            "",
            ".5",
            "0.1.2",
            "0.1234567",
            "NaN",
            "Infinity"));
    c.put(
        "WorkingHours",
        List.of(
            "Mon-Fri 08:00-19:00",
            "",
            "24/7",
            "Mon,Wed 09:00-12:00; Sat 10:00-14:00",
            "Mon,Wed 09:00-12:00;Sat 10:00-14:00",
            "Fri 22:00-02:00",
            "Sat-Mon 10:00-12:00",
            "Mon-Sun 00:00-24:00",
            "Mon 08:00-24:00",
            "Mon 23:59-00:00",
            "Mon 08:00-08:00",
            "Mon 00:00-00:00",
            "Mon 08:00-09:00; Tue 10:00-10:00",
            "Mon 24:00-08:00",
            "Mon-Fri 8:00-19:00",
            "Mon-Fri 08:00-19:60",
            "Mon-Fri 08:00-25:00",
            "mon-fri 08:00-19:00",
            "Weekdays",
            "Mon-Fri",
            "08:00-19:00",
            "Mon-Fri 08:00-19:00;",
            "; Mon-Fri 08:00-19:00",
            "Mon-Fri  08:00-19:00",
            " Mon-Fri 08:00-19:00",
            "Mon-Fri-Sat 08:00-10:00",
            "Mon,,Tue 08:00-10:00",
            "Mon-Fri 08:00-19:00-20:00",
            "24/7; Mon 08:00-09:00"));
    c.put(
        "TimeZone",
        List.of(
            "Europe/Berlin",
            "UTC",
            "America/New_York",
            "America/Argentina/Buenos_Aires",
            "Asia/Kolkata",
            "Pacific/Chatham",
            "Europe/Berln",
            "Mars/Olympus",
            "Etc/UTC",
            "US/Eastern",
            "GMT+1",
            "-5",
            "+02:00",
            "UTC+3",
            "",
            "utc",
            "UTC+1",
            "GMT",
            "Etc/GMT+1",
            "EST",
            "Europe/Berlin "));
    c.put(
        "Holidays",
        List.of(
            "",
            "2026-12-24",
            "2026-12-24,2026-12-25",
            "2026-12-24, 2026-12-25",
            "2028-02-29",
            "2000-02-29",
            "2027-02-29",
            "2100-02-28",
            "2026-02-30",
            "2026-04-31",
            "2026-13-01",
            "2026-00-10",
            "2026-12-24,",
            ",2026-12-24",
            "2026-12-24,,2026-12-25",
            "24.12.2026",
            "2026-1-5",
            "1999-12-31",
            "+2026-12-24",
            "2026-12-24T00:00"));
    c.put("WakeBacklogMessages", INTEGERS);
    c.put("WakeBacklogAgeMinutes", INTEGERS);
    c.put("IdleStopMinutes", INTEGERS);
    c.put(
        "MaxWaitMinutes",
        List.of(
            "60",
            "0",
            "15",
            "20160",
            "20161",
            "next-opening",
            "Next-Opening",
            "next opening",
            "060",
            "-1",
            "1.5",
            "",
            " 60",
            "99999"));
    c.put("CreateTimeoutMinutes", INTEGERS);
    c.put("DrainTimeoutMinutes", INTEGERS);
    c.put(
        "Labels",
        List.of(
            "Drawing,Hentai,Neutral,Porn,Sexy",
            "cat",
            "cat,dog",
            " cat , dog ",
            "a,,b",
            "猫,犬",
            "cat\ndog",
            "cat\tdog",
            "cat,\ndog",
            "\tcat\t,dog\r\n",
            "cat\u007f",
            "ca\u0085t",
            "cat\u0001,dog",
            "",
            ",",
            " , ",
            " ",
            "\u2003",
            "\u001f",
            "\u00a0",
            "\u3000,\u2028"));
    c.put(
        "LabelsS3Uri",
        List.of(
            "",
            "s3://labels-bucket/labels.txt",
            "s3://labels-bucket/a/b.txt",
            "s3://ab/k",
            "s3://labels-bucket/*",
            "s3://labels-bucket/a/s3://x/y",
            "http://labels-bucket/labels.txt",
            "s3://labels-bucket"));
    c.put(
        "ContentType",
        List.of(
            "application/x-image",
            "auto",
            "image/jpeg",
            "image/png",
            "application/octet-stream",
            "image/jpeg; q=1",
            "Auto",
            "AUTO",
            "json",
            "image/",
            "/jpeg",
            "image/*",
            "",
            " ",
            "image/jpeg\n",
            "auto;x",
            "image/" + "x".repeat(58),
            "image/" + "x".repeat(59)));
    c.put(
        "Accept",
        List.of(
            "application/json",
            "application/json;verbose",
            "application/json; verbose",
            "*/*",
            "text/csv",
            "json",
            "",
            " ",
            "application/",
            "application/json\r\nX: y",
            "auto",
            "application/" + "j".repeat(52),
            "application/" + "j".repeat(53)));
    c.put(
        "Hosting",
        List.of(
            "scheduled",
            "scale-to-zero",
            "serverless",
            "Scheduled",
            "scale_to_zero",
            "realtime",
            ""));
    c.put(
        "ServerlessMemorySizeInMB",
        List.of("1024", "2048", "6144", "1000", "1536", "7168", "0", "", "2 GB"));
    c.put("ServerlessMaxConcurrency", List.of("2", "10", "200", "1", "0", "201", "7", "", "ten"));
    c.put(
        "ContainerEnvironment",
        List.of(
            "",
            "HF_MODEL_ID=google/vit-base-patch16-224,HF_TASK=image-classification",
            "HF_TASK=image-classification",
            "SAGEMAKER_PROGRAM=inference.py,SAGEMAKER_SUBMIT_DIRECTORY=/opt/ml/model/code",
            "HF_MODEL_REVISION=main",
            "SAGEMAKER_MODEL_SERVER_WORKERS=2,SAGEMAKER_MODEL_SERVER_TIMEOUT=120",
            "SAGEMAKER_CONTAINER_LOG_LEVEL=20",
            "HF_TASK=a,HF_TASK=b",
            "HF_TASK=a,HF_MODEL_ID=b,HF_TASK=c",
            "LD_PRELOAD=/tmp/x.so",
            "HF_TASK",
            "HF_TASK=",
            "HF_TASK=a,",
            ",HF_TASK=a",
            "HF_TASK=a b",
            "HF_TASK=$(id)",
            "HF_TASK=a=b",
            "hf_task=a",
            "HF_TASK=" + "a".repeat(257),
            "HF_TASK=a;HF_MODEL_ID=b"));
    c.put(
        "Scores",
        List.of("auto", "probabilities", "logits", "Auto", "LOGITS", "softmax", "", " auto"));
    c.put("MaxDeferrals", INTEGERS);
    c.put("TopK", INTEGERS);
    c.put("BatchSize", INTEGERS);
    c.put("BatchingWindowSeconds", INTEGERS);
    c.put("MaximumConcurrency", INTEGERS);
    c.put("BatchConcurrency", INTEGERS);
    c.put("DeferSeconds", INTEGERS);
    c.put("MaxReceiveCount", INTEGERS);
    c.put(
        "AlarmEmail",
        List.of(
            "",
            "ops@example.com",
            "a.b+c@sub.example.org",
            "ops",
            "ops@example",
            "two words@example.com",
            "a@b@c.com"));
    c.put(
        "AlarmTopicArn",
        List.of(
            "",
            "arn:aws:sns:us-east-1:123456789012:team-alerts",
            "arn:aws-cn:sns:cn-north-1:123456789012:t",
            "arn:aws:sns:us-east-1:123456789012:t.fifo",
            "arn:aws:sqs:us-east-1:123456789012:q",
            "team-alerts",
            "arn:aws:sns:us-east-1:1234:t"));
    c.put("ApiRateLimit", INTEGERS);
    c.put("ApiBurstLimit", INTEGERS);
    c.put("SnapStart", List.of("true", "false", "True", "None", ""));
    c.put("Dashboard", List.of("true", "false", "True", "yes", ""));
    c.put("Architecture", List.of("arm64", "x86_64", "x86-64", "ARM64", ""));
    c.put(
        "LiveVersionsRevision",
        List.of(
            "1",
            "2",
            "2026-12-03",
            "after-rollback.2",
            "a".repeat(64),
            "",
            "a b",
            "a".repeat(65),
            "x/y"));
    c.put(
        "OldestMessageAlarmSeconds",
        List.of(
            "300", "172800", "1209600", "299", "1209601", "3600.5", "1e5", "-1", "0", "", "abc"));
    // CloudWatch Logs' retention periods, and numbers between and around them.
    c.put(
        "LogRetentionDays",
        List.of("1", "7", "30", "1096", "3653", "0", "2", "31", "3654", "30.0", "", "forever"));
    return c;
  }

  /** Parameters varied together (a rule ties them, or the code reads them together), with fewer candidates each. */
  static final List<Map<String, List<String>>> TOGETHER = List.of(
      Map.of("Labels", CANDIDATES.get("Labels"), "LabelsS3Uri", CANDIDATES.get("LabelsS3Uri")),
      Map.of(
          "BatchSize",
          List.of(
              "1", "2", "3", "4", "5", "8", "10", "11", "16", "20", "25", "32", "50", "64", "100",
              "128", "129", "200", "10000"),
          "BatchConcurrency",
          List.of("1", "2", "3", "4", "8", "16", "32", "64", "65"),
          "BatchingWindowSeconds",
          List.of("0", "1", "5", "300")),
      // Hosting serverless: CPU only, and the trigger within the endpoint's concurrency.
      Map.of(
          "Hosting",
          List.of("scheduled", "serverless"),
          "InstanceType",
          List.of("ml.m5.large", "ml.c5.2xlarge", "ml.g4dn.xlarge", "ml.inf2.xlarge"),
          "MaximumConcurrency",
          List.of("2", "5", "10", "11", "50", "51", "200", "201", "1000"),
          "ServerlessMaxConcurrency",
          List.of("2", "5", "10", "50", "200"),
          "ServerlessMemorySizeInMB",
          List.of("1024", "6144")));

  // ---------------------------------------------------------------- what the code accepts

  /**
   * Parameters that reach no function's environment, with what their resource accepts; each returns why it refuses the
   * stack's value, or null.
   */
  private static Map<String, Function<StackResolver, String>> resourceCheckers() {
    Map<String, Function<StackResolver, String>> c = new HashMap<>();
    c.put("ModelDataUrl", ParameterConstraintsTest::modelArtifact);
    c.put("ContainerImage", ParameterConstraintsTest::imageRepository);
    c.put(
        "EnableNetworkIsolation",
        s -> Set.of("true", "false")
                .contains(String.valueOf(s.properties("Model").get("EnableNetworkIsolation")))
            ? null
            : "the Model's EnableNetworkIsolation is a boolean");
    c.put("BatchSize", ParameterConstraintsTest::trigger);
    c.put("BatchingWindowSeconds", ParameterConstraintsTest::trigger);
    c.put("MaximumConcurrency", ParameterConstraintsTest::trigger);
    c.put(
        "MaxReceiveCount",
        s -> refusedBy(() -> new StackSpec.Queue(
            StackSpec.Queue.MAX_RETENTION_SECONDS,
            StackSpec.QUEUE.visibilityTimeoutSeconds(),
            Integer.parseInt(
                String.valueOf(StackResolver.map(s.properties("ImagesQueue").get("RedrivePolicy"))
                    .get("maxReceiveCount"))))));
    c.put("AlarmEmail", s -> {
      String email = s.parameters().get("AlarmEmail");
      // An SNS e-mail subscription needs one address: a local part, @, a domain with a dot, no
      // spaces.
      return email.isEmpty() || email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")
          ? null
          : "not an e-mail address";
    });
    c.put("AlarmTopicArn", s -> {
      String arn = s.parameters().get("AlarmTopicArn");
      String[] parts = arn.split(":", -1);
      boolean ok = arn.isEmpty()
          || (parts.length == 6
              && parts[0].equals("arn")
              && parts[1].startsWith("aws")
              && parts[2].equals("sns")
              && parts[4].matches("[0-9]{12}")
              && !parts[5].isEmpty()
              && !parts[5].endsWith(".fifo"));
      return ok ? null : "CloudWatch alarms publish to a standard SNS topic's ARN";
    });
    // API Gateway's route throttling: a rate (requests per second, a double) and a burst (a whole
    // number), both positive here: 0 would refuse every request. The functions read HOSTING through
    // Hosting.parse.
    c.put(
        "Hosting",
        s -> refusedBy(() -> Hosting.parse(s.environment("ControllerFunction").get("HOSTING"))));
    c.put("InstanceType", ParameterConstraintsTest::serverlessOnCpu);
    c.put("ServerlessMemorySizeInMB", ParameterConstraintsTest::serverlessConfig);
    c.put("ServerlessMaxConcurrency", ParameterConstraintsTest::serverlessConfig);
    c.put(
        "ContainerEnvironment",
        s -> refusedBy(() -> {
          Map<String, String> parsed =
              ContainerEnvironment.parse(s.parameters().get("ContainerEnvironment"));
          Object env =
              StackResolver.map(s.properties("Model").get("PrimaryContainer")).get("Environment");
          if (!parsed.equals(env == null ? Map.of() : StackResolver.map(env))) {
            throw new IllegalArgumentException(
                "the Model's Environment is " + env + ", the parser reads " + parsed);
          }
        }));
    c.put(
        "ApiRateLimit",
        s -> refusedBy(() -> positiveWholeNumber(s.parameters().get("ApiRateLimit"))));
    c.put(
        "ApiBurstLimit",
        s -> refusedBy(() -> positiveWholeNumber(s.parameters().get("ApiBurstLimit"))));
    c.put(
        "OldestMessageAlarmSeconds",
        s -> refusedBy(() -> {
          double seconds = Double.parseDouble(s.parameters().get("OldestMessageAlarmSeconds"));
          if (!(seconds >= 60 && seconds <= StackSpec.Queue.MAX_RETENTION_SECONDS)) {
            throw new IllegalArgumentException(
                "an age alarm must lie within SQS' retention to ever fire: " + seconds);
          }
        }));
    c.put("SnapStart", ParameterConstraintsTest::snapStart);
    // It reaches no function: it decides whether the stack has its dashboard, whose body must be
    // JSON (DashboardTest checks what the body shows).
    c.put("Dashboard", ParameterConstraintsTest::dashboard);
    // It reaches no function: it is in LiveVersions' Settings, so that a change of it alone updates
    // that resource.
    c.put(
        "LiveVersionsRevision",
        s -> StackResolver.list(s.properties("LiveVersions").get("Settings"))
                .contains(s.parameters().get("LiveVersionsRevision"))
            ? null
            : "LiveVersions' Settings do not carry LiveVersionsRevision");
    // Lambda takes one architecture per function, arm64 or x86_64
    // (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html).
    c.put(
        "Architecture",
        s -> Set.of(List.of("arm64"), List.of("x86_64"))
                .contains(s.functionGlobals().get("Architectures"))
            ? null
            : "Lambda refuses Architectures " + s.functionGlobals().get("Architectures"));
    return c;
  }

  /** The dashboard exists exactly with Dashboard=true, and CloudWatch can read its body as JSON. */
  private static String dashboard(StackResolver s) {
    Object condition = s.resource("StackDashboard").get("Condition");
    boolean created = s.condition(String.valueOf(condition));
    if (created != "true".equals(s.parameters().get("Dashboard"))) {
      return "Dashboard=" + s.parameters().get("Dashboard") + (created ? " creates" : " omits")
          + " the dashboard";
    }
    return !created
        ? null
        : refusedBy(() -> {
          try {
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(String.valueOf(s.properties("StackDashboard").get("DashboardBody")));
          } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the dashboard body is not JSON: " + e.getMessage());
          }
        });
  }

  /** Serverless inference has no GPU or Inferentia (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html). */
  private static String serverlessOnCpu(StackResolver s) {
    String type = s.parameters().get("InstanceType");
    return "serverless".equals(s.parameters().get("Hosting")) && !type.matches("ml\\.(m5|c5)\\..*")
        ? "serverless inference runs on CPU only, not on " + type
        : null;
  }

  /**
   * The endpoint config as SageMaker accepts a serverless variant (MemorySizeInMB 1024-6144 in 1 GB steps,
   * MaxConcurrency 1-200, no instances:
   * https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantServerlessConfig.html), and the
   * trigger within its concurrency.
   */
  private static String serverlessConfig(StackResolver s) {
    Map<String, Object> variant = StackResolver.map(
        StackResolver.list(s.properties("EndpointConfig").get("ProductionVariants"))
            .get(0));
    Object config = variant.get("ServerlessConfig");
    if (!"serverless".equals(s.parameters().get("Hosting"))) {
      return config == null ? null : "a ServerlessConfig on a real-time endpoint config";
    }
    return refusedBy(() -> {
      Map<String, Object> c = StackResolver.map(config);
      int memory = Integer.parseInt(String.valueOf(c.get("MemorySizeInMB")));
      int max = Integer.parseInt(String.valueOf(c.get("MaxConcurrency")));
      if (memory < 1024
          || memory > 6144
          || memory % 1024 != 0
          || max < 1
          || max > 200
          || variant.containsKey("InstanceType")
          || variant.containsKey("InitialInstanceCount")) {
        throw new IllegalArgumentException("SageMaker refuses the serverless variant " + variant);
      }
      int trigger =
          Integer.parseInt(String.valueOf(StackResolver.map(StackResolver.map(StackResolver.path(
                      s.properties("ClassifyFunction"), "Events", "Queue", "Properties"))
                  .get("ScalingConfig"))
              .get("MaximumConcurrency")));
      if (trigger > max) {
        throw new IllegalArgumentException("the trigger's MaximumConcurrency " + trigger
            + " exceeds the serverless" + " endpoint's MaxConcurrency " + max);
      }
    });
  }

  /**
   * Lambda takes SnapStart ApplyOn PublishedVersions or None
   * (https://docs.aws.amazon.com/lambda/latest/api/API_SnapStart.html); every function with it keeps its alias.
   */
  private static String snapStart(StackResolver s) {
    String wanted = "true".equals(s.parameters().get("SnapStart")) ? "PublishedVersions" : "None";
    for (var r : s.resources().entrySet()) {
      if (!"AWS::Serverless::Function".equals(s.type(r.getKey()))
          || !s.properties(r.getKey()).containsKey("SnapStart")) {
        continue;
      }
      Map<String, Object> p = s.properties(r.getKey());
      Object applyOn = StackResolver.map(p.get("SnapStart")).get("ApplyOn");
      if (!wanted.equals(applyOn) || !StackSpec.FUNCTION_ALIAS.equals(p.get("AutoPublishAlias"))) {
        return r.getKey() + " has SnapStart ApplyOn " + applyOn + " and alias "
            + p.get("AutoPublishAlias") + ", not " + wanted + " under " + StackSpec.FUNCTION_ALIAS;
      }
    }
    return null;
  }

  private static void positiveWholeNumber(String value) {
    if (!value.matches("[1-9][0-9]*") || Long.parseLong(value) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "API Gateway's throttling takes a positive whole number, got '" + value + "'");
    }
  }

  /** What the functions read at init, from their environment as the template sets it; null when all accept it. */
  private static String functionsRefuse(StackResolver stack) {
    String classify =
        refusedBy(() -> ClassifyConfig.fromEnv(stack.environment("ClassifyFunction")));
    if (classify != null) {
      return "ClassifyConfig: " + classify;
    }
    String controller =
        refusedBy(() -> ControllerConfig.fromEnvironment(stack.environment("ControllerFunction")));
    if (controller != null) {
      return "ControllerConfig: " + controller;
    }
    String cleanup = refusedBy(
        () -> CleanupConfig.fromEnvironment(stack.environment("EndpointCleanupFunction")));
    if (cleanup != null) {
      return "CleanupConfig: " + cleanup;
    }
    String api = refusedBy(() -> ApiConfig.fromEnv(stack.environment("ApiFunction")));
    return api == null ? null : "ApiConfig: " + api;
  }

  /**
   * A ModelDataUrl is a gzip-compressed tar whose key ends in .tar.gz, as API_ContainerDefinition asks: a model.onnx or
   * a model.pt passes CreateModel and fails the endpoint when SageMaker cannot extract it. The SageMaker role may read
   * the objects of the bucket of the artifact the Model names, and no others.
   */
  private static String modelArtifact(StackResolver stack) {
    String url = stack.parameters().get("ModelDataUrl");
    Object named =
        StackResolver.map(stack.properties("Model").get("PrimaryContainer")).get("ModelDataUrl");
    if (!url.isEmpty() && !url.endsWith(".tar.gz")) {
      return "SageMaker extracts the artifact as a .tar.gz, and " + url + " is not one";
    }
    if (url.isEmpty()) {
      boolean grants = IamRole.atMost(stack, "SageMakerExecutionRole").grants().stream()
          .anyMatch(g -> g.action().equals("s3:GetObject"));
      return named == null && !grants
          ? null
          : "no artifact, yet the Model names " + named + " or the role reads one";
    }
    if (!url.equals(named)) {
      return "the Model's ModelDataUrl is " + named + ", not " + url;
    }
    List<String> readable = IamRole.atMost(stack, "SageMakerExecutionRole").grants().stream()
        .filter(g -> g.action().equals("s3:GetObject"))
        .map(IamRole.Grant::resource)
        .toList();
    String bucket = url.substring("s3://".length()).split("/", 2)[0];
    String expected = "arn:" + stack.stack().partition() + ":s3:::" + bucket + "/*";
    return readable.equals(List.of(expected))
        ? null
        : "the SageMaker role may read " + readable + ", not exactly " + expected;
  }

  private static final Pattern ECR_IMAGE =
      Pattern.compile("([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com"
          + "(\\.cn)?/((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*)(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
          + "|@sha256:[a-f0-9]{64})?");

  /** SageMaker pulls the image: it must be an ECR image URI, and the role may pull exactly its repository. */
  private static String imageRepository(StackResolver stack) {
    String image = stack.parameters().get("ContainerImage");
    Matcher m = ECR_IMAGE.matcher(image);
    if (!m.matches()) {
      return "not an ECR image URI with a valid repository name, tag or digest";
    }
    String expected = "arn:" + stack.stack().partition() + ":ecr:" + m.group(2) + ":" + m.group(1)
        + ":repository/" + m.group(4);
    String[] pullable;
    try {
      pullable = IamRole.atMost(stack, "SageMakerExecutionRole").grants().stream()
          .filter(g -> g.action().equals("ecr:BatchGetImage"))
          .map(IamRole.Grant::resource)
          .toArray(String[]::new);
    } catch (IllegalArgumentException e) {
      return "the template cannot derive the repository: " + e.getMessage();
    }
    return List.of(pullable).equals(List.of(expected))
        ? null
        : "the SageMaker role may pull " + List.of(pullable) + ", not exactly " + expected;
  }

  /** The SQS trigger as Lambda accepts it (StackSpec.Trigger), and a batch that fits the function's timeout. */
  private static String trigger(StackResolver stack) {
    Map<String, Object> sqs = StackResolver.map(
        StackResolver.path(stack.properties("ClassifyFunction"), "Events", "Queue", "Properties"));
    return refusedBy(() -> {
      int batchSize = Integer.parseInt(String.valueOf(sqs.get("BatchSize")));
      new StackSpec.Trigger(
          batchSize,
          Integer.parseInt(String.valueOf(sqs.get("MaximumBatchingWindowInSeconds"))),
          Integer.parseInt(String.valueOf(
              StackResolver.map(sqs.get("ScalingConfig")).get("MaximumConcurrency"))));
      int concurrency =
          Integer.parseInt(stack.environment("ClassifyFunction").get("BATCH_CONCURRENCY"));
      if (batchSize > StackSpec.maxBatchSize(concurrency)) {
        throw new IllegalArgumentException(
            "a batch of " + batchSize + " at " + concurrency + " at a time does not fit"
                + " the function's timeout: at most " + StackSpec.maxBatchSize(concurrency));
      }
    });
  }

  private static String refusedBy(Runnable reader) {
    try {
      reader.run();
      return null;
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }

  /** Parameters some function's Environment refers to (Ref or ${Name} in a Sub). */
  private Set<String> wiredToFunctions() {
    Set<String> wired = new TreeSet<>();
    StackResolver.map(template.get("Resources")).forEach((name, r) -> {
      Map<String, Object> resource = StackResolver.map(r);
      if ("AWS::Serverless::Function".equals(resource.get("Type"))) {
        collect(
            StackResolver.path(StackResolver.map(resource.get("Properties")), "Environment"),
            wired);
      }
    });
    wired.retainAll(constraints.declarations().keySet());
    return wired;
  }

  private static void collect(Object node, Set<String> names) {
    if (node instanceof Map<?, ?> m) {
      if (m.get("Ref") instanceof String ref) {
        names.add(ref);
      }
      if (m.get("Fn::Sub") != null) {
        Object sub = m.get("Fn::Sub");
        String text = String.valueOf(sub instanceof List<?> l ? l.get(0) : sub);
        Matcher v = Pattern.compile("\\$\\{([A-Za-z0-9]+)}").matcher(text);
        while (v.find()) {
          names.add(v.group(1));
        }
      }
      m.values().forEach(v -> collect(v, names));
    } else if (node instanceof List<?> l) {
      l.forEach(v -> collect(v, names));
    }
  }

  // ---------------------------------------------------------------- the checks

  private StackResolver stack(Map<String, String> values) {
    Map<String, String> all = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    all.putAll(values);
    return new StackResolver(template, FakeStack.create(all));
  }

  /** Why the code refuses what the template accepts for these values, or null (also when the template refuses them). */
  private String mismatch(
      Map<String, String> values, Map<String, Function<StackResolver, String>> checkers) {
    StackResolver stack = stack(values);
    if (!constraints.refusals(stack).isEmpty()) {
      return null;
    }
    String refusal = functionsRefuse(stack);
    for (String varied : values.keySet()) {
      if (refusal == null && checkers.containsKey(varied)) {
        refusal = checkers.get(varied).apply(stack);
      }
    }
    return refusal == null ? null : "template.yaml accepts " + values + " but " + refusal;
  }

  @Test
  void everyParameterHasCandidatesAndReachesAFunctionOrAChecker() {
    Set<String> wired = wiredToFunctions();
    Set<String> checked = resourceCheckers().keySet();
    assertThat(constraints.declarations().keySet()).allSatisfy(p -> {
      assertThat(CANDIDATES)
          .as("candidate values for %s in %s", p, getClass().getSimpleName())
          .containsKey(p);
      assertThat(wired.contains(p) || checked.contains(p))
          .as("%s reaches no function's environment and has no resource checker here", p)
          .isTrue();
    });
    assertThat(CANDIDATES.keySet())
        .as("candidates for parameters the template no longer has")
        .isSubsetOf(constraints.declarations().keySet());
  }

  @Test
  void theDefaultsAreAcceptedByTheTemplateAndTheCode() {
    StackResolver defaults = stack(Map.of());
    assertThat(constraints.refusals(defaults)).isEmpty();
    assertThat(functionsRefuse(defaults)).isNull();
    resourceCheckers()
        .forEach((p, check) -> assertThat(check.apply(defaults)).as(p).isNull());
  }

  @Test
  void noValueTheTemplateAcceptsIsRefusedByTheCodeThatReadsIt() {
    Map<String, Function<StackResolver, String>> checkers = resourceCheckers();
    List<String> mismatches = new ArrayList<>();
    CANDIDATES.forEach((parameter, values) -> {
      for (String value : values) {
        String m = mismatch(Map.of(parameter, value), checkers);
        if (m != null) {
          mismatches.add(m);
        }
      }
    });
    assertThat(mismatches).isEmpty();
  }

  @Test
  void noCombinationTheTemplateAcceptsIsRefusedByTheCode() {
    Map<String, Function<StackResolver, String>> checkers = resourceCheckers();
    List<String> mismatches = new ArrayList<>();
    for (Map<String, List<String>> group : TOGETHER) {
      for (Map<String, String> values : combinations(group)) {
        String m = mismatch(values, checkers);
        if (m != null) {
          mismatches.add(m);
        }
      }
    }
    assertThat(mismatches).isEmpty();
  }

  /** Every combination of the group's candidates that each parameter's own constraints allow. */
  private List<Map<String, String>> combinations(Map<String, List<String>> group) {
    List<Map<String, String>> out = new ArrayList<>();
    out.add(Map.of());
    for (String p : group.keySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : out) {
        for (String value : group.get(p)) {
          if (constraints.refusal(p, value) == null) {
            Map<String, String> m = new HashMap<>(partial);
            m.put(p, value);
            next.add(m);
          }
        }
      }
      out = next;
    }
    return out;
  }

  /**
   * The function refuses a label with a control character (ModelContract): the template's Labels refuses one inside a
   * name and keeps taking tabs and line breaks around names, which strip() drops.
   */
  @Test
  void labelsTakeBlanksAroundNamesButNoControlCharacterInOne() {
    for (String ok : new String[] {"cat,dog", "cat,\ndog", "\tcat\t,dog\r\n", " cat , big dog "}) {
      assertThat(constraints.refusal("Labels", ok)).as("'%s'", ok).isNull();
    }
    for (String bad :
        new String[] {"cat\tdog", "cat\ndog", "cat\u007f", "ca\u0085t", "cat\u0001,dog"}) {
      assertThat(constraints.refusal("Labels", bad)).as("'%s'", bad).isNotNull();
    }
  }

  /**
   * The cap on the model's media types is one fact: the template's ContentType and Accept MaxLength is the constant the
   * functions and local mode's --content-type and --accept read by (ModelContract), and the candidates reach past it.
   */
  @Test
  void contentTypeAndAcceptAreCappedAtTheLengthTheCodeTakes() {
    for (String p : List.of("ContentType", "Accept")) {
      assertThat(StackResolver.map(constraints.declarations().get(p)).get("MaxLength"))
          .as("%s's MaxLength", p)
          .hasToString(String.valueOf(ModelContract.MAX_MEDIA_TYPE_LENGTH));
      assertThat(CANDIDATES.get(p))
          .as("a candidate of %s at the cap and one past it", p)
          .anySatisfy(v -> assertThat(v).hasSize(ModelContract.MAX_MEDIA_TYPE_LENGTH))
          .anySatisfy(v -> assertThat(v).hasSize(ModelContract.MAX_MEDIA_TYPE_LENGTH + 1));
    }
    String tooLong = "image/" + "x".repeat(ModelContract.MAX_MEDIA_TYPE_LENGTH - 5);
    assertThat(constraints.refusal("ContentType", tooLong)).isNotNull();
    assertThatThrownBy(() -> ModelContract.fromEnv(Map.of("CONTENT_TYPE", tooLong)))
        .hasMessageStartingWith("CONTENT_TYPE must be at most 64 characters");
    assertThatThrownBy(() -> ModelContract.fromEnv(Map.of("ACCEPT", tooLong)))
        .hasMessageStartingWith("ACCEPT must be at most 64 characters");
  }

  @Test
  void eachConstraintRefusesWhatTheCodeRefuses() {
    // The test above is only as good as its candidates: each parameter must have some value the
    // template refuses, or its candidates probe nothing.
    assertThat(CANDIDATES)
        .allSatisfy((p, values) -> assertThat(values)
            .as("a candidate of %s that template.yaml refuses", p)
            .anySatisfy(v -> assertThat(constraints.refusal(p, v)).isNotNull()));
  }
}
