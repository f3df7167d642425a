package offhours.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.CredentialSources;
import offhours.cli.Target.Name;
import offhours.local.StateFile;
import offhours.stack.FunctionVariables;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/** Finds the stack a command works on: the local stack by default, a deployed one with {@code --stack}. */
final class Targets {

  /**
   * "in the cache directory DIR (...)": where the local stack was looked for, and what chooses it, for a user who
   * started one with another OFFHOURS_CACHE (another shell, a script) and is told that none runs.
   */
  static String inCacheDirectory(Path cacheDir) {
    return "in the cache directory " + cacheDir.toAbsolutePath()
        + " (OFFHOURS_CACHE, else XDG_CACHE_HOME/offhours, else ~/.cache/offhours)";
  }

  static final String NO_REGION =
      "--stack needs an AWS region and none is set: export AWS_DEFAULT_REGION=REGION"
          + " (or AWS_REGION), or run 'aws configure'";

  private Targets() {}

  /**
   * The region of a deployed stack, found as the AWS CLI finds it: {@code AWS_REGION}, then
   * {@code AWS_DEFAULT_REGION} (the SDK alone reads only the first), then the SDK's chain (the profile's region in
   * ~/.aws/config, instance metadata).
   */
  static Region userRegion(Map<String, String> env, AwsRegionProvider sdkChain) {
    for (String name : List.of("AWS_REGION", "AWS_DEFAULT_REGION")) {
      String value = env.get(name);
      if (value != null && !value.isBlank()) {
        return Region.of(value.strip());
      }
    }
    try {
      return sdkChain.getRegion();
    } catch (SdkClientException e) {
      throw CliException.failure(NO_REGION);
    }
  }

  static Target resolve(Context context, Optional<String> stack) {
    return stack.isPresent() ? deployed(context, stack.get()) : local(context.cacheDir());
  }

  static Target local(Path cacheDir) {
    Path file = StateFile.path(cacheDir);
    if (!Files.isRegularFile(file)) {
      throw CliException.failure(
          "no local stack is running " + inCacheDirectory(cacheDir)
              + "; start one with 'scripts/offhours local start' or name a deployed stack with --stack NAME");
    }
    StateFile state;
    try {
      state = StateFile.read(file);
    } catch (IOException e) {
      throw CliException.failure(
          "cannot read the local stack's state file " + file + ": " + e.getMessage());
    }
    if (!StackProcess.isTheStack(file, state)) {
      boolean alive = state.pid() != null
          && ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
      throw CliException.failure(
          "the local stack recorded in " + file + " is not running (process " + state.pid()
              + (alive ? " is another program now" : " has exited")
              + "); start one with 'scripts/offhours local start'"
              + " or name a deployed stack with --stack NAME");
    }
    if (state.stillStarting()) {
      throw CliException.failure(starting(state));
    }
    Map<Service, URI> endpoints = new EnumMap<>(Service.class);
    // Every service must be present, so that no call silently goes to real AWS.
    for (StateFile.ServiceKey key : StateFile.ServiceKey.values()) {
      URI uri = state
          .endpoint(key)
          .orElseThrow(() -> CliException.failure("the local stack's state file " + file
              + " has no endpoints." + key.key()
              + "; restart the local stack with this version ('scripts/offhours local"
              + " stop', then 'local start')"));
      Optional<String> unsendable = unsendable(uri);
      if (unsendable.isPresent()) {
        throw CliException.failure("the local stack's state file " + file + " has endpoints."
            + key.key() + " '" + Terminal.value(uri.toString())
            + "', which no request can be sent to: "
            + unsendable.get() + "; restart the local stack ('scripts/offhours local stop', then"
            + " 'local start'), which writes the addresses it serves on");
      }
      endpoints.put(key.service(), uri);
    }
    Map<Name, String> names = new EnumMap<>(Name.class);
    for (Name name : Name.values()) {
      state.name(name.stateKey()).ifPresent(value -> names.put(name, value));
    }
    AwsBasicCredentials credentials = state
        .credentials()
        .orElseThrow(() -> CliException.failure("the local"
            + " stack's state file " + file
            + " has no credentials; restart the local stack with this version"
            + " ('scripts/offhours local stop', then 'local start')"));
    Region region = Region.of(state.region() == null ? "us-east-1" : state.region());
    return new Target(
        "the local stack",
        "the local stack's state file " + file,
        true,
        AwsClients.local(region, credentials, endpoints),
        names,
        started(state),
        localSettings(state),
        Map.of());
  }

