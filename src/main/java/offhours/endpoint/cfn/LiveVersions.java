package offhours.endpoint.cfn;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import offhours.stack.StackSpec;
import offhours.units.Plurals;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.Layer;
import software.amazon.awssdk.services.lambda.model.State;
import software.amazon.awssdk.services.lambda.model.VpcConfigResponse;

/**
 * The logic of the custom resource that keeps each function's {@code live} alias on its current configuration. SAM
 * publishes a new version only when the function's code or its template text changes (it hashes the Environment as
 * written, {@code !Ref} unresolved), so a stack update that changes only parameters, or replaces a resource an
 * environment variable names, updates $LATEST but leaves {@code live} on a version whose configuration is frozen.
 * This compares, for each function, what a version freezes between {@code live} and $LATEST; where they differ it
 * publishes $LATEST (with $LATEST's CodeSha256, so that nothing changed since slips in), waits until every new
 * version is Active (SnapStart optimises each first), and only then moves the aliases. Where nothing differs it does
 * nothing. Any failure is answered FAILED with its reason, except during a rollback ({@link #handle}).
 */
final class LiveVersions {
  /** The resource property that lists the functions whose {@code live} alias it keeps current. */
  static final String FUNCTION_NAMES = "FunctionNames";

  /** The resource's PhysicalResourceId: there is one per stack, and nothing to delete with it. */
  static final String PHYSICAL_ID = "offhours-live-versions";

  /** The longest Description PublishVersion takes (Lambda API reference, PublishVersion). */
  static final int MAX_DESCRIPTION = 256;

  private static final String ELLIPSIS = "...";

  /** Between two looks at a version that is still Pending. */
  private static final Duration POLL = Duration.ofSeconds(5);

  /** The stack status in which a FAILED answer to an Update would leave the stack UPDATE_ROLLBACK_FAILED. */
  private static final String ROLLING_BACK = "UPDATE_ROLLBACK_IN_PROGRESS";

  /** A stack's status by its StackId, as CloudFormation's DescribeStacks gives it; throws when it cannot tell. */
  @FunctionalInterface
  interface StackStatus {
    String of(String stackId);
  }

  private final LambdaClient lambda;
  private final StackStatus stacks;
  private final Clock clock;
  private final EndpointCleanup.Pause pause;

  LiveVersions(LambdaClient lambda, StackStatus stacks, Clock clock, EndpointCleanup.Pause pause) {
    this.lambda = Objects.requireNonNull(lambda, "lambda");
    this.stacks = Objects.requireNonNull(stacks, "stacks");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.pause = Objects.requireNonNull(pause, "pause");
  }

  /**
   * Answers {@code event}: Create and Update republish where needed, waiting at most {@code budget}. A rollback sends
   * an Update too, but CloudFormation does not document whether it comes before or after the functions' own rollback,
   * so after a rollback {@code live} may carry either settings; a deploy that changes only
   * {@link LiveVersionsHandler#REVISION_PARAMETER} makes CloudFormation send an Update that compares again. A failure
   * answers FAILED with the reason, so that the stack update rolls back rather than leave the functions running with
   * stale settings. Not during a rollback, though ({@link #failedUpdate}). Delete succeeds without acting: the
   * versions go with their functions. {@code log} gets what the answer cannot show in full.
   */
  Map<String, Object> handle(Map<String, Object> event, Duration budget, Consumer<String> log) {
    String type = String.valueOf(event.get("RequestType"));
    if (type.equals("Delete")) {
      return CustomResourceResponse.of(event, "SUCCESS", "nothing to do on Delete", PHYSICAL_ID);
    }
    if (!type.equals("Create") && !type.equals("Update")) {
      return CustomResourceResponse.of(
          event,
          "FAILED",
          "RequestType '" + type + "' is not Create, Update or Delete",
          PHYSICAL_ID);
    }
    try {
      List<String> notes = republish(functionNames(event), budget);
      return CustomResourceResponse.of(event, "SUCCESS", String.join("; ", notes), PHYSICAL_ID);
    } catch (RuntimeException e) {
      String reason = "could not bring the functions' " + StackSpec.FUNCTION_ALIAS
          + " alias to their current configuration: " + e.getMessage();
      return type.equals("Update")
          ? failedUpdate(event, reason, log)
          : CustomResourceResponse.of(event, "FAILED", reason, PHYSICAL_ID);
    }
  }

