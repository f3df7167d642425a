package offhours.local;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import offhours.api.Api;
import offhours.api.ApiConfig;
import offhours.api.ApiHandler;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.classify.ClassifyConfig;
import offhours.classify.ClassifyHandler;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.ControllerHandler;
import offhours.local.api.LocalApiGateway;
import offhours.local.lambda.LocalLambda;
import offhours.local.lambda.LocalScheduler;
import offhours.local.model.DefaultModel;
import offhours.local.model.ModelFiles;
import offhours.local.model.OnnxContainer;
import offhours.local.moto.MotoServer;
import offhours.local.sagemaker.ContainerLauncher;
import offhours.local.sagemaker.LocalSageMaker;
import offhours.local.sagemaker.ModelContainer;
import offhours.stack.StackSpec;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionResponseType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantInstanceType;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The whole pipeline on one machine: moto_server (S3 with notifications to SQS, SQS, DynamoDB), the local
 * SageMaker with the model container, and the local Lambda running the same Classify and controller handlers
 * as on AWS, wired with the same names and settings as template.yaml ({@link StackSpec}).
 *
 * <p>The endpoint starts absent and the mapping disabled, exactly as after {@code sam deploy}; the controller
 * (run every {@link Options#controllerTick}) creates the endpoint when its policy says so and enables the
 * mapping once a test invocation succeeds.
 */
public final class LocalStack implements AutoCloseable {

  public static final String CONTROLLER_FUNCTION = "offhours-controller";
  static final String ONNX_IMAGE = "offhours-local/onnx";
  static final String REGION = "us-east-1";

  /**
   * How to run the local stack.
   *
   * @param model a user ONNX model instead of the default nsfwjs MobileNetV2 (needs {@code labels})
   * @param containerCommand a user container command speaking the SageMaker contract; {@code labels} are needed
   *     unless its answers name their classes
   * @param controller controller variables that replace local mode's defaults (see {@link #controllerDefaults})
   * @param modelSettings how Classify and the controller's probe call the model (CONTENT_TYPE, ACCEPT, SCORES)
   */
  public record Options(Path cacheDir, Optional<Path> model, Optional<Path> labels, Optional<String> containerCommand,
      Duration creatingDelay, Duration controllerTick, Map<String, String> controller,
      Map<String, String> modelSettings) {

    public Options {
      Objects.requireNonNull(cacheDir, "cacheDir");
      controller = Map.copyOf(controller);
      modelSettings = Map.copyOf(modelSettings);
      if (model.isPresent() && labels.isEmpty()) {
        throw new IllegalArgumentException(
            "--labels FILE is required with --model: one class name per line, in the order of the model's outputs");
      }
      if (model.isPresent() && containerCommand.isPresent()) {
        throw new IllegalArgumentException("choose one of --model and --container-command, not both");
      }
    }

    public Options(Path cacheDir, Optional<Path> model, Optional<Path> labels, Optional<String> containerCommand,
        Duration creatingDelay, Duration controllerTick, Map<String, String> controller) {
      this(cacheDir, model, labels, containerCommand, creatingDelay, controllerTick, controller, Map.of());
    }

    public static Options defaults(Path cacheDir) {
      return new Options(cacheDir, Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(3),
          Duration.ofSeconds(2), Map.of());
    }

    public Options withController(Map<String, String> overrides) {
      Map<String, String> merged = new HashMap<>(controller);
      merged.putAll(overrides);
      return new Options(cacheDir, model, labels, containerCommand, creatingDelay, controllerTick, merged, modelSettings);
    }

    public Options withModelSettings(Map<String, String> settings) {
      return new Options(cacheDir, model, labels, containerCommand, creatingDelay, controllerTick, controller, settings);
    }
  }

  /**
   * Local mode's controller policy: no working hours, wake as soon as one upload waits, stop after one idle
   * minute. So the endpoint sleeps until there is work, as the design intends, and a demo shows a whole cycle.
   */
  public static Map<String, String> controllerDefaults() {
    return Map.of(
        "TIME_ZONE", ZoneId.systemDefault().getId(),
        "WORKING_HOURS", "",
        "WAKE_BACKLOG_MESSAGES", "1",
        "IDLE_STOP_MINUTES", "1",
        "CREATE_TIMEOUT_MINUTES", "5",
        "DRAIN_TIMEOUT_MINUTES", "2");
  }

  private final Deque<AutoCloseable> resources;
  private final MotoServer moto;
  private final LocalSageMaker sageMaker;
  private final LocalLambda lambda;
  private final LocalScheduler scheduler;
  private final LocalApiGateway api;
  private final AwsClients clients;
  private final StackSpec.Names names;
  private final LocalResources.Provisioned provisioned;
  private final String mappingUuid;
  private final List<String> labels;
  private final S3Client s3;
  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;

  private LocalStack(Builder b) {
    this.resources = b.resources;
    this.moto = b.moto;
    this.sageMaker = b.sageMaker;
    this.lambda = b.lambda;
    this.scheduler = b.scheduler;
    this.api = b.api;
    this.clients = b.clients;
    this.names = b.names;
    this.provisioned = b.provisioned;
    this.mappingUuid = b.mappingUuid;
    this.labels = b.labels;
    this.s3 = b.s3;
    this.sqs = b.sqs;
    this.dynamoDb = b.dynamoDb;
  }

  /** Starts every service; on failure everything started so far is stopped again. */
  public static LocalStack start(Options options, PrintStream progress) throws IOException {
    return start(options, progress, Clock.systemUTC());
  }

  /**
   * As {@link #start(Options, PrintStream)}, with the controller (and its scheduler's events) reading the time from
   * {@code controllerClock}: tests move it across a schedule's opening or a DST change while everything else runs in
   * real time.
   */
  public static LocalStack start(Options options, PrintStream progress, Clock controllerClock) throws IOException {
    Objects.requireNonNull(controllerClock, "controllerClock");
    Builder b = new Builder();
    try {
      b.build(options, progress, controllerClock);
      return new LocalStack(b);
    } catch (IOException | RuntimeException e) {
      closeAll(b.resources);
      throw e;
    } catch (InterruptedException e) {
      closeAll(b.resources);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the local stack", e);
    }
  }

  /** Collects what start-up opened, so a failure half-way closes exactly that. */
  private static final class Builder {
    final Deque<AutoCloseable> resources = new ArrayDeque<>();
    MotoServer moto;
    LocalSageMaker sageMaker;
    LocalLambda lambda;
    LocalScheduler scheduler;
    LocalApiGateway api;
    AwsClients clients;
    StackSpec.Names names = StackSpec.Names.local();
    LocalResources.Provisioned provisioned;
    String mappingUuid;
    List<String> labels;
    S3Client s3;
    SqsClient sqs;
    DynamoDbClient dynamoDb;

    <T extends AutoCloseable> T open(T resource) {
      resources.push(resource);
      return resource;
    }

    void build(Options options, PrintStream progress, Clock controllerClock) throws IOException, InterruptedException {
      Path logs = Files.createDirectories(options.cacheDir().resolve("local").resolve("logs"));
      // The model first: on a first run it is fetched and converted, and a missing node/npm should fail fast.
      ModelFiles model = model(options, progress);
      Optional<Path> labelFile = options.labels().or(() -> Optional.ofNullable(model.labels()));
      labels = labelFile.isEmpty() ? List.of() : Files.readAllLines(labelFile.get()).stream()
          .map(String::strip).filter(s -> !s.isEmpty()).toList();

      progress.println("starting moto_server (S3, SQS, DynamoDB)...");
      moto = open(MotoServer.start(logs.resolve("moto_server.log")));
      progress.println("starting the local SageMaker...");
      sageMaker = open(LocalSageMaker.builder()
          .creatingDelay(options.creatingDelay())
          .deletingDelay(Duration.ofSeconds(1))
          .logDirectory(logs)
          .container(ONNX_IMAGE, LocalStack::onnxContainer)
          .start());

      // The local Lambda's port is chosen first so that one set of clients knows every endpoint.
      int lambdaPort = ContainerLauncher.freePort();
      clients = open(AwsClients.local(Region.of(REGION), Map.of(
          Service.S3, moto.endpoint(), Service.SQS, moto.endpoint(), Service.DYNAMODB, moto.endpoint(),
          Service.SAGEMAKER, sageMaker.endpoint(), Service.SAGEMAKER_RUNTIME, sageMaker.endpoint(),
          Service.LAMBDA, URI.create("http://127.0.0.1:" + lambdaPort))));
      s3 = open(clients.build(Service.S3, S3Client.builder().forcePathStyle(true)));
      sqs = open(clients.build(Service.SQS, SqsClient.builder()));
      dynamoDb = open(clients.build(Service.DYNAMODB, DynamoDbClient.builder()));

      provisioned = new LocalResources(s3, sqs, dynamoDb).provision(names);
      createModel(options, model);

      lambda = open(LocalLambda.builder(sqs).region(REGION).port(lambdaPort).start());

      ClassifyConfig classify = ClassifyConfig.fromEnv(classifyEnvironment(options));
      SageMakerRuntimeClient runtime =
          open(clients.build(Service.SAGEMAKER_RUNTIME, ClassifyHandler.runtimeClient(classify)));
      lambda.registerFunction(names.classifyFunction(),
          new ClassifyHandler(s3, sqs, dynamoDb, runtime, classify, Clock.systemUTC()),
          Duration.ofSeconds(StackSpec.CLASSIFY_TIMEOUT_SECONDS));
      mappingUuid = createMapping();

      ControllerHandler controller = new ControllerHandler(clients,
          ControllerConfig.fromEnvironment(controllerEnvironment(options)), controllerClock);
      lambda.registerInvokable(CONTROLLER_FUNCTION, controller);
      scheduler = open(new LocalScheduler(controllerClock));
      scheduler.schedule(CONTROLLER_FUNCTION, options.controllerTick(), controller);

      // The HTTP API: the same handler as on AWS, behind a local front that speaks API Gateway's payload format 2.0.
      api = open(LocalApiGateway.start(new ApiHandler(new Api(s3, sqs, dynamoDb, runtime,
          ApiConfig.fromEnv(apiEnvironment(options)), controllerClock)), controllerClock));
    }

    private ModelFiles model(Options options, PrintStream progress) throws IOException {
      if (options.containerCommand().isPresent()) {
        return new ModelFiles(null, options.labels().orElse(null));
      }
      if (options.model().isPresent()) {
        Path onnx = options.model().get();
        if (!Files.isRegularFile(onnx)) {
          throw new IOException("model file " + onnx + " does not exist");
        }
        return new ModelFiles(onnx, options.labels().orElseThrow());
      }
      progress.println("loading the default model (the first run fetches npm nsfwjs@4.4.0 and converts it to ONNX)...");
      return DefaultModel.ensure(options.cacheDir());
    }

    private void createModel(Options options, ModelFiles model) {
      try (SageMakerClient sm = clients.build(Service.SAGEMAKER, SageMakerClient.builder())) {
        String command = options.containerCommand().orElse(null);
        sm.createModel(r -> r.modelName(names.model())
            .executionRoleArn("arn:aws:iam::" + sageMaker.accountId() + ":role/offhours-local-model")
            .primaryContainer(c -> {
              if (command != null) {
                c.image(LocalSageMaker.COMMAND_IMAGE).environment(Map.of(LocalSageMaker.COMMAND_VARIABLE, command));
              } else {
                c.image(ONNX_IMAGE).modelDataUrl(model.onnx().toUri().toString());
              }
            }));
        sm.createEndpointConfig(r -> r.endpointConfigName(names.endpointConfig())
            // Named after the model, as in template.yaml: results record the variant that answered.
            .productionVariants(v -> v.variantName(names.model()).modelName(names.model())
                .instanceType(ProductionVariantInstanceType.ML_M5_LARGE).initialInstanceCount(1)));
      }
    }

    private String createMapping() {
      StackSpec.Trigger trigger = StackSpec.TRIGGER;
      try (LambdaClient api = clients.build(Service.LAMBDA, LambdaClient.builder())) {
        // Disabled, as the template deploys it: the controller enables it after a successful test invocation.
        return api.createEventSourceMapping(r -> r.functionName(names.classifyFunction())
            .eventSourceArn(provisioned.queueArn())
            .enabled(false)
            .batchSize(trigger.batchSize())
            .maximumBatchingWindowInSeconds(1)
            .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES)
            .scalingConfig(s -> s.maximumConcurrency(2))).uuid();
      }
    }

    private Map<String, String> classifyEnvironment(Options options) {
      Map<String, String> env = new LinkedHashMap<>();
      StackSpec.CLASSIFY_ENV.forEach((k, v) -> {
        if (v != null) {
          env.put(k, v);
        }
      });
      env.put("TABLE_NAME", provisioned.resultsTable());
      env.put("QUEUE_URL", provisioned.queueUrl());
      env.put("BUCKET_NAME", provisioned.bucket());
      env.put("ENDPOINT_NAME", names.endpoint());
      env.put("MODEL_NAME", names.model());
      env.put("LABELS", String.join(",", labels));
      env.putAll(options.modelSettings());
      // Locally a deferred copy comes back after 5 s rather than a minute: the endpoint starts in seconds.
      env.put("DEFER_SECONDS", "5");
      return env;
    }

    /** The controller's variables (its policy and its model contract), the bucket, local timings. */
    private Map<String, String> apiEnvironment(Options options) {
      Map<String, String> env = controllerEnvironment(options);
      env.put("BUCKET_NAME", provisioned.bucket());
      env.put("MODEL_NAME", names.model());
      env.put("CONTROLLER_INTERVAL_SECONDS", Long.toString(Math.max(1, options.controllerTick().toSeconds())));
      env.put("ENDPOINT_START_SECONDS", Long.toString(options.creatingDelay().toSeconds()));
      return env;
    }

    private Map<String, String> controllerEnvironment(Options options) {
      Map<String, String> env = new LinkedHashMap<>();
      StackSpec.CONTROLLER_ENV.forEach((k, v) -> {
        if (v != null) {
          env.put(k, v);
        }
      });
      env.putAll(controllerDefaults());
      env.putAll(options.controller());
      env.put("ENDPOINT_NAME", names.endpoint());
      env.put("ENDPOINT_CONFIG_NAME", names.endpointConfig());
      env.put("MAPPING_UUID", mappingUuid);
      env.put("QUEUE_URL", provisioned.queueUrl());
      env.put("DLQ_URL", provisioned.deadLetterQueueUrl());
      env.put("CONTROL_TABLE_NAME", provisioned.controlTable());
      env.put("RESULTS_TABLE_NAME", provisioned.resultsTable());
      env.put("LABELS", String.join(",", labels));
      env.putAll(options.modelSettings());
      return env;
    }
  }

  private static ModelContainer onnxContainer(offhours.local.sagemaker.ContainerSpec spec) throws IOException {
    if (spec.modelDataUrl() == null || !spec.modelDataUrl().startsWith("file:")) {
      throw new IOException("the local ONNX container needs ModelDataUrl file:///path/model.onnx, got "
          + spec.modelDataUrl());
    }
    OnnxContainer container = OnnxContainer.start(Path.of(URI.create(spec.modelDataUrl())), ContainerLauncher.freePort());
    return ModelContainer.of(container.baseUri(), container::close);
  }

  /** What {@code offhours local start} writes for the other commands and for the AWS CLI. */
  public LocalStackState state(long pid) {
    Map<String, URI> endpoints = new LinkedHashMap<>();
    endpoints.put("s3", moto.endpoint());
    endpoints.put("sqs", moto.endpoint());
    endpoints.put("dynamodb", moto.endpoint());
    endpoints.put("sagemaker", sageMaker.endpoint());
    endpoints.put("sagemakerRuntime", sageMaker.endpoint());
    endpoints.put("lambda", lambda.endpoint());
    endpoints.put("api", api.endpoint());
    Map<String, String> n = new LinkedHashMap<>();
    n.put("bucket", provisioned.bucket());
    n.put("queueUrl", provisioned.queueUrl());
    n.put("dlqUrl", provisioned.deadLetterQueueUrl());
    n.put("resultsTable", provisioned.resultsTable());
    n.put("controlTable", provisioned.controlTable());
    n.put("endpoint", names.endpoint());
    n.put("endpointConfig", names.endpointConfig());
    n.put("mappingUuid", mappingUuid);
    n.put("classifyFunction", names.classifyFunction());
    n.put("controllerFunction", CONTROLLER_FUNCTION);
    return new LocalStackState(pid, REGION, endpoints, n);
  }

  /** The local HTTP API (requests need {@code Authorization: Bearer} {@link #apiToken()}). */
  public URI apiEndpoint() {
    return api.endpoint();
  }

  public String apiToken() {
    return api.token();
  }

  public AwsClients clients() {
    return clients;
  }

  public S3Client s3() {
    return s3;
  }

  public SqsClient sqs() {
    return sqs;
  }

  public DynamoDbClient dynamoDb() {
    return dynamoDb;
  }

  public LocalResources.Provisioned resources() {
    return provisioned;
  }

  public StackSpec.Names names() {
    return names;
  }

  public String mappingUuid() {
    return mappingUuid;
  }

  public List<String> labels() {
    return labels;
  }

  public LocalSageMaker sageMaker() {
    return sageMaker;
  }

  public LocalLambda lambda() {
    return lambda;
  }

  public MotoServer moto() {
    return moto;
  }

  /** Runs the controller once now (besides its schedule) and returns its report. */
  public Object reconcileNow() throws InterruptedException {
    return scheduler.runNow(CONTROLLER_FUNCTION);
  }

  /** Stops everything, newest first; nothing is left running. */
  @Override
  public void close() {
    closeAll(resources);
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        System.err.println("offhours: while stopping the local stack: " + e);
      }
    }
  }
}
