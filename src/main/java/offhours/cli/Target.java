package offhours.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.StateFile.NameKey;
import offhours.stack.FunctionVariables;
import offhours.units.IanaZones;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The offhours stack a command works on, local or deployed: clients for it and its resource names.
 *
 * @param description "the local stack" or "stack NAME", for messages
 * @param source where the names came from, named in the message when one is missing
 * @param local true for the local stack (S3 then needs path-style addressing)
 * @param created when the stack came to exist (a deployed stack's CreationTime, the local stack's process start), if
 *     known: nothing can have happened in it before
 * @param settings the function settings the stack runs with, by variable ({@link
 *     FunctionVariables#PARAMETERS_READ_BY_THE_CLI}' variables): a deployed stack's from its parameters, the local
 *     stack's from its state file, which records what its functions' environments were given at {@code local start}
 *     (its controller's TIME_ZONE is the zone that command ran in, and its API's CONTROLLER_INTERVAL_SECONDS, the
 *     controller's tick); absent where an older template or state file has none
 * @param parameters a deployed stack's parameters as DescribeStacks gives them, by name (what {@code offhours quotas}
 *     reads the stack's needs from); empty for the local stack
 */
public record Target(
    String description,
    String source,
    boolean local,
    AwsClients clients,
    Map<Name, String> names,
    Optional<Instant> created,
    Map<String, String> settings,
    Map<String, String> parameters)
    implements AutoCloseable {

  /** A resource name with its key in the local state file and its deployed stack's output. */
  public enum Name {
    BUCKET(NameKey.BUCKET, "BucketName"),
    QUEUE_URL(NameKey.QUEUE_URL, "QueueUrl"),
    DLQ_URL(NameKey.DLQ_URL, "DeadLetterQueueUrl"),
    RESULTS_TABLE(NameKey.RESULTS_TABLE, "ResultsTableName"),
    CONTROL_TABLE(NameKey.CONTROL_TABLE, "ControlTableName"),
    ENDPOINT(NameKey.ENDPOINT, "EndpointName"),
    ENDPOINT_CONFIG(NameKey.ENDPOINT_CONFIG, "EndpointConfigName"),
    MAPPING_UUID(NameKey.MAPPING_UUID, "ClassifyMappingId"),
    CONTROLLER_FUNCTION(NameKey.CONTROLLER_FUNCTION, "ControllerFunctionName"),
    CLASSIFY_FUNCTION(NameKey.CLASSIFY_FUNCTION, "ClassifyFunctionName"),
    /** How the model is hosted ({@link offhours.stack.Hosting#value()}); stacks of older versions have none. */
    HOSTING(NameKey.HOSTING, "HostingOption"),
    /** The inference component the controller switches; present only with hosting scale-to-zero. */
    INFERENCE_COMPONENT(NameKey.INFERENCE_COMPONENT, "InferenceComponentName");

    private final NameKey stateKey;
    private final String output;

    Name(NameKey stateKey, String output) {
      this.stateKey = stateKey;
      this.output = output;
    }

    /** The key under {@code names} in the local stack's state file. */
    public NameKey stateKey() {
      return stateKey;
    }

    /** The CloudFormation output that carries this name. */
    public String output() {
      return output;
    }
  }

  public Target {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(clients, "clients");
    names = names.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(names));
    Objects.requireNonNull(created, "created");
    settings = Map.copyOf(settings);
    parameters = Map.copyOf(parameters);
  }

  /**
   * This stack with its settings as read again ({@link StackSettingsReader}): the same clients and names, other
   * settings and parameters, as a deployed stack's update or a changed state file left them.
   */
  public Target withSettings(Map<String, String> settings, Map<String, String> parameters) {
    return new Target(description, source, local, clients, names, created, settings, parameters);
  }

  /** This stack through {@code clients}, a view of its own ({@link AwsClients#cutSooner}, say): the same all else. */
  public Target withClients(AwsClients clients) {
    return new Target(description, source, local, clients, names, created, settings, parameters);
  }

  /** The stack's own value of a function setting ({@code INSTANCE_TYPE}, ...), if it has one. */
  public Optional<String> setting(String variable) {
    return Optional.ofNullable(settings.get(variable)).filter(value -> !value.isBlank());
  }

  /**
   * The stack's hosting as it spells it: a deployed stack's Hosting parameter, else its HostingOption output or the
   * local stack's state file; empty for a stack of a version that recorded none (it had no hosting but scheduled).
   */
  public Optional<String> hostingValue() {
    return setting("HOSTING").or(() -> optionalName(Name.HOSTING)).map(String::strip);
  }

  /**
   * The zone the stack's controller keeps its schedule in, in which offhours shows the stack's times and reads a time
   * of day given for it: its TIME_ZONE (a deployed stack's TimeZone parameter, the local stack's zone in its state
   * file), else {@code fallback}, this machine's, as for a stack of an older template or state file, or one whose
   * value is no zone the functions take (IanaZones).
   */
  public ZoneId zone(ZoneId fallback) {
    try {
      return setting("TIME_ZONE").map(z -> IanaZones.parse("TIME_ZONE", z)).orElse(fallback);
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }

  /** The name, or a failure that says which output or state-file key is missing. */
  public String name(Name name) {
    return optionalName(name).orElseThrow(() -> CliException.failure(missing(name)));
  }

  /** The name, if the stack has it (a blank one counts as absent). */
  public Optional<String> optionalName(Name name) {
    return Optional.ofNullable(names.get(name)).filter(value -> !value.isBlank());
  }

  /**
   * Which output or state-file key is missing, and how to get it: "stack prod has no output X; update ...". A deployed
   * stack without any of offhours' outputs never gets here: {@link #notOffhours} refused it as it was read.
   */
  public String missing(Name name) {
    String where =
        local ? "has no names." + name.stateKey().key() : "has no output " + name.output();
    return source + " " + where
        + (local
            ? "; restart the local stack with this version ('scripts/offhours local stop', then 'local start')"
            : "; update the stack with this version's template.yaml");
  }

  /**
   * Why the deployed stack {@code source} (in {@code region}), with the names its outputs gave, is no offhours stack,
   * if it is not: it has none of {@link #OWN_OUTPUTS}, so it is another application's (a wrong --stack or Region),
   * whose {@code BucketName} or {@code QueueUrl} a command would otherwise upload to or send messages to. Said before
   * any command uses a name, and not as a missing output, which an update with offhours' template would replace.
   */
  static Optional<String> notOffhours(String source, Map<Name, String> names, Region region) {
    if (OWN_OUTPUTS.stream().anyMatch(names::containsKey)) {
      return Optional.empty();
    }
    return Optional.of(source + " has none of offhours' outputs ("
        + OWN_OUTPUTS.stream().map(Name::output).collect(Collectors.joining(", "))
        + "): it is not an offhours stack; check the name given to --stack and the Region ("
        + region + ")");
  }

  /**
   * Outputs every version of offhours' template has had, and that name what only offhours has (its tables and
   * functions, the Classify trigger); a bucket's or a queue's output may be any application's ({@code QueueUrl}).
   */
  private static final Set<Name> OWN_OUTPUTS = EnumSet.of(
      Name.RESULTS_TABLE,
      Name.CONTROL_TABLE,
      Name.CLASSIFY_FUNCTION,
      Name.CONTROLLER_FUNCTION,
      Name.MAPPING_UUID);

  /**
   * What {@code read} of the resource that the stack's {@code name} names returns; one that does not exist, as its
   * service says it ({@code notFound}), is said naming it, the output it came from and what to do, in the same words
   * in every command, where the service's answer named neither.
   */
  public <T> T on(Name name, NotFound notFound, Supplier<T> read) {
    return on(name, notFound, "", read);
  }

  /**
   * As {@link #on(Name, NotFound, Supplier)}, of the resource or a part of it ({@code or}: ", or its alias live,"),
   * when the service's answer does not say which of them does not exist ({@link NotFound#message(Target, Name,
   * String)}).
   */
  public <T> T on(Name name, NotFound notFound, String or, Supplier<T> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      throw notFound.test(e) ? CliException.failure(notFound.message(this, name, or)) : e;
    }
  }

  /**
   * {@code e} as it came, or, when it says that the resource {@code name} names does not exist, what {@link #on} says.
   */
  public RuntimeException notFound(RuntimeException e, Name name, NotFound notFound) {
    return notFound.test(e) ? CliException.failure(notFound.message(this, name)) : e;
  }

  public S3Client s3() {
    // moto and other local S3s serve buckets by path, not by virtual host.
    return clients.build(Service.S3, S3Client.builder().forcePathStyle(local));
  }

  /**
   * As {@link #s3}, its calls cut as a bounded service's are, and a body it streams cut once no byte of it has come for
   * {@code silence} ({@link AwsClients#buildForStreamedReads}): for small reads only, such as a thumbnail's HeadObject
   * and the GetObject that returns its body's stream, never an upload.
   */
  public S3Client s3ForSmallReads(Duration silence) {
    return clients.buildForStreamedReads(
        Service.S3, S3Client.builder().forcePathStyle(local), silence);
  }

  public SqsClient sqs() {
    return clients.build(Service.SQS, SqsClient.builder());
  }

  public DynamoDbClient dynamoDb() {
    return clients.build(Service.DYNAMODB, DynamoDbClient.builder());
  }

  public SageMakerClient sageMaker() {
    return clients.build(Service.SAGEMAKER, SageMakerClient.builder());
  }

  public LambdaClient lambda() {
    return clients.build(Service.LAMBDA, LambdaClient.builder());
  }

  @Override
  public void close() {
    clients.close();
  }
}