  /**
   * The answer to an Update that failed with {@code reason}: FAILED, unless the stack is rolling back. A FAILED answer
   * then would leave the stack UPDATE_ROLLBACK_FAILED, stuck until ContinueUpdateRollback skips this resource, so
   * the rollback gets SUCCESS with the reason, and {@code live} may keep settings $LATEST no longer has. When the
   * stack's status cannot be read, FAILED.
   */
  private Map<String, Object> failedUpdate(
      Map<String, Object> event, String reason, Consumer<String> log) {
    String status;
    try {
      status = stacks.of(String.valueOf(event.get("StackId")));
    } catch (RuntimeException e) {
      return CustomResourceResponse.of(
          event,
          "FAILED",
          reason + " (the stack's status, to tell a rollback, could not be read either: "
              + e.getMessage() + ")",
          PHYSICAL_ID);
    }
    if (!ROLLING_BACK.equals(status)) {
      return CustomResourceResponse.of(event, "FAILED", reason, PHYSICAL_ID);
    }
    String note = "answered SUCCESS so that the stack's rollback completes (FAILED would leave it"
        + " UPDATE_ROLLBACK_FAILED), but the rollback did not reach every function's "
        + StackSpec.FUNCTION_ALIAS + " alias: it may carry other settings than the function;"
        + " change the " + LiveVersionsHandler.REVISION_PARAMETER
        + " parameter and deploy to bring them together. "
        + reason;
    log.accept("LiveVersions during " + ROLLING_BACK + ": " + note);
    return CustomResourceResponse.of(event, "SUCCESS", note, PHYSICAL_ID);
  }

  /** The answer when the function cannot work at all: FAILED with the reason, except on Delete. */
  static Map<String, Object> unavailable(Map<String, Object> event, String reason) {
    return "Delete".equals(event.get("RequestType"))
        ? CustomResourceResponse.of(event, "SUCCESS", "nothing to do on Delete", PHYSICAL_ID)
        : CustomResourceResponse.of(event, "FAILED", reason, PHYSICAL_ID);
  }