  /**
   * Why the SDK cannot send a request to {@code uri}, if it cannot: checked where the address is read, as the SDK says
   * none of these as such. A URL without a host ({@code http:///x}) fails each request with its NullPointerException
   * "host must not be null.", a port past 65535 with an IllegalArgumentException as the connection is opened (which
   * the page took for its own refusal), another scheme or none as the request is built.
   */
  static Optional<String> unsendable(URI uri) {
    String scheme = uri.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
      return Optional.of("it is no http:// or https:// URL");
    }
    if (uri.getHost() == null) {
      return Optional.of(
          uri.getRawAuthority() == null
              ? "it names no host"
              : "'" + Terminal.value(uri.getRawAuthority()) + "' is no host name and port");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65_535) {
      return Optional.of("its port " + uri.getPort() + " is not from 1 to 65535");
    }
    return Optional.empty();
  }

  /** What a command that needs the local stack says while it is starting. */
  static String starting(StateFile state) {
    return "the local stack (pid " + state.pid()
        + ") is starting and not up yet; run this again once"
        + " 'scripts/offhours local status' says it runs, or name a deployed stack with --stack NAME";
  }

  /**
   * When the local stack started, as its state file records it (what its ledger and always-on count from); a file
   * without a readable instant falls back to its process's start.
   */
  private static Optional<Instant> started(StateFile state) {
    try {
      if (state.started() != null) {
        return Optional.of(Instant.parse(state.started()));
      }
    } catch (java.time.format.DateTimeParseException e) {
      // edited by hand: the process says when it started
    }
    return Optional.ofNullable(state.pid())
        .flatMap(ProcessHandle::of)
        .flatMap(p -> p.info().startInstant());
  }

  /**
   * The local stack's function settings, by variable, as a deployed stack's come from its parameters: the model's
   * and those its functions run with (the controller's TIME_ZONE among them), both from its state file. A file of an
   * older version records neither or only the model's: what it lacks stays absent, and {@code cost} falls back as for
   * a stack deployed from an older template (the template's defaults, the command's own zone).
   */
  static Map<String, String> localSettings(StateFile state) {
    Map<String, String> settings = new java.util.LinkedHashMap<>(state.model());
    settings.putAll(state.settings());
    return settings;
  }

  static Target deployed(Context context, String stackName) {
    if (stackName.isBlank()) {
      throw CliException.usage("--stack needs a stack name");
    }
    // A name no stack can have is a typo: said here rather than as CloudFormation's
    // ValidationError, or after the Region and credentials are looked for. A stack id (its ARN) is
    // a name too.
    if (!DeployPolicyCommand.STACK_NAME.matcher(stackName).matches()
        && !stackName.startsWith("arn:")) {
      throw CliException.usage(
          "--stack needs a CloudFormation stack name (a letter, then letters, digits"
              + " and hyphens, at most 128) or a stack id, got '" + Terminal.value(stackName)
              + "'");
    }
    AwsClients clients = context.userClients().get();
    try (CloudFormationClient cloudFormation =
        clients.build(Service.CLOUDFORMATION, CloudFormationClient.builder())) {
      Stack stack = usableStack(cloudFormation, stackName);
      Map<Name, String> names = namesFromOutputs(stack.outputs().stream()
          .collect(Collectors.toMap(Output::outputKey, Output::outputValue, (a, b) -> a)));
      // Another application's stack is refused here, before a command takes its BucketName or
      // QueueUrl for offhours' own and uploads to it or sends messages to it.
      Target.notOffhours("stack " + stackName, names, clients.region()).ifPresent(why -> {
        throw CliException.failure(why);
      });
      Map<String, String> parameters = parameters(stack);
      return new Target(
          "stack " + stackName,
          "stack " + stackName,
          false,
          clients,
          names,
          Optional.ofNullable(stack.creationTime()),
          settingsFromParameters(parameters),
          parameters);
    } catch (SdkClientException e) {
      clients.close();
      if (noCredentials(e)) {
        throw CliException.failure(noCredentials(
            stackName,
            clients.region(),
            CredentialSources.userProfile(),
            CredentialSources.userProfileProblem()));
      }
      throw unreachable(stackName, clients.region(), e)
          .<RuntimeException>map(CliException::failure)
          .orElse(e);
    } catch (CloudFormationException e) {
      clients.close();
      String message =
          e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
      if (message != null && message.contains("does not exist")) {
        throw CliException.failure(
            "stack " + stackName + " does not exist in region " + clients.region()
                + "; check the name and the region (AWS_REGION, AWS_DEFAULT_REGION or AWS_PROFILE)");
      }
      throw e;
    } catch (RuntimeException e) {
      clients.close();
      throw e;
    }
  }

  /**
   * The stack DescribeStacks gives for {@code stackName}, refused with the reason when it cannot serve
   * ({@link StackLifecycle#unusable}) or when the answer holds no stack; AWS's own exceptions pass through.
   */
  static Stack usableStack(CloudFormationClient cloudFormation, String stackName) {
    List<Stack> stacks =
        cloudFormation.describeStacks(r -> r.stackName(stackName)).stacks();
    if (stacks.isEmpty()) {
      throw CliException.failure(
          "DescribeStacks of " + Terminal.value(stackName) + " answered with no stack");
    }
    Stack stack = stacks.getFirst();
    StackLifecycle.unusable(stackName, stack.stackStatus()).ifPresent(why -> {
      throw CliException.failure(why);
    });
    return stack;
  }

  /** A stack's parameters as DescribeStacks gives them, by name; one without a key or a value is left out. */
  static Map<String, String> parameters(Stack stack) {
    return stack.parameters().stream()
        .filter(p -> p.parameterKey() != null && p.parameterValue() != null)
        .collect(Collectors.toMap(Parameter::parameterKey, Parameter::parameterValue, (a, b) -> a));
  }

  /**
   * What to check when the first call, DescribeStacks, found no address for AWS's host: the SDK's own text ("Received
   * an UnknownHostException ... your DNS cache could be storing endpoints for too long") names neither the host nor the
   * Region, the two things a person can check.
   */
  static Optional<String> unreachable(String stackName, Region region, SdkClientException e) {
    return unknownHost(e)
        .map(
            host -> "cannot reach AWS to look up stack " + stackName + " in " + region + ": " + host
                + " has no address here. Check the network (and HTTPS_PROXY, if you need one), and that "
                + region
                + " is the Region you mean (taken from AWS_REGION, AWS_DEFAULT_REGION, else your"
                + " profile)");
  }

  /** The host, escaped, that {@code e} found no address for, if that is what went wrong: no network, or no DNS. */
  static Optional<String> unknownHost(Throwable e) {
    return causes(e)
        .filter(UnknownHostException.class::isInstance)
        .findFirst()
        .map(unknown -> Terminal.printable(String.valueOf(unknown.getMessage())));
  }

  /**
   * Whether nothing took the connection {@code e} tried to open: a {@link ConnectException} among its causes (a port
   * nothing listens on, as the local stack's once it has stopped). Told by type, as {@link #unknownHost} is: the
   * system's words for it ("Connection refused") are in its language. The system also throws it when it gives up on
   * a connection itself ("Connection timed out"), but only after minutes: the SDK's connect timeout, seconds, ends
   * such a wait first with a {@link SocketTimeoutException} ({@link #timedOut}).
   */
  static boolean refused(Throwable e) {
    return causes(e).anyMatch(ConnectException.class::isInstance);
  }

  /**
   * Whether {@code e} gave up waiting: a {@link SocketTimeoutException} among its causes (no answer to the connect
   * within the SDK's connect timeout, or to the request within its socket timeout), or the SDK's own cut of a call or
   * attempt. Something is slow or drops packets on the way, or a local stack is stuck; nothing refused.
   */
  static boolean timedOut(Throwable e) {
    return causes(e)
        .anyMatch(c -> c instanceof SocketTimeoutException
            || c instanceof ApiCallTimeoutException
            || c instanceof ApiCallAttemptTimeoutException);
  }

  private static Stream<Throwable> causes(Throwable e) {
    return Stream.iterate(e, Objects::nonNull, Throwable::getCause);
  }

  /**
   * The message when the credentials chain found none: why the profile gave none, and the ways to get some. Every
   * way works: the command line carries the STS, SSO and SSO-OIDC modules assume-role and IAM Identity Center
   * profiles need.
   */
  private static String noCredentials(
      String stackName, Region region, String profile, Optional<String> profileProblem) {
    return "no AWS credentials for stack " + stackName + " in " + region + ": "
        + profileProblem
            .map(p -> "profile " + Terminal.printable(profile) + " gives none ("
                + Terminal.printable(p) + "); ")
            .orElse("")
        + credentialsHelp(profile);
  }

  /**
   * Whether the user's chain found no credentials: its failure carries a {@link CredentialSources.NoCredentials}
   * ({@link CredentialSources#noneIn}), as the page tells it. Not its words: a chain's failure to reach STS or IAM
   * Identity Center is the network's, not missing credentials.
   */
  static boolean noCredentials(SdkClientException e) {
    return CredentialSources.noneIn(e).isPresent();
  }

  /** What to do when there are no credentials, as every message that says so says it. */
  static String credentialsHelp(String profile) {
    return CredentialSources.help(Terminal.printable(profile));
  }

  /**
   * The function settings a stack's parameters set (the controller's, Classify's serverless memory and the model's
   * settings), by variable;
   * parameters the stack does not have (an older template) stay absent.
   */
  static Map<String, String> settingsFromParameters(Map<String, String> parameters) {
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    FunctionVariables.PARAMETERS_READ_BY_THE_CLI.forEach((variable, parameter) -> {
      String value = parameters.get(parameter);
      if (value != null) {
        settings.put(variable, value);
      }
    });
    return settings;
  }

  /** Maps a stack's outputs (contracts: "Stack outputs") to names; absent outputs stay absent. */
  static Map<Name, String> namesFromOutputs(Map<String, String> outputs) {
    Map<Name, String> names = new EnumMap<>(Name.class);
    for (Name name : Name.values()) {
      String value = outputs.get(name.output());
      if (value != null) {
        names.put(name, value);
      }
    }
    return names;
  }
}
