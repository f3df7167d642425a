package offhours.local.sagemaker;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.aws.PayloadLimits;
import offhours.local.process.ProcessRecorder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * offhours' local SageMaker hosting service: one HTTP server on 127.0.0.1 that speaks both the SageMaker
 * control plane (AWS JSON 1.1, {@code POST /} with {@code X-Amz-Target: SageMaker.<Operation>}) and the
 * runtime's InvokeEndpoint (REST-JSON, {@code POST /endpoints/{EndpointName}/invocations}), so the real
 * {@code SageMakerClient} and {@code SageMakerRuntimeClient} work against {@link #endpoint()} with only an
 * endpoint override.
 *
 * <pre>{@code
 * try (LocalSageMaker sageMaker = LocalSageMaker.builder()
 *         .region(Region.EU_CENTRAL_1)
 *         .creatingDelay(Duration.ofSeconds(3))
 *         .container("offhours-local/onnx", spec -> ...)
 *         .start()) {
 *   AwsClients clients = AwsClients.local(region, Map.of(SAGEMAKER, sageMaker.endpoint(),
 *       SAGEMAKER_RUNTIME, sageMaker.endpoint()));
 * }
 * }</pre>
 *
 * <p>Endpoints live as on SageMaker: {@code Creating} for the creating delay, then the model's container
 * is launched and the endpoint turns {@code InService} once {@code GET /ping} answers 200 (or
 * {@code Failed}); DeleteEndpoint makes it {@code Deleting} for the deleting delay, then it is gone and
 * its container stopped. As on SageMaker, DeleteEndpoint is refused while the endpoint is {@code Creating}
 * or {@code Updating} or still has an inference component.
 *
 * <p>This class wires the service and holds its life cycle and its in-process hooks for chaos runs; the server, its
 * request guard and the two protocols' routes and error shapes are {@link SageMakerServer}'s.
 */
public final class LocalSageMaker implements AutoCloseable {
  /**
   * The built-in image that runs the container command given at start
   * ({@link LocalSageMakerBuilder#containerCommand}); without one it is not served.
   */
  public static final String COMMAND_IMAGE = "offhours-local/command";
  /** The largest body the runtime takes: InvokeEndpoint's, whatever the endpoint (a serverless one refuses less). */
  public static final int MAX_PAYLOAD_BYTES = PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES;

  private final SageMakerServer server;
  private final ExecutorService requests;
  private final ScheduledExecutorService scheduler;
  /** The longest {@link #close} waits for a container that is starting. */
  private static final Duration STARTING_GRACE = Duration.ofSeconds(60);

  private final HttpClient http;
  private final Arns arns;
  private final Endpoints endpoints;
  private final InferenceComponents components;
  private final Invoker invoker;
  private final ServerlessCapacity serverless;
  private final AwsBasicCredentials credentials;
  private final ContainerSupervisor containers;
  private final Path logDirectory;
  private final ProcessRecorder processRecorder;
  /** The number of the next image {@link #serveCommand} serves a command under. */
  private final AtomicInteger nextCommandImage = new AtomicInteger(2);

  LocalSageMaker(LocalSageMakerBuilder b) throws IOException {
    this.requests = Executors.newFixedThreadPool(b.requestThreads, threads("local-sagemaker-http"));
    this.scheduler = Executors.newScheduledThreadPool(4, threads("local-sagemaker-lifecycle"));
    // One client for pings and invocations, reused; HTTP/1.1 because containers are plain servers.
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
    Map<String, ContainerLauncher> launchers = new LinkedHashMap<>();
    if (b.containerCommand != null) {
      launchers.put(
          COMMAND_IMAGE,
          new CommandLauncher(b.logDirectory, b.containerCommand, b.processRecorder));
    }
    launchers.putAll(b.launchers);
    this.arns = new Arns(b.region.id(), b.accountId);
    Models models = new Models(arns, b.clock);
    EndpointConfigs configs = new EndpointConfigs(arns, b.clock, models);
    this.containers = new ContainerSupervisor(launchers, http, b.pingTimeout);
    this.logDirectory = b.logDirectory;
    this.processRecorder = b.processRecorder;
    this.endpoints = new Endpoints(
        arns, b.clock, scheduler, models, configs, containers, b.creatingDelay, b.deletingDelay);
    this.components =
        new InferenceComponents(arns, b.clock, scheduler, models, endpoints, containers);
    ObjectMapper json = new ObjectMapper();
    ControlApi controlApi =
        new ControlApi(json, models, configs, endpoints, containers, components);
    this.serverless = new ServerlessCapacity(b.clock, b.serverlessTiming);
    this.invoker = new Invoker(endpoints, components, arns, http, b.modelTimeout, serverless);
    this.credentials = b.credentials;
    this.server =
        SageMakerServer.start(json, controlApi, invoker, credentials, b.region.id(), requests);
  }

  public static LocalSageMakerBuilder builder() {
    return new LocalSageMakerBuilder();
  }

  /**
   * Serves one more container command, under an image of its own that this returns ({@value #COMMAND_IMAGE}-2, -3,
   * ...): the local stack's twin of a stack update to another ContainerImage. In-process only: a model created through
   * the API can only name an image that a command was given for here or at the start, never carry a command itself.
   */
  public String serveCommand(String command) throws IOException {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException(
          "the container command must be a non-blank shell command, was " + command);
    }
    Path logs =
        logDirectory != null ? logDirectory : Files.createTempDirectory("offhours-sagemaker-");
    String image = COMMAND_IMAGE + "-" + nextCommandImage.getAndIncrement();
    containers.add(image, new CommandLauncher(logs, command, processRecorder));
    return image;
  }

  /**
   * Serves an image {@link #serveCommand} returned no longer, as a failed update's rollback takes back the image it
   * registered: a model naming it is refused from then on, and an endpoint of a model that names it already fails to
   * launch. Its number is never given again.
   *
   * @throws IllegalArgumentException for an image {@link #serveCommand} did not return, such as the start's
   */
  public void stopServing(String image) {
    if (image == null || !image.startsWith(COMMAND_IMAGE + "-")) {
      throw new IllegalArgumentException(
          "only an image serveCommand returned is served no longer on demand, not " + image);
    }
    containers.remove(image);
  }

  /** The one URL for both the control plane and the runtime, e.g. {@code http://127.0.0.1:43121}. */
  public URI endpoint() {
    return server.endpoint();
  }

  /** The only credentials this service accepts: clients sign every request with them (SigV4). */
  public AwsBasicCredentials credentials() {
    return credentials;
  }

  /** The account id in every ARN and error message. */
  public String accountId() {
    return arns.account();
  }

  /**
   * The next {@code count} CreateEndpoint calls end {@code Failed} with {@code reason} as FailureReason,
   * after the creating delay and without launching a container. Replaces any earlier setting.
   */
  public void failNextCreates(int count, String reason) {
    endpoints.failNextCreates(count, Objects.requireNonNull(reason, "reason"));
  }

  /**
   * The next {@code count} created endpoints stay {@code Creating}, as a stuck creation does; like that, they cannot
   * be deleted (SageMaker deletes one once it has turned Failed), so they go only with the service.
   */
  public void stallNextCreates(int count) {
    endpoints.stallNextCreates(count);
  }

  /**
   * A burst of runtime errors, for chaos runs: the next {@code count} InvokeEndpoint calls to an InService endpoint
   * answer HTTP {@code status} with error code {@code errorCode} (e.g. 503 ServiceUnavailable, 500 InternalFailure,
   * 400 ThrottlingException) instead of reaching the container. Replaces any burst still pending. In-process only:
   * no request can set it.
   */
  public void failNextInvocations(int count, int status, String errorCode, String message) {
    invoker.failNext(
        count,
        new AwsError(
            status,
            Objects.requireNonNull(errorCode, "errorCode"),
            Objects.requireNonNull(message, "message")));
  }

  /** How many of the errors {@link #failNextInvocations} asked for were answered; for chaos runs. */
  public long injectedErrorsAnswered() {
    return invoker.injectedAnswered();
  }

  /**
   * Holds every InvokeEndpoint call from now on at the service, before it reaches a container or an injected error,
   * until the returned hold is closed: a chaos run keeps a Classify batch in the middle of its work for as long as it
   * needs. One hold at a time; in-process only.
   */
  public InvocationHold holdInvocations() {
    return invoker.hold();
  }

  /**
   * Kills the container of InService endpoint {@code name} as a crash would (requests in flight lose their
   * connection, new ones find nothing listening) and, as SageMaker replaces an unhealthy container, launches a new one
   * after {@code restartAfter}; the endpoint stays InService throughout. False when the endpoint has no container.
   * In-process only, for chaos runs.
   */
  public boolean crashContainer(String name, Duration restartAfter) {
    return endpoints.crash(name, Endpoints.requireNonNegative(restartAfter, "restart delay"));
  }

  /**
   * Ends the creating delay of endpoint {@code name} now, as if it had passed: a test holds an endpoint Creating for
   * as long as it needs (a long creating delay), whatever the machine's speed, then lets it start at once. False when
   * the endpoint is not Creating, a stalled creation ({@link #stallNextCreates}), or one whose delay already ended.
   * In-process only.
   */
  public boolean finishCreatingNow(String name) {
    return endpoints.finishCreatingNow(name);
  }

  /** Changes the delays for endpoints created or deleted from now on. */
  public void delays(Duration creating, Duration deleting) {
    endpoints.delays(creating, deleting, deleting);
  }

  /**
   * As {@link #delays(Duration, Duration)}, but the instances of an inference component whose copies went to 0 go
   * {@code instancesAfterCopies} after them instead of one deleting delay later: a test holds a half-done scale-in (no
   * copy, the instances still up) for as long as it needs, whatever the machine's speed.
   */
  public void delays(Duration creating, Duration deleting, Duration instancesAfterCopies) {
    endpoints.delays(creating, deleting, instancesAfterCopies);
  }

  /** Changes a serverless endpoint's cold start and how long it stays warm, for invocations from now on. */
  public void serverlessColdStart(Duration coldStart, Duration keepWarm) {
    serverless.timing(new ServerlessCapacity.Timing(
        Endpoints.requireNonNegative(coldStart, "cold start"),
        Endpoints.requireNonNegative(keepWarm, "keep warm")));
  }

  /**
   * Stops the server, the life-cycle threads, then every running container. A container still starting is waited for
   * (up to {@link #STARTING_GRACE}) and then stopped with the rest: a model load is native code that an interrupt does
   * not stop, and a JVM that exits under it (the local stack stopped during a wake) crashes in the runtime's library.
   */
  @Override
  public void close() {
    server.stop();
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(STARTING_GRACE.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    components.close();
    endpoints.close();
    requests.shutdownNow();
    http.close();
  }

  private static ThreadFactory threads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
