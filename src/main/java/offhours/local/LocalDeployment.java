package offhours.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import offhours.aws.AwsClients;
import offhours.endpoint.ControllerConfig;
import offhours.local.StateFile.NameKey;
import offhours.local.StateFile.ServiceKey;
import offhours.local.api.LocalApiGateway;
import offhours.local.invocation.Invoked;
import offhours.local.lambda.LocalScheduler;
import offhours.local.model.Preprocessing;
import offhours.local.process.ChildProcesses;
import offhours.stack.FunctionVariables;
import offhours.stack.StackSpec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * offhours deployed on this machine: moto_server (S3 with notifications to SQS, SQS, DynamoDB), the local
 * SageMaker with the model container, and the local Lambda running the same Classify and controller handlers as on
 * AWS, with the same names and settings as template.yaml ({@link StackSpec}). The README calls it "the local
 * stack"; {@link DeploymentWiring} starts and connects its pieces.
 *
 * <p>The endpoint starts absent and the mapping disabled, exactly as after {@code sam deploy}; the controller
 * (run every {@link Options#controllerTick}, and by its timer queue at the instant a decision asks for) creates the
 * endpoint when its policy says so and enables the mapping once a test invocation succeeds.
 */
public final class LocalDeployment implements AutoCloseable {

  public static final String CONTROLLER_FUNCTION = "offhours-controller";
  /** The HTTP API's function, a function of the local Lambda's, which the local API front invokes. */
  public static final String API_FUNCTION = "offhours-api";

  static final String REGION = "us-east-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How to run the local stack.
   *
   * @param model a user ONNX model instead of the default nsfwjs MobileNetV2 (needs {@code labels})
   * @param containerCommand a user container command speaking the SageMaker contract; {@code labels} are needed
   *     unless its answers name their classes
   * @param controller controller variables that replace local mode's defaults
   * @param modelSettings how Classify and the controller's probe call the model (CONTENT_TYPE, ACCEPT, SCORES), how
   *     it is hosted (HOSTING) and, for an ONNX {@code model} only, how its container prepares images (NORMALIZE,
   *     RESIZE, INPUT_SIZE: {@link Preprocessing}, which only the model's container environment carries); and
   *     Classify's first retry pause (RETRY_SECONDS; local mode's 2 s when absent)
   */
  public record Options(
      Path cacheDir,
      Optional<Path> model,
      Optional<Path> labels,
      Optional<String> containerCommand,
      Duration creatingDelay,
      Duration controllerTick,
      Map<String, String> controller,
      Map<String, String> modelSettings) {

    public Options {
      Objects.requireNonNull(cacheDir, "cacheDir");
      controller = Map.copyOf(controller);
      modelSettings = Map.copyOf(modelSettings);
      // Both given is said first: asking for --labels would only lead to this refusal.
      if (model.isPresent() && containerCommand.isPresent()) {
        throw new IllegalArgumentException(
            "choose one of --model and --container-command, not both");
      }
      if (model.isPresent() && labels.isEmpty()) {
        throw new IllegalArgumentException(
            "--labels FILE is required with --model: one class name per line, in the order of the model's outputs");
      }
      Map<String, String> preprocessing = Preprocessing.among(modelSettings);
      if (!preprocessing.isEmpty() && model.isEmpty()) {
        throw new IllegalArgumentException(Preprocessing.flags(preprocessing.keySet())
            + " prepare" + (preprocessing.size() == 1 ? "s" : "")
            + " the images of an ONNX model of --model only: "
            + (containerCommand.isPresent()
                ? "a --container-command's server prepares its own"
                : "the default model takes its own preprocessing")
            + "; give --model FILE with it");
      }
      Preprocessing.of(modelSettings); // a value it does not take is refused before the start
    }

    public Options(
        Path cacheDir,
        Optional<Path> model,
        Optional<Path> labels,
        Optional<String> containerCommand,
        Duration creatingDelay,
        Duration controllerTick,
        Map<String, String> controller) {
      this(
          cacheDir,
          model,
          labels,
          containerCommand,
          creatingDelay,
          controllerTick,
          controller,
          Map.of());
    }

    public static Options defaults(Path cacheDir) {
      return new Options(
          cacheDir,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Duration.ofSeconds(3),
          Duration.ofSeconds(2),
          Map.of());
    }

    public Options withController(Map<String, String> overrides) {
      Map<String, String> merged = new HashMap<>(controller);
      merged.putAll(overrides);
      return new Options(
          cacheDir,
          model,
          labels,
          containerCommand,
          creatingDelay,
          controllerTick,
          merged,
          modelSettings);
    }

    /** How the model is hosted (HOSTING among the model settings; scheduled when absent). */
    public offhours.stack.Hosting hosting() {
      return offhours.stack.Hosting.parse(modelSettings.getOrDefault("HOSTING", "scheduled"));
    }

    public Options withModelSettings(Map<String, String> settings) {
      return new Options(
          cacheDir,
          model,
          labels,
          containerCommand,
          creatingDelay,
          controllerTick,
          controller,
          settings);
    }
  }

  private final Deque<AutoCloseable> resources;
  private final LocalServices services;
  private final ChildProcesses children;
  private final LocalScheduler scheduler;
  private final LocalApiGateway api;
  private final AwsClients clients;
  private final LocalResources.Provisioned provisioned;
  private final String mappingUuid;
  private final ModelSwitch modelSwitch;
  /** The model the functions are given now: the start's, then each {@link #update}'s. */
  private volatile ServedModel current;

  private final AwsBasicCredentials credentials;
  private final S3Client s3;
  private final SqsClient sqs;
  private final DynamoDbClient dynamoDb;

  private LocalDeployment(DeploymentWiring w) {
    this.resources = w.resources;
    this.services = new LocalServices(w.moto, w.sageMaker, w.lambda);
    this.children = w.children;
    this.scheduler = w.scheduler;
    this.api = w.api;
    this.clients = w.clients;
    this.provisioned = w.provisioned;
    this.mappingUuid = w.mappingUuid;
    this.modelSwitch = w.modelSwitch;
    this.current = w.current;
    this.credentials = w.credentials;
    this.s3 = w.s3;
    this.sqs = w.sqs;
    this.dynamoDb = w.dynamoDb;
  }

  /** Starts every service; on failure everything started so far is stopped again. */
  public static LocalDeployment start(Options options, PrintStream progress) throws IOException {
    return start(options, progress, Clock.systemUTC());
  }

  /**
   * As {@link #start(Options, PrintStream)}, with the controller (and its scheduler's events) reading the time from
   * {@code controllerClock}: tests move it across a schedule's opening or a DST change while everything else runs in
   * real time.
   */
  public static LocalDeployment start(Options options, PrintStream progress, Clock controllerClock)
      throws IOException {
    return start(options, progress, controllerClock, new ChildProcesses());
  }

  /**
   * As {@link #start(Options, PrintStream)}, the processes it starts recorded in {@code stateFile} from the first (the
   * stack of {@code local run}).
   */
  public static LocalDeployment start(
      Options options, PrintStream progress, StateFileKeeper stateFile) throws IOException {
    return start(options, progress, stateFile.children());
  }

  /**
   * As {@link #start(Options, PrintStream)}, the processes it starts recorded in {@code children} from the first (the
   * demo's): a signal while it starts ends what they name ({@link ChildProcesses#refuseFromNowOn()}).
   */
  public static LocalDeployment start(
      Options options, PrintStream progress, ChildProcesses children) throws IOException {
    return start(options, progress, Clock.systemUTC(), children);
  }

  private static LocalDeployment start(
      Options options, PrintStream progress, Clock controllerClock, ChildProcesses children)
      throws IOException {
    Objects.requireNonNull(controllerClock, "controllerClock");
    DeploymentWiring wiring = new DeploymentWiring(children);
    try {
      wiring.start(options, progress, controllerClock);
      return new LocalDeployment(wiring);
    } catch (IOException | RuntimeException e) {
      DeploymentWiring.closeAll(wiring.resources);
      throw e;
    } catch (InterruptedException e) {
      DeploymentWiring.closeAll(wiring.resources);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting the local stack", e);
    }
  }

  /** What {@code offhours local run} in {@code process} writes for the other commands and for the AWS CLI. */
  public StateFile state(ProcessHandle process) {
    ServedModel now = current;
    StackSpec.Names names = now.names();
    ControllerConfig controllerConfig = now.controllerConfig();
    Map<String, String> classifyEnv = now.classifyEnv();
    Map<ServiceKey, URI> endpoints = new EnumMap<>(ServiceKey.class);
    for (ServiceKey key : ServiceKey.values()) {
      endpoints.put(
          key,
          switch (key) {
            case S3, SQS, DYNAMODB -> services.moto().endpoint();
            case SAGEMAKER, SAGEMAKER_RUNTIME -> services.sageMaker().endpoint();
            case LAMBDA -> services.lambda().endpoint();
          });
    }
    Map<NameKey, String> n = new EnumMap<>(NameKey.class);
    for (NameKey key : NameKey.values()) {
      n.put(
          key,
          switch (key) {
            case BUCKET -> provisioned.bucket();
            case QUEUE_URL -> provisioned.queueUrl();
            case DLQ_URL -> provisioned.deadLetterQueueUrl();
            case RESULTS_TABLE -> provisioned.resultsTable();
            case CONTROL_TABLE -> provisioned.controlTable();
            case ENDPOINT -> names.endpoint();
            case ENDPOINT_CONFIG -> names.endpointConfig();
            case MAPPING_UUID -> mappingUuid;
            case CLASSIFY_FUNCTION -> names.classifyFunction();
            case CONTROLLER_FUNCTION -> CONTROLLER_FUNCTION;
            case HOSTING -> controllerConfig.hosting().value();
            case INFERENCE_COMPONENT -> controllerConfig.model().inferenceComponentName();
          });
    }
    n.values().removeIf(Objects::isNull); // no inference component unless scale-to-zero
    // Classify's model settings, as a deployed stack's parameters carry them (an empty one as ""):
    // the command line resolves their fingerprint as Classify does.
    Map<String, String> model = new java.util.TreeMap<>();
    FunctionVariables.MODEL_PARAMETERS
        .keySet()
        .forEach(variable -> model.put(variable, classifyEnv.getOrDefault(variable, "")));
    return StateFile.of(
        process,
        REGION,
        credentials,
        endpoints,
        api.endpoint(),
        n,
        model,
        FunctionEnvironments.readByTheCommandLine(now.controllerEnv(), classifyEnv, now.apiEnv()),
        children.recorded(),
        now.served());
  }

  /** The local HTTP API (requests need {@code Authorization: Bearer} {@link #apiToken()}). */
  public URI apiEndpoint() {
    return api.endpoint();
  }

  public String apiToken() {
    return api.token();
  }

  /** The stack's own credentials: the local SageMaker and Lambda refuse requests signed with any other. */
  public AwsBasicCredentials credentials() {
    return credentials;
  }

  /** Clients for every local service (path-style S3 needs {@code forcePathStyle(true)} on its builder). */
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

  /** The stack's names, with the model and endpoint config of the model it serves now. */
  public StackSpec.Names names() {
    return current.names();
  }

  public String mappingUuid() {
    return mappingUuid;
  }

  /** The controller function's settings, as its environment gives them (chaos runs build more controllers from it). */
  public ControllerConfig controllerConfig() {
    return current.controllerConfig();
  }

  /** The labels the Classify function is given now, in the model's output order. */
  public List<String> labels() {
    return current.labels();
  }

  /**
   * Gives the running stack {@code update}'s model, as a stack update does on AWS ({@link ModelSwitch}): a new Model
   * and EndpointConfig, and the functions' environment switched to them. The controller then replaces the endpoint on
   * its own; the queue, bucket, results and ledger stay. An update refused (it changes nothing, a file is bad, the
   * hosting takes none) changes nothing, and one that fails half-way is rolled back. Returns the names this update
   * gave the stack (a later update's, read through {@link #names}, may already have replaced them).
   *
   * @throws IllegalArgumentException when the update changes nothing, or the stack's hosting takes no update
   * @throws IOException when a file cannot be read, the labels do not fit the model's outputs, or a step failed and
   *     was rolled back
   */
  public synchronized StackSpec.Names update(ModelUpdate update) throws IOException {
    current = modelSwitch.apply(current, update);
    return current.names();
  }

  public LocalServices services() {
    return services;
  }

  /** Runs the controller once now (besides its schedule) and returns its report. */
  public Object reconcileNow() throws InterruptedException {
    Invoked run = scheduler.runNow(CONTROLLER_FUNCTION);
    if (run.failed()) {
      throw new IllegalStateException(
          "the controller's run failed: " + run.errorType() + ": " + run.errorMessage());
    }
    try {
      return JSON.readValue(run.response(), Object.class);
    } catch (IOException e) {
      throw new IllegalStateException("the controller's answer is no JSON", e);
    }
  }

  /**
   * Stops everything, newest first; nothing is left running. A second call (a signal's stop beside the command's own)
   * waits for the first and finds nothing left, and a call during an {@link #update} waits for it to end, however long
   * (the same lock): its services are not closed under a half-done update, whose rollback needs them.
   */
  @Override
  public synchronized void close() {
    DeploymentWiring.closeAll(resources);
  }
}
