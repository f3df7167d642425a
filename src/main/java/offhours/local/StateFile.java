package offhours.local;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import offhours.aws.AwsClients.Service;
import offhours.cache.CacheFiles;
import offhours.local.model.Preprocessing;
import offhours.local.process.ChildProcess;
import offhours.local.process.StackMark;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The local stack's state file, {@code <cache>/local/stack.json}, written by {@code offhours local run} from the moment
 * it starts and read by every command that targets the local stack. While the stack starts the file is
 * {@linkplain #stillStarting() starting}: it names the process and what it has started so far (moto_server, the npm and
 * node steps of the first model download) and nothing to work with yet; once the stack is up it has everything. Its
 * keys are spelled here only: {@link ServiceKey} under {@code endpoints}, {@link NameKey} under {@code names}.
 *
 * <p>It holds the stack's credentials, so it is private to the user (see {@link offhours.cache.CacheFiles}).
 *
 * @param pid the process that runs the stack
 * @param started when that process started (ISO-8601), so a later process with the same id is not taken for it; with
 *     {@code pid}, the mark that every process the stack starts carries ({@link StackMark})
 * @param accessKeyId the stack's access key id: the local SageMaker and Lambda accept only requests signed with it
 * @param secretAccessKey its secret
 * @param endpoints service URLs by {@link ServiceKey#key()}
 * @param names resource names by {@link NameKey#key()}
 * @param model how Classify calls the model and reads its answers, by variable (offhours.stack.FunctionVariables
 *     #MODEL_PARAMETERS' variables, as its environment has them): the command line resolves the settings' fingerprint
 *     from them as Classify does; empty in a file of an older version
 * @param settings the controller's and Classify's settings a deployed stack's parameters set, by variable
 *     (offhours.stack.FunctionVariables#CONTROLLER_PARAMETERS' and #CLASSIFY_PARAMETERS' variables, as the local
 *     functions' environments have them): the command line dates and prices the ledger with them as the controller
 *     does (its TIME_ZONE is the zone {@code local start} ran in, not the zone of a later command), and the API's
 *     CONTROLLER_INTERVAL_SECONDS, the controller's tick, with which {@code endpoint status} forecasts an upload;
 *     empty in a file of an older version
 * @param children the processes the stack started, for {@code local stop} to end when the stack itself was killed
 *     before it could (see {@link ChildProcess}); empty in a file of an older version
 * @param starting true while the stack starts (its services and names are not there yet); absent once it is up, and
 *     in a file of an older version, which was written only then
 * @param served what the stack serves, as its start was told ({@link Served}): {@code local start} refuses other
 *     model options while it runs, and {@code local status} shows these; absent while it starts, and in a file of
 *     an older version
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StateFile(
    Long pid,
    String started,
    String region,
    String accessKeyId,
    String secretAccessKey,
    Map<String, URI> endpoints,
    Map<String, String> names,
    Map<String, String> model,
    Map<String, String> settings,
    List<ChildProcess> children,
    Boolean starting,
    Served served) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The model the stack serves, as {@code local start} (or {@code local run}, {@code demo}) was given it: all absent
   * for the default nsfwjs MobileNetV2. How Classify sends images and reads answers is in {@link #model()}
   * (CONTENT_TYPE, ACCEPT).
   *
   * @param modelFile the ONNX file of {@code --model}, absolute
   * @param labelsFile the file of {@code --labels}, absolute
   * @param containerCommand {@code --container-command} as typed: the user's own text, to show (escaped), never to
   *     run from here
   * @param normalize {@code --normalize} (NORMALIZE) of the ONNX model of {@code modelFile}; absent when not given
   * @param resize {@code --resize} (RESIZE) of that model; absent when not given
   * @param resample {@code --resample} (RESAMPLE) of that model; absent when not given
   * @param inputSize {@code --input-size} (INPUT_SIZE) of that model; absent when not given
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Served(
      String modelFile,
      String labelsFile,
      String containerCommand,
      String normalize,
      String resize,
      String resample,
      String inputSize) {

    /** A model served with the default's resize and normalization (or a command, which prepares its own). */
    public Served(String modelFile, String labelsFile, String containerCommand) {
      this(modelFile, labelsFile, containerCommand, null, null, null, null);
    }

    /** What a stack started with these options serves. */
    static Served of(
        Optional<Path> model, Optional<Path> labels, Optional<String> containerCommand) {
      return of(model, labels, containerCommand, Map.of());
    }

    /**
     * As {@link #of(Optional, Optional, Optional)}, with the NORMALIZE, RESIZE, RESAMPLE and INPUT_SIZE among
     * {@code modelSettings}.
     */
    static Served of(
        Optional<Path> model,
        Optional<Path> labels,
        Optional<String> containerCommand,
        Map<String, String> modelSettings) {
      return new Served(
          model.map(Served::absolute).orElse(null),
          labels.map(Served::absolute).orElse(null),
          containerCommand.orElse(null),
          modelSettings.get(Preprocessing.NORMALIZE),
          modelSettings.get(Preprocessing.RESIZE),
          modelSettings.get(Preprocessing.RESAMPLE),
          modelSettings.get(Preprocessing.INPUT_SIZE));
    }

    private static String absolute(Path file) {
      return file.toAbsolutePath().normalize().toString();
    }

    /** True for the default model (no file and no command of the user's). */
    @JsonIgnore
    public boolean isDefault() {
      return modelFile == null && containerCommand == null;
    }
  }

  /** A service's URL in the file, and the client it configures. */
  public enum ServiceKey {
    S3("s3", Service.S3),
    SQS("sqs", Service.SQS),
    DYNAMODB("dynamodb", Service.DYNAMODB),
    SAGEMAKER("sagemaker", Service.SAGEMAKER),
    SAGEMAKER_RUNTIME("sagemakerRuntime", Service.SAGEMAKER_RUNTIME),
    LAMBDA("lambda", Service.LAMBDA);

    private final String key;
    private final Service service;

    ServiceKey(String key, Service service) {
      this.key = key;
      this.service = service;
    }

    public String key() {
      return key;
    }

    public Service service() {
      return service;
    }
  }

  /** A resource name in the file. */
  public enum NameKey {
    BUCKET("bucket"),
    QUEUE_URL("queueUrl"),
    DLQ_URL("dlqUrl"),
    RESULTS_TABLE("resultsTable"),
    CONTROL_TABLE("controlTable"),
    ENDPOINT("endpoint"),
    ENDPOINT_CONFIG("endpointConfig"),
    MAPPING_UUID("mappingUuid"),
    CLASSIFY_FUNCTION("classifyFunction"),
    CONTROLLER_FUNCTION("controllerFunction"),
    /** How the model is hosted ({@link offhours.stack.Hosting#value()}). */
    HOSTING("hosting"),
    /** The inference component the controller switches; only with hosting scale-to-zero. */
    INFERENCE_COMPONENT("inferenceComponent");

    private final String key;

    NameKey(String key) {
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  public StateFile {
    endpoints = endpoints == null ? Map.of() : new TreeMap<>(endpoints);
    names = names == null ? Map.of() : new TreeMap<>(names);
    model = model == null ? Map.of() : new TreeMap<>(model);
    settings = settings == null ? Map.of() : new TreeMap<>(settings);
    children = children == null ? List.of() : List.copyOf(children);
    starting = Boolean.TRUE.equals(starting) ? Boolean.TRUE : null;
  }

  /**
   * The file of a stack that is starting in {@code process}: who it is and what it has started so far, so that
   * {@code local stop} can end those should it be killed before it is up.
   */
  static StateFile starting(ProcessHandle process, List<ChildProcess> children) {
    return new StateFile(
        process.pid(),
        startInstant(process),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        children,
        true,
        null);
  }

  /** Whether the stack is still starting: it has nothing to work with yet, and is not "running" to any command. */
  public boolean stillStarting() {
    return starting != null;
  }

  private static String startInstant(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toString).orElse(null);
  }

  /** The key of the local HTTP API's URL among the endpoints (it is no AWS service's). */
  private static final String API_KEY = "api";

  /** The file's content from typed keys, as the running stack writes it. */
  static StateFile of(
      ProcessHandle process,
      String region,
      AwsBasicCredentials credentials,
      Map<ServiceKey, URI> endpoints,
      URI api,
      Map<NameKey, String> names,
      Map<String, String> model,
      Map<String, String> settings,
      List<ChildProcess> children,
      Served served) {
    Map<String, URI> e = new TreeMap<>();
    endpoints.forEach((k, v) -> e.put(k.key(), v));
    e.put(API_KEY, api);
    Map<String, String> n = new TreeMap<>();
    names.forEach((k, v) -> n.put(k.key(), v));
    return new StateFile(
        process.pid(),
        startInstant(process),
        region,
        credentials.accessKeyId(),
        credentials.secretAccessKey(),
        e,
        n,
        model,
        settings,
        children,
        null,
        served);
  }

  /** Where the state file lives under the cache directory. */
  public static Path path(Path cacheDir) {
    return cacheDir.resolve("local").resolve("stack.json");
  }

  public static StateFile read(Path file) throws IOException {
    return JSON.readValue(file.toFile(), StateFile.class);
  }

  /** Writes atomically, so a reader never sees half a file. */
  public void write(Path file) throws IOException {
    CacheFiles.writeAtomically(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
  }

  /** The mark of the stack this file names ({@link StackMark}); empty for a file without its pid or start instant. */
  public Optional<StackMark> mark() {
    return pid == null || started == null
        ? Optional.empty()
        : Optional.of(new StackMark(pid + "@" + started));
  }

  /** The stack's credentials, when the file has them (a file of an older version has none). */
  public Optional<AwsBasicCredentials> credentials() {
    return accessKeyId == null || secretAccessKey == null
        ? Optional.empty()
        : Optional.of(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
  }

  public Optional<URI> endpoint(ServiceKey key) {
    return Optional.ofNullable(endpoints.get(key.key()));
  }

  /** The local HTTP API's URL (requests need the token of {@code local/api-token}). */
  public Optional<URI> apiEndpoint() {
    return Optional.ofNullable(endpoints.get(API_KEY));
  }

  public Optional<String> name(NameKey key) {
    return Optional.ofNullable(names.get(key.key()));
  }
}
