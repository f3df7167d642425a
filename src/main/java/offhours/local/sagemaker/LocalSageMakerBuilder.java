package offhours.local.sagemaker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import offhours.local.auth.StackCredentials;
import offhours.local.process.ProcessRecorder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;

/** Settings of a {@link LocalSageMaker}, then {@link #start()}; every one has a default that suits local mode. */
public final class LocalSageMakerBuilder {
  Region region = Region.US_EAST_1;
  String accountId = "123456789012";
  Clock clock = Clock.systemUTC();
  Duration creatingDelay = Duration.ofSeconds(3);
  Duration deletingDelay = Duration.ofSeconds(1);
  Duration pingTimeout = Duration.ofSeconds(60);
  Duration modelTimeout = Duration.ofSeconds(60);

  /** Threads serving HTTP requests; each in-flight invocation holds one. */
  final int requestThreads = 32;

  ServerlessCapacity.Timing serverlessTiming =
      new ServerlessCapacity.Timing(Duration.ofSeconds(2), Duration.ofMinutes(5));
  Path logDirectory;
  String containerCommand;
  ProcessRecorder processRecorder = ProcessRecorder.NONE;
  AwsBasicCredentials credentials = StackCredentials.generate();
  final Map<String, ContainerLauncher> launchers = new LinkedHashMap<>();

  LocalSageMakerBuilder() {}

  /**
   * The credentials every request must be signed with (default: a new random pair, see {@link
   * LocalSageMaker#credentials()}).
   */
  public LocalSageMakerBuilder credentials(AwsBasicCredentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /** The region in every ARN (default us-east-1). */
  public LocalSageMakerBuilder region(Region region) {
    this.region = Objects.requireNonNull(region, "region");
    return this;
  }

  /** The 12-digit account id in ARNs and messages (default 123456789012, as moto uses). */
  public LocalSageMakerBuilder accountId(String accountId) {
    if (accountId == null || !accountId.matches("\\d{12}")) {
      throw new IllegalArgumentException("accountId must be 12 digits, was " + accountId);
    }
    this.accountId = accountId;
    return this;
  }

  /** Where CreationTime and LastModifiedTime come from (delays still run in real time). */
  public LocalSageMakerBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** How long an endpoint stays Creating before its container is launched (default 3 s). */
  public LocalSageMakerBuilder creatingDelay(Duration delay) {
    this.creatingDelay = Endpoints.requireNonNegative(delay, "creating delay");
    return this;
  }

  /** How long an endpoint stays Deleting before it is gone (default 1 s). */
  public LocalSageMakerBuilder deletingDelay(Duration delay) {
    this.deletingDelay = Endpoints.requireNonNegative(delay, "deleting delay");
    return this;
  }

  /** How long a launched container has to answer GET /ping with 200 before the endpoint fails (default 60 s). */
  public LocalSageMakerBuilder pingTimeout(Duration timeout) {
    this.pingTimeout = Endpoints.requireNonNegative(timeout, "ping timeout");
    return this;
  }

  /** How long InvokeEndpoint waits for the container (default 60 s, SageMaker's model timeout). */
  public LocalSageMakerBuilder modelTimeout(Duration timeout) {
    this.modelTimeout = Endpoints.requireNonNegative(timeout, "model timeout");
    return this;
  }

  /**
   * A serverless endpoint's cold start (default 2 s) and how long it stays warm after its last invocation (default
   * 5 minutes); the first invocation after that waits the cold start.
   */
  public LocalSageMakerBuilder serverlessColdStart(Duration coldStart, Duration keepWarm) {
    this.serverlessTiming = new ServerlessCapacity.Timing(
        Endpoints.requireNonNegative(coldStart, "cold start"),
        Endpoints.requireNonNegative(keepWarm, "keep warm"));
    return this;
  }

  /** Where the command container writes its stdout and stderr (default: a new temporary directory). */
  public LocalSageMakerBuilder logDirectory(Path directory) {
    this.logDirectory = Objects.requireNonNull(directory, "directory");
    return this;
  }

  /**
   * Serves image {@value LocalSageMaker#COMMAND_IMAGE} with this shell command: the only command the service will
   * ever run. A model cannot name another one (CreateModel refuses a model that tries).
   */
  public LocalSageMakerBuilder containerCommand(String command) {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException(
          "the container command must be a non-blank shell command, was " + command);
    }
    this.containerCommand = command;
    return this;
  }

  /** Starts and records each container process, for it to be ended should this JVM die unclosed (default: none). */
  public LocalSageMakerBuilder processRecorder(ProcessRecorder recorder) {
    this.processRecorder = Objects.requireNonNull(recorder, "recorder");
    return this;
  }

  /**
   * Serves models whose {@code PrimaryContainer.Image} is {@code image} with {@code launcher}, e.g.
   * {@code "offhours-local/onnx"}. Replaces a launcher registered for the same image, including the
   * built-in {@value LocalSageMaker#COMMAND_IMAGE}.
   */
  public LocalSageMakerBuilder container(String image, ContainerLauncher launcher) {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("image must be a non-blank name, was " + image);
    }
    launchers.put(image, Objects.requireNonNull(launcher, "launcher"));
    return this;
  }

  /** Starts the server; it listens once this returns. */
  public LocalSageMaker start() {
    try {
      if (logDirectory == null && containerCommand != null) {
        logDirectory = Files.createTempDirectory("offhours-sagemaker-");
      }
      return new LocalSageMaker(this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local SageMaker on 127.0.0.1", e);
    }
  }
}
