package offhours.stack;

// Needs: target/classify.zip, target/controller.zip and target/api.zip, built by `mvn package`
// (failsafe runs this after it).

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageContentsIT {

  private static final Path TARGET =
      Path.of(System.getProperty("offhours.packageDirectory", "target"));
  private static final long CLASSIFY_MAX_BYTES =
      Long.getLong("offhours.classifyZipMaxBytes", 12_000_000L);

  private static LambdaPackage classify;
  private static LambdaPackage controller;

  @BeforeAll
  static void readPackages() throws Exception {
    classify = LambdaPackage.read(TARGET.resolve("classify.zip"));
    controller = LambdaPackage.read(TARGET.resolve("controller.zip"));
  }

  @Test
  void noPackageCarriesANativeLibrarySoEitherArchitectureRunsIt() throws Exception {
    // template.yaml's Architecture parameter lets a stack pick arm64 or x86_64 for every function.
    for (LambdaPackage p :
        List.of(classify, controller, LambdaPackage.read(TARGET.resolve("api.zip")))) {
      assertThat(p.nativeLibraries).as("native libraries in %s", p.zip).isEmpty();
    }
  }

  /**
   * README's deploy step gives each package's size as this build wrote it, in MB of 1,000,000 bytes to one decimal: a
   * dependency that grows a package changes the figure a deployer reads there.
   */
  @Test
  void theReadmeGivesEachPackagesSizeAsBuilt() throws Exception {
    String readme = Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");
    for (String name : List.of("classify", "controller", "api")) {
      long bytes = Files.size(TARGET.resolve(name + ".zip"));
      assertThat(readme)
          .as("README's size of target/%s.zip, %d bytes", name, bytes)
          .contains(
              String.format(java.util.Locale.ROOT, "`target/%s.zip` (%.1f MB)", name, bytes / 1e6));
    }
  }

  @Test
  void classifyZipIsAtMostTwelveMegabytes() throws Exception {
    assertThat(classify.size())
        .as("size of %s in bytes", classify.zip)
        .isLessThanOrEqualTo(CLASSIFY_MAX_BYTES);
  }

  @Test
  void classifyZipCarriesNeitherTheSageMakerControlPlaneNorLocalMode() {
    for (String forbidden : List.of(
        "software/amazon/awssdk/services/sagemaker/",
        "software/amazon/awssdk/services/lambda/",
        "software/amazon/awssdk/services/cloudformation/",
        "software/amazon/awssdk/services/cloudwatchlogs/",
        "software/amazon/awssdk/services/sts/",
        "software/amazon/awssdk/services/sso/",
        "software/amazon/awssdk/services/ssooidc/",
        "software/amazon/awssdk/services/servicequotas/",
        "offhours/stack/QuotaNeeds",
        "ai/onnxruntime/",
        "offhours/local/",
        "offhours/cli/",
        "offhours/endpoint/",
        "offhours/testing/",
        "org/apache/http/",
        "software/amazon/awssdk/http/apache/",
        "io/netty/",
        "software/amazon/awssdk/http/nio/netty/")) {
      assertThat(classify.classesUnder(forbidden))
          .as("classes under %s in classify.zip", forbidden)
          .isEmpty();
    }
    // The runtime's own SageMaker client is the one Classify uses.
    assertThat(classify.classesUnder("software/amazon/awssdk/services/sagemakerruntime/"))
        .isNotEmpty();
  }

  @Test
  void controllerZipCarriesNeitherOnnxRuntimeNorLocalModeNorTheSimulation() {
    for (String forbidden : List.of(
        "ai/onnxruntime/",
        "offhours/local/",
        "offhours/cli/",
        "offhours/classify/",
        "offhours/endpoint/sim/",
        "offhours/testing/",
        "org/apache/http/",
        "io/netty/",
        "software/amazon/awssdk/services/sts/",
        "software/amazon/awssdk/services/sso/",
        "software/amazon/awssdk/services/ssooidc/",
        "software/amazon/awssdk/services/servicequotas/",
        "offhours/stack/QuotaNeeds")) {
      assertThat(controller.classesUnder(forbidden))
          .as("classes under %s in controller.zip", forbidden)
          .isEmpty();
    }
  }

  @Test
  void packagesUseLambdasLayoutClassesAtTheRootJarsUnderLib() {
    for (LambdaPackage p : List.of(classify, controller)) {
      assertThat(p.entries.keySet())
          .as("entries of %s", p.zip)
          .allSatisfy(name -> assertThat(name.endsWith(".class")
                  || (name.startsWith("lib/") && name.endsWith(".jar"))
                  || name.startsWith("META-INF/")
                  || name.startsWith("offhours/"))
              .as(name)
              .isTrue());
      assertThat(p.entries.keySet())
          .as("own classes of %s", p.zip)
          .contains("offhours/aws/AwsClients.class");
    }
    assertThat(controller.entries).containsKey("offhours/stack/StackSpec.class");
  }

  @Test
  void everyOwnClassFindsWhatItReferencesInsideItsPackage() {
    assertThat(classify.unresolvedReferences())
        .as("classes referenced by offhours code but missing from classify.zip")
        .isEmpty();
    assertThat(controller.unresolvedReferences())
        .as("classes referenced by offhours code but missing from controller.zip")
        .isEmpty();
  }

  @Test
  void classifyZipBuildsEverySdkClientItNeedsOnItsOwn(@TempDir Path dir) throws Exception {
    try (URLClassLoader loader = classify.isolatedClassLoader(dir)) {
      for (String client : List.of(
          "software.amazon.awssdk.services.s3.S3Client",
          "software.amazon.awssdk.services.sqs.SqsClient",
          "software.amazon.awssdk.services.dynamodb.DynamoDbClient",
          "software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient")) {
        assertThat(buildAndClose(loader, client)).as(client).endsWith("Client");
      }
    }
  }

  @Test
  void classifyZipCarriesNeitherTheLambdaEventTypesNorJodaTime() {
    // The handler reads its SQS event as JSON (a RequestStreamHandler), so the runtime's event
    // serializer, which needs aws-lambda-java-events and loads joda-time, never runs for it.
    assertThat(classify.classesUnder("com/amazonaws/services/lambda/runtime/events/"))
        .isEmpty();
    assertThat(classify.classesUnder("org/joda/")).isEmpty();
  }

  @Test
  void theHandlerFromClassifyZipAloneReadsAnEventFixtureAsLambdaSendsItAndWritesTheBatchResponse(
      @TempDir Path dir) throws Exception {
    try (URLClassLoader loader = classify.isolatedClassLoader(dir)) {
      Object config = loader
          .loadClass("offhours.classify.ClassifyConfig")
          .getMethod("fromEnv", Map.class)
          .invoke(
              null,
              Map.of(
                  "TABLE_NAME",
                  "t",
                  "QUEUE_URL",
                  "https://sqs.us-east-1.amazonaws.com/1/q",
                  "ENDPOINT_NAME",
                  "e",
                  "BUCKET_NAME",
                  "offhours-images",
                  "LABELS",
                  "a,b"));
      List<String> clients = List.of(
          "software.amazon.awssdk.services.s3.S3Client",
          "software.amazon.awssdk.services.sqs.SqsClient",
          "software.amazon.awssdk.services.dynamodb.DynamoDbClient",
          "software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient");
      List<Object> arguments = new ArrayList<>();
      List<Class<?>> types = new ArrayList<>();
      for (String client : clients) {
        arguments.add(build(loader, client));
        types.add(loader.loadClass(client));
      }
      arguments.addAll(List.of(config, java.time.Clock.systemUTC()));
      types.addAll(List.of(config.getClass(), java.time.Clock.class));
      Class<?> handlerType = loader.loadClass("offhours.classify.ClassifyHandler");
      Object handler = handlerType
          .getConstructor(types.toArray(Class<?>[]::new))
          .newInstance(arguments.toArray());
      Class<?> context = loader.loadClass("com.amazonaws.services.lambda.runtime.Context");
      ByteArrayOutputStream response = new ByteArrayOutputStream();

      // The TestEvent needs no AWS call: this is the event and response path alone, as Lambda
      // drives it.
      handlerType
          .getMethod("handleRequest", InputStream.class, OutputStream.class, context)
          .invoke(
              handler,
              Files.newInputStream(Path.of("events/sqs-s3-test-event.json")),
              response,
              null);

      assertThat(response.toString(StandardCharsets.UTF_8)).isEqualTo("{\"batchItemFailures\":[]}");
      for (Object client : arguments.subList(0, clients.size())) {
        ((AutoCloseable) client).close();
      }
    }
  }

  /**
   * Every entry of every package carries pom.xml's project.build.outputTimestamp, not a build's time, so the same
   * sources give the same bytes: sam deploy names an upload after its MD5, and a new CodeUri makes SAM publish a new
   * version of the function (SnapStart then prepares it), so a package that differed on every build would republish
   * all three functions on every deploy.
   */
  @Test
  void everyPackageEntryCarriesThePomsOutputTimestampSoABuildIsReproducible() throws Exception {
    Matcher m = Pattern.compile(
            "<project.build.outputTimestamp>([^<]+)</project.build.outputTimestamp>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).as("pom.xml sets project.build.outputTimestamp").isTrue();
    Instant stamp = Instant.parse(m.group(1));
    for (String name : List.of("classify.zip", "controller.zip", "api.zip")) {
      Set<Instant> times = new TreeSet<>();
      try (ZipFile zip = new ZipFile(TARGET.resolve(name).toFile())) {
        zip.stream().forEach(e -> times.add(e.getLastModifiedTime().toInstant()));
      }
      assertThat(times).as("entry times in %s", name).hasSize(1);
      // A zip entry's DOS time has no zone: it reads back shifted by the reader's offset from UTC.
      assertThat(Duration.between(stamp, times.iterator().next()).abs())
          .as("entry time in %s against %s", name, stamp)
          .isLessThanOrEqualTo(Duration.ofHours(14));
    }
  }

  @Test
  void controllerZipBuildsEverySdkClientItNeedsOnItsOwn(@TempDir Path dir) throws Exception {
    try (URLClassLoader loader = controller.isolatedClassLoader(dir)) {
      for (String client : List.of(
          "software.amazon.awssdk.services.sagemaker.SageMakerClient",
          "software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient",
          "software.amazon.awssdk.services.lambda.LambdaClient",
          "software.amazon.awssdk.services.sqs.SqsClient",
          "software.amazon.awssdk.services.dynamodb.DynamoDbClient",
          "software.amazon.awssdk.services.s3.S3Client",
          "software.amazon.awssdk.services.cloudformation.CloudFormationClient",
          "software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient")) {
        assertThat(buildAndClose(loader, client)).as(client).endsWith("Client");
      }
    }
  }

  /**
   * Builds {@code clientClass} with a region and anonymous credentials, using only classes from {@code loader};
   * the HTTP client is whatever the package provides (found by the SDK's service loader). Returns the class
   * name of the built client.
   */
  private static String buildAndClose(ClassLoader loader, String clientClass) throws Exception {
    try (AutoCloseable client = (AutoCloseable) build(loader, clientClass)) {
      return client.getClass().getName();
    }
  }

  /** As above, and the client stays open for the caller. */
  private static Object build(ClassLoader loader, String clientClass) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Object builder =
          Class.forName(clientClass, true, loader).getMethod("builder").invoke(null);
      Class<?> region = loader.loadClass("software.amazon.awssdk.regions.Region");
      Class<?> awsBuilder =
          loader.loadClass("software.amazon.awssdk.awscore.client.builder.AwsClientBuilder");
      awsBuilder
          .getMethod("region", region)
          .invoke(builder, region.getMethod("of", String.class).invoke(null, "eu-central-1"));
      Class<?> provider =
          loader.loadClass("software.amazon.awssdk.auth.credentials.AwsCredentialsProvider");
      Object anonymous = loader
          .loadClass("software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider")
          .getMethod("create")
          .invoke(null);
      awsBuilder.getMethod("credentialsProvider", provider).invoke(builder, anonymous);
      Method build =
          loader.loadClass("software.amazon.awssdk.utils.builder.SdkBuilder").getMethod("build");
      return build.invoke(builder);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