  /** The event's {@link #FUNCTION_NAMES}: a non-empty list of names, or an exception saying what is wrong. */
  private static List<String> functionNames(Map<String, Object> event) {
    Object names =
        event.get("ResourceProperties") instanceof Map<?, ?> p ? p.get(FUNCTION_NAMES) : null;
    if (!(names instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException(
          "ResourceProperties." + FUNCTION_NAMES + " must list the function names, got " + names);
    }
    List<String> out = new ArrayList<>();
    for (Object name : list) {
      if (!(name instanceof String s) || s.isBlank()) {
        throw new IllegalArgumentException(
            "ResourceProperties." + FUNCTION_NAMES + " must hold function names only, got " + list);
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Republishes each of {@code functions} whose {@code live} version's configuration differs from $LATEST's, waiting
   * at most {@code budget} in all for the new versions to become Active; returns what it did, one note per function.
   */
  private List<String> republish(List<String> functions, Duration budget) {
    Instant deadline = clock.instant().plus(budget);
    Map<String, String> published = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (String function : functions) {
      GetFunctionConfigurationResponse live = configuration(function, StackSpec.FUNCTION_ALIAS);
      GetFunctionConfigurationResponse latest = configuration(function, null);
      List<String> differences = differences(live, latest);
      if (differences.isEmpty()) {
        notes.add(function + ": live (version " + live.version() + ") is current");
        continue;
      }
      String version = lambda
          .publishVersion(r -> r.functionName(function)
              .codeSha256(latest.codeSha256())
              .description(description(changed(live, latest))))
          .version();
      published.put(function, version);
      notes.add(function + ": live version " + live.version() + " -> " + version + " ("
          + String.join(", ", differences) + " differed)");
    }
    for (Map.Entry<String, String> p : published.entrySet()) {
      awaitActive(p.getKey(), p.getValue(), deadline, budget);
    }
    for (Map.Entry<String, String> p : published.entrySet()) {
      lambda.updateAlias(r ->
          r.functionName(p.getKey()).name(StackSpec.FUNCTION_ALIAS).functionVersion(p.getValue()));
    }
    return notes;
  }

  private GetFunctionConfigurationResponse configuration(String function, String qualifier) {
    return lambda.getFunctionConfiguration(r -> r.functionName(function).qualifier(qualifier));
  }

  /**
   * What a version freezes, by name: each getter of a configuration that a published version keeps as it was. The
   * Environment compares by variable, so that the note names the variables that differ (not their values). Left out:
   * what differs between a version and $LATEST without any configuration change (Description, RevisionId, Version,
   * FunctionArn, LastModified, State*, LastUpdateStatus*, SnapStart's OptimizationStatus, RuntimeVersionConfig, which
   * Lambda's automatic runtime updates move, and ConfigSha256, whose inputs are not documented), what follows from a
   * compared one (CodeSize, from CodeSha256; VpcConfig's VpcId, from its subnets) and MasterArn (Lambda@Edge
   * replicas only).
   */
  private static final Map<String, Function<GetFunctionConfigurationResponse, Object>> FROZEN =
      frozen();

  private static Map<String, Function<GetFunctionConfigurationResponse, Object>> frozen() {
    Map<String, Function<GetFunctionConfigurationResponse, Object>> f = new LinkedHashMap<>();
    f.put("CodeSha256", GetFunctionConfigurationResponse::codeSha256);
    f.put("MemorySize", GetFunctionConfigurationResponse::memorySize);
    f.put("Timeout", GetFunctionConfigurationResponse::timeout);
    f.put("Role", GetFunctionConfigurationResponse::role);
    f.put("Handler", GetFunctionConfigurationResponse::handler);
    f.put("Runtime", GetFunctionConfigurationResponse::runtimeAsString);
    f.put("Architectures", GetFunctionConfigurationResponse::architecturesAsStrings);
    f.put(
        "EphemeralStorage",
        c -> c.ephemeralStorage() == null ? null : c.ephemeralStorage().size());
    f.put("LoggingConfig", GetFunctionConfigurationResponse::loggingConfig);
    f.put("SnapStart", c -> c.snapStart() == null ? null : c.snapStart().applyOnAsString());
    f.put("Layers", c -> c.hasLayers() ? c.layers().stream().map(Layer::arn).toList() : List.of());
    f.put("VpcConfig", LiveVersions::vpc);
    f.put(
        "TracingConfig",
        c -> c.tracingConfig() == null ? null : c.tracingConfig().modeAsString());
    f.put("KMSKeyArn", GetFunctionConfigurationResponse::kmsKeyArn);
    f.put(
        "DeadLetterConfig",
        c -> c.deadLetterConfig() == null ? null : c.deadLetterConfig().targetArn());
    f.put("FileSystemConfigs", c -> c.hasFileSystemConfigs() ? c.fileSystemConfigs() : List.of());
    f.put("PackageType", GetFunctionConfigurationResponse::packageTypeAsString);
    f.put(
        "ImageConfig",
        c -> c.imageConfigResponse() == null ? null : c.imageConfigResponse().imageConfig());
    f.put("SigningProfileVersionArn", GetFunctionConfigurationResponse::signingProfileVersionArn);
    f.put("SigningJobArn", GetFunctionConfigurationResponse::signingJobArn);
    f.put("CapacityProviderConfig", GetFunctionConfigurationResponse::capacityProviderConfig);
    f.put("DurableConfig", GetFunctionConfigurationResponse::durableConfig);
    f.put("TenancyConfig", GetFunctionConfigurationResponse::tenancyConfig);
    return Map.copyOf(f);
  }

  /**
   * The names of what differs between the two configurations, in a stable order: "Environment [A, B]" for the
   * variables, then each other setting by name.
   */
  private static List<String> differences(
      GetFunctionConfigurationResponse live, GetFunctionConfigurationResponse latest) {
    List<String> d = new ArrayList<>();
    List<String> variables = changedVariables(live, latest);
    if (!variables.isEmpty()) {
      d.add("Environment " + variables);
    }
    d.addAll(changedSettings(live, latest));
    return d;
  }

  /** Each variable and each other setting that differs, by name: what the new version's Description lists. */
  private static List<String> changed(
      GetFunctionConfigurationResponse live, GetFunctionConfigurationResponse latest) {
    List<String> c = new ArrayList<>(changedVariables(live, latest));
    c.addAll(changedSettings(live, latest));
    return c;
  }

  private static List<String> changedVariables(
      GetFunctionConfigurationResponse live, GetFunctionConfigurationResponse latest) {
    Map<String, String> a = variables(live);
    Map<String, String> b = variables(latest);
    TreeSet<String> names = new TreeSet<>(a.keySet());
    names.addAll(b.keySet());
    return names.stream().filter(n -> !Objects.equals(a.get(n), b.get(n))).toList();
  }

  private static List<String> changedSettings(
      GetFunctionConfigurationResponse live, GetFunctionConfigurationResponse latest) {
    return new TreeSet<>(FROZEN.keySet())
        .stream()
            .filter(name ->
                !Objects.equals(FROZEN.get(name).apply(live), FROZEN.get(name).apply(latest)))
            .toList();
  }

  /**
   * A new version's Description: how many settings changed and their names, cut to {@link #MAX_DESCRIPTION}
   * characters with "..." at the end where they do not fit (PublishVersion refuses a longer one).
   */
  static String description(List<String> changed) {
    String full = "offhours LiveVersions: " + Plurals.of(changed.size(), "setting") + " changed: "
        + String.join(", ", changed);
    return full.length() <= MAX_DESCRIPTION
        ? full
        : full.substring(0, MAX_DESCRIPTION - ELLIPSIS.length()) + ELLIPSIS;
  }

  /** A VPC configuration's subnets, security groups and dual-stack flag; none (as without one) when it has neither. */
  private static Object vpc(GetFunctionConfigurationResponse c) {
    VpcConfigResponse v = c.vpcConfig();
    List<String> subnets = v == null || !v.hasSubnetIds() ? List.of() : v.subnetIds();
    List<String> groups = v == null || !v.hasSecurityGroupIds() ? List.of() : v.securityGroupIds();
    return subnets.isEmpty() && groups.isEmpty()
        ? null
        : List.of(
            new TreeSet<>(subnets),
            new TreeSet<>(groups),
            String.valueOf(v.ipv6AllowedForDualStack()));
  }

  private static Map<String, String> variables(GetFunctionConfigurationResponse c) {
    return c.environment() == null || !c.environment().hasVariables()
        ? Map.of()
        : c.environment().variables();
  }

  private void awaitActive(String function, String version, Instant deadline, Duration budget) {
    while (true) {
      GetFunctionConfigurationResponse c = configuration(function, version);
      if (c.state() == State.ACTIVE) {
        return;
      }
      if (c.state() == State.FAILED || c.state() == State.INACTIVE) {
        throw new IllegalStateException("version " + version + " of " + function + " is "
            + c.stateAsString() + " (" + c.stateReasonCodeAsString() + ": " + c.stateReason()
            + "); live stays on its version");
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw new IllegalStateException("version " + version + " of " + function + " was still "
            + c.stateAsString() + " after " + budget.toSeconds()
            + " s (SnapStart optimises a new version first); live stays on its version: retry"
            + " the stack update");
      }
      try {
        pause.sleep(POLL.compareTo(left) < 0 ? POLL : left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(
            "interrupted while waiting for version " + version + " of " + function, e);
      }
    }
  }
}
