package offhours.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The SageMaker control-plane subset offhours uses, with SageMaker's endpoint life cycle:
 * CreateEndpoint answers at once with the endpoint {@code Creating}; the container is launched later and
 * the endpoint goes {@code InService} only once the container answers {@code GET /ping} with 200
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html#your-algorithms-inference-algo-ping-requests).
 *
 * <p>All state sits behind this object's monitor; container launches, pings and stops run outside it.
 * Error messages follow what the service answers (quoted ARNs, lower-case resource names in ARNs).
 */
final class ControlPlane implements AutoCloseable {
  // SageMaker's name constraint for models, endpoint configs and endpoints (API reference, e.g. API_CreateEndpoint.html).
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  private static final String PING_FAILURE = "The primary container for production variant %s did not pass the ping"
      + " health check. Please check CloudWatch logs for this endpoint.";

  record Model(String name, String arn, String image, String modelDataUrl, Map<String, String> environment,
      String executionRoleArn, Instant created) {}

  record Variant(String variantName, String modelName, String instanceType, int initialInstanceCount, float weight) {}

  record EndpointConfig(String name, String arn, List<Variant> variants, Instant created) {}

  enum Plan { LAUNCH, FAIL, STALL }

  /** One incarnation of an endpoint; {@code id} tells a re-created endpoint from the one a late task meant. */
  record Endpoint(long id, String name, String arn, String configName, Variant variant, ContainerSpec spec,
      String status, Instant created, Instant modified, String failureReason, ModelContainer container) {
    Endpoint with(String newStatus, Instant now, String reason, ModelContainer newContainer) {
      return new Endpoint(id, name, arn, configName, variant, spec, newStatus, created, now, reason, newContainer);
    }

    Endpoint deployed(Deployment d, Instant now, ModelContainer newContainer) {
      return new Endpoint(id, name, arn, d.configName(), d.variant(), d.spec(), "InService", created, now, null,
          newContainer);
    }
  }

  /** What an endpoint config resolves to when an endpoint is created or updated. */
  record Deployment(String configName, Variant variant, ContainerSpec spec) {
  }

  private final ObjectMapper json;
  private final String region;
  private final String account;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final HttpClient http;
  private final Map<String, ContainerLauncher> launchers;
  private final Map<String, Model> models = new HashMap<>();
  private final Map<String, EndpointConfig> configs = new HashMap<>();
  private final Map<String, Endpoint> endpoints = new HashMap<>();
  /** Tags given to CreateEndpoint, by endpoint ARN; they go with the endpoint. */
  private final Map<String, Map<String, String>> endpointTags = new HashMap<>();
  private final AtomicLong ids = new AtomicLong();

  private Duration creatingDelay;
  private Duration deletingDelay;
  private final Duration pingTimeout;
  private int failNext;
  private String failReason;
  private int stallNext;
  private boolean closed;

  ControlPlane(ObjectMapper json, String region, String account, Clock clock, ScheduledExecutorService scheduler,
      HttpClient http, Map<String, ContainerLauncher> launchers, Duration creatingDelay, Duration deletingDelay,
      Duration pingTimeout) {
    this.json = json;
    this.region = region;
    this.account = account;
    this.clock = clock;
    this.scheduler = scheduler;
    this.http = http;
    this.launchers = Map.copyOf(launchers);
    this.creatingDelay = creatingDelay;
    this.deletingDelay = deletingDelay;
    this.pingTimeout = pingTimeout;
  }

  String account() {
    return account;
  }

  String region() {
    return region;
  }

  ObjectNode handle(String operation, JsonNode in) {
    return switch (operation) {
      case "CreateModel" -> createModel(in);
      case "DescribeModel" -> describeModel(in);
      case "DeleteModel" -> deleteModel(in);
      case "CreateEndpointConfig" -> createEndpointConfig(in);
      case "DescribeEndpointConfig" -> describeEndpointConfig(in);
      case "DeleteEndpointConfig" -> deleteEndpointConfig(in);
      case "CreateEndpoint" -> createEndpoint(in);
      case "DescribeEndpoint" -> describeEndpoint(in);
      case "DeleteEndpoint" -> deleteEndpoint(in);
      case "ListEndpoints" -> listEndpoints(in);
      case "UpdateEndpoint" -> updateEndpoint(in);
      case "ListTags" -> listTags(in);
      default -> throw new AwsError(400, "UnknownOperationException",
          "The requested operation " + operation + " is not recognized by the local SageMaker; it serves"
              + " CreateModel, DescribeModel, DeleteModel, CreateEndpointConfig, DescribeEndpointConfig,"
              + " DeleteEndpointConfig, CreateEndpoint, DescribeEndpoint, DeleteEndpoint, ListEndpoints, UpdateEndpoint"
              + " and ListTags.");
    };
  }

  // ---- failure injection and timing, for tests and the controller's tests ----

  synchronized void failNextCreates(int count, String reason) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    failNext = count;
    failReason = reason;
  }

  synchronized void stallNextCreates(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, was " + count);
    }
    stallNext = count;
  }

  synchronized void delays(Duration creating, Duration deleting) {
    creatingDelay = requireNonNegative(creating, "creating delay");
    deletingDelay = requireNonNegative(deleting, "deleting delay");
  }

  static Duration requireNonNegative(Duration d, String what) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be zero or positive, was " + d);
    }
    return d;
  }

  /** The endpoint the runtime may forward to, or the runtime's error for an endpoint that cannot serve. */
  synchronized Endpoint inService(String name) {
    Endpoint endpoint = endpoints.get(key(name));
    // The runtime only knows InService endpoints: absent, Creating, Failed and Deleting ones all answer
    // "not found" (the message customers report, e.g. github.com/aws/amazon-sagemaker-examples/issues/559).
    // An endpoint being updated keeps serving from its current container, as SageMaker's does.
    boolean serving = endpoint != null && (endpoint.status().equals("InService")
        || endpoint.status().equals("Updating") && endpoint.container() != null);
    if (!serving) {
      throw new AwsError(400, "ValidationError", "Endpoint " + name + " of account " + account + " not found.");
    }
    return endpoint;
  }

  // ---- models ----

  private ObjectNode createModel(JsonNode in) {
    String name = name(in, "ModelName", "modelName");
    JsonNode container = in.path("PrimaryContainer");
    if (container.isMissingNode() && in.path("Containers").size() > 0) {
      container = in.path("Containers").get(0);
    }
    String image = text(container, "Image");
    if (image == null) {
      throw AwsError.validation("Model " + name + " needs PrimaryContainer.Image; the local SageMaker serves images "
          + new TreeSet<>(launchers.keySet()));
    }
    if (!launchers.containsKey(image)) {
      throw AwsError.validation("Image \"" + image + "\" is not known to the local SageMaker; known images are "
          + new TreeSet<>(launchers.keySet()) + ". Register a launcher with LocalSageMaker.builder().container(image, launcher).");
    }
    Map<String, String> environment = new LinkedHashMap<>();
    container.path("Environment").properties().forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
    synchronized (this) {
      String arn = arn("model", name);
      if (models.containsKey(key(name))) {
        throw AwsError.validation("Cannot create already existing model \"" + arn + "\".");
      }
      models.put(key(name), new Model(name, arn, image, text(container, "ModelDataUrl"), Map.copyOf(environment),
          text(in, "ExecutionRoleArn"), clock.instant()));
      return json.createObjectNode().put("ModelArn", arn);
    }
  }

  private synchronized ObjectNode describeModel(JsonNode in) {
    Model model = model(required(in, "ModelName"));
    ObjectNode out = json.createObjectNode().put("ModelName", model.name());
    ObjectNode container = out.putObject("PrimaryContainer").put("Image", model.image()).put("Mode", "SingleModel");
    if (model.modelDataUrl() != null) {
      container.put("ModelDataUrl", model.modelDataUrl());
    }
    ObjectNode env = container.putObject("Environment");
    model.environment().forEach(env::put);
    if (model.executionRoleArn() != null) {
      out.put("ExecutionRoleArn", model.executionRoleArn());
    }
    out.put("CreationTime", epochSeconds(model.created()));
    out.put("ModelArn", model.arn());
    out.put("EnableNetworkIsolation", false);
    return out;
  }

  private synchronized ObjectNode deleteModel(JsonNode in) {
    Model model = model(required(in, "ModelName"));
    models.remove(key(model.name()));
    return json.createObjectNode();
  }

  private Model model(String name) {
    Model model = models.get(key(name));
    if (model == null) {
      throw AwsError.validation("Could not find model \"" + arn("model", name) + "\".");
    }
    return model;
  }

  // ---- endpoint configs ----

  private synchronized ObjectNode createEndpointConfig(JsonNode in) {
    String name = name(in, "EndpointConfigName", "endpointConfigName");
    String arn = arn("endpoint-config", name);
    if (configs.containsKey(key(name))) {
      throw AwsError.validation("Cannot create already existing endpoint configuration \"" + arn + "\".");
    }
    List<Variant> variants = new ArrayList<>();
    for (JsonNode v : in.path("ProductionVariants")) {
      String modelName = required(v, "ModelName");
      model(modelName);
      variants.add(new Variant(required(v, "VariantName"), modelName, text(v, "InstanceType"),
          v.path("InitialInstanceCount").asInt(1), (float) v.path("InitialVariantWeight").asDouble(1.0)));
    }
    if (variants.isEmpty()) {
      throw AwsError.validation("Endpoint configuration " + name + " needs at least one ProductionVariants entry.");
    }
    configs.put(key(name), new EndpointConfig(name, arn, List.copyOf(variants), clock.instant()));
    return json.createObjectNode().put("EndpointConfigArn", arn);
  }

  private synchronized ObjectNode describeEndpointConfig(JsonNode in) {
    EndpointConfig config = config(required(in, "EndpointConfigName"));
    ObjectNode out = json.createObjectNode()
        .put("EndpointConfigName", config.name())
        .put("EndpointConfigArn", config.arn());
    ArrayNode variants = out.putArray("ProductionVariants");
    for (Variant v : config.variants()) {
      ObjectNode node = variants.addObject().put("VariantName", v.variantName()).put("ModelName", v.modelName())
          .put("InitialInstanceCount", v.initialInstanceCount()).put("InitialVariantWeight", v.weight());
      if (v.instanceType() != null) {
        node.put("InstanceType", v.instanceType());
      }
    }
    out.put("CreationTime", epochSeconds(config.created()));
    return out;
  }

  private synchronized ObjectNode deleteEndpointConfig(JsonNode in) {
    EndpointConfig config = config(required(in, "EndpointConfigName"));
    configs.remove(key(config.name()));
    return json.createObjectNode();
  }

  private EndpointConfig config(String name) {
    EndpointConfig config = configs.get(key(name));
    if (config == null) {
      throw AwsError.validation("Could not find endpoint configuration \"" + arn("endpoint-config", name) + "\".");
    }
    return config;
  }

  // ---- endpoints ----

  private synchronized ObjectNode createEndpoint(JsonNode in) {
    String name = name(in, "EndpointName", "endpointName");
    String arn = arn("endpoint", name);
    if (endpoints.containsKey(key(name))) {
      throw AwsError.validation("Cannot create already existing endpoint \"" + arn + "\".");
    }
    Deployment d = deployment(name, required(in, "EndpointConfigName"));
    Map<String, String> tags = tags(in);
    Instant now = clock.instant();
    Endpoint endpoint = new Endpoint(ids.incrementAndGet(), name, arn, d.configName(), d.variant(), d.spec(),
        "Creating", now, now, null, null);
    endpoints.put(key(name), endpoint);
    endpointTags.put(arn, tags);
    Plan plan = Plan.LAUNCH;
    String reason = null;
    if (failNext > 0) {
      failNext--;
      plan = Plan.FAIL;
      reason = failReason;
    } else if (stallNext > 0) {
      stallNext--;
      plan = Plan.STALL;
    }
    if (plan != Plan.STALL) {
      Plan chosen = plan;
      String why = reason;
      scheduler.schedule(() -> finishCreating(endpoint, chosen, why), creatingDelay.toMillis(), TimeUnit.MILLISECONDS);
    }
    return json.createObjectNode().put("EndpointArn", arn);
  }

  /** The config's first variant (offhours serves one; it takes all traffic) and its model's container. */
  private Deployment deployment(String endpointName, String configName) {
    EndpointConfig config = config(configName);
    Variant variant = config.variants().get(0);
    Model model = model(variant.modelName());
    return new Deployment(config.name(), variant,
        new ContainerSpec(endpointName, model.image(), model.modelDataUrl(), model.environment()));
  }

  /**
   * UpdateEndpoint: {@code Updating} while the new config's container starts (the old one keeps serving),
   * then {@code InService} on the new config. A container that does not start rolls the endpoint back to
   * its old deployment, InService, with the reason in FailureReason.
   */
  private ObjectNode updateEndpoint(JsonNode in) {
    Endpoint updating;
    Deployment target;
    synchronized (this) {
      Endpoint e = endpoint(required(in, "EndpointName"));
      if (e.status().equals("Failed")) {
        throw AwsError.validation("Cannot update failed endpoint \"" + e.arn() + "\"; DeleteEndpoint is the only"
            + " operation that can be performed on a failed endpoint.");
      }
      if (!e.status().equals("InService")) {
        throw AwsError.validation("Cannot update in-progress endpoint \"" + e.arn() + "\".");
      }
      target = deployment(e.name(), required(in, "EndpointConfigName"));
      updating = e.with("Updating", clock.instant(), null, e.container());
      endpoints.put(key(e.name()), updating);
    }
    Deployment d = target;
    scheduler.schedule(() -> finishUpdating(updating, d), creatingDelay.toMillis(), TimeUnit.MILLISECONDS);
    return json.createObjectNode().put("EndpointArn", updating.arn());
  }

  private void finishUpdating(Endpoint updating, Deployment target) {
    if (!isCurrent(updating, "Updating")) {
      return;
    }
    Started started = start(target.spec(), target.variant());
    ModelContainer retired = null;
    synchronized (this) {
      if (!isCurrent(updating, "Updating")) {
        retired = started.container(); // deleted while the new container started
      } else if (started.container() == null) {
        endpoints.put(key(updating.name()), updating.with("InService", clock.instant(), started.failure(),
            updating.container()));
      } else {
        endpoints.put(key(updating.name()), updating.deployed(target, clock.instant(), started.container()));
        retired = updating.container();
      }
    }
    if (retired != null) {
      retired.close();
    }
  }

  private void finishCreating(Endpoint endpoint, Plan plan, String injectedReason) {
    if (plan == Plan.FAIL) {
      transition(endpoint, "Failed", injectedReason, null);
      return;
    }
    if (!isCurrent(endpoint, "Creating")) {
      return;
    }
    Started started = start(endpoint.spec(), endpoint.variant());
    if (started.container() == null) {
      transition(endpoint, "Failed", started.failure(), null);
    } else if (!transition(endpoint, "InService", null, started.container())) {
      started.container().close(); // deleted (or the service closed) while the container started
    }
  }

  /** A healthy container, or why there is none. */
  private record Started(ModelContainer container, String failure) {}

  private Started start(ContainerSpec spec, Variant variant) {
    ModelContainer container;
    try {
      container = launchers.get(spec.image()).launch(spec);
    } catch (Exception e) {
      return new Started(null, "Failed to launch the primary container (image " + spec.image()
          + ") for production variant " + variant.variantName() + ": " + e.getMessage());
    }
    Optional<String> pingFailure = awaitPing(container);
    if (pingFailure.isPresent()) {
      container.close();
      return new Started(null, PING_FAILURE.formatted(variant.variantName()) + " Local detail: " + pingFailure.get());
    }
    return new Started(container, null);
  }

  /** Polls {@code GET /ping} until 200, the ping timeout, or the container process exits; empty when healthy. */
  private Optional<String> awaitPing(ModelContainer container) {
    long deadline = System.nanoTime() + pingTimeout.toNanos();
    URI ping = container.baseUri().resolve("/ping");
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (container instanceof CommandLauncher.CommandContainer c && !c.process().isAlive()) {
        return Optional.of("the container command exited with status " + c.process().exitValue() + " before /ping"
            + " answered 200; see its log " + c.log());
      }
      try {
        HttpResponse<Void> response = http.send(
            HttpRequest.newBuilder(ping).timeout(Duration.ofSeconds(2)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return Optional.empty();
        }
        last = "GET " + ping + " answered " + response.statusCode();
      } catch (ConnectException e) {
        last = "nothing listens on " + container.baseUri();
      } catch (IOException e) {
        last = "GET " + ping + " failed: " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted while waiting for " + ping);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted while waiting for " + ping);
      }
    }
    return Optional.of("no 200 from " + ping + " within " + pingTimeout + " (" + last + ")");
  }

  private synchronized boolean isCurrent(Endpoint endpoint, String status) {
    Endpoint now = endpoints.get(key(endpoint.name()));
    return !closed && now != null && now.id() == endpoint.id() && now.status().equals(status);
  }

  /** Creating -> InService/Failed, only if this incarnation is still Creating (a delete may have won). */
  private synchronized boolean transition(Endpoint endpoint, String status, String reason, ModelContainer container) {
    if (!isCurrent(endpoint, "Creating")) {
      return false;
    }
    endpoints.put(key(endpoint.name()), endpoints.get(key(endpoint.name())).with(status, clock.instant(), reason,
        container));
    return true;
  }

  private synchronized ObjectNode describeEndpoint(JsonNode in) {
    Endpoint e = endpoint(required(in, "EndpointName"));
    ObjectNode out = json.createObjectNode()
        .put("EndpointName", e.name())
        .put("EndpointArn", e.arn())
        .put("EndpointConfigName", e.configName());
    if (e.container() != null) { // a deployed variant: InService, and Updating or Deleting while it still serves
      ObjectNode variant = out.putArray("ProductionVariants").addObject().put("VariantName", e.variant().variantName());
      variant.putArray("DeployedImages").addObject()
          .put("SpecifiedImage", e.spec().image())
          .put("ResolvedImage", e.spec().image())
          .put("ResolutionTime", epochSeconds(e.created()));
      variant.put("CurrentWeight", e.variant().weight())
          .put("DesiredWeight", e.variant().weight())
          .put("CurrentInstanceCount", e.variant().initialInstanceCount())
          .put("DesiredInstanceCount", e.variant().initialInstanceCount());
    }
    out.put("EndpointStatus", e.status());
    if (e.failureReason() != null) {
      out.put("FailureReason", e.failureReason());
    }
    out.put("CreationTime", epochSeconds(e.created()));
    out.put("LastModifiedTime", epochSeconds(e.modified()));
    return out;
  }

  private ObjectNode deleteEndpoint(JsonNode in) {
    Endpoint deleting;
    synchronized (this) {
      Endpoint e = endpoint(required(in, "EndpointName"));
      if (e.status().equals("Deleting")) {
        return json.createObjectNode(); // already on its way out
      }
      deleting = e.with("Deleting", clock.instant(), e.failureReason(), e.container());
      endpoints.put(key(e.name()), deleting);
    }
    scheduler.schedule(() -> finishDeleting(deleting), deletingDelay.toMillis(), TimeUnit.MILLISECONDS);
    return json.createObjectNode();
  }

  private void finishDeleting(Endpoint deleting) {
    synchronized (this) {
      Endpoint now = endpoints.get(key(deleting.name()));
      if (now == null || now.id() != deleting.id()) {
        return;
      }
      endpoints.remove(key(deleting.name()));
      endpointTags.remove(deleting.arn());
    }
    if (deleting.container() != null) {
      deleting.container().close();
    }
  }

  /**
   * CreateEndpoint's Tags, checked as SageMaker does: keys of 1 to 128 characters, values of at most 256, no key in
   * the reserved "aws:" prefix, at most 50 tags.
   */
  private static Map<String, String> tags(JsonNode in) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonNode tag : in.path("Tags")) {
      String key = required(tag, "Key");
      String value = tag.path("Value").asText("");
      if (key.isEmpty() || key.length() > 128 || value.length() > 256) {
        throw AwsError.validation("1 validation error detected: Value '" + key + "' at 'tags.member.key' failed to"
            + " satisfy constraint: Member must have length between 1 and 128 (values at most 256)");
      }
      if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        throw AwsError.validation("System prefix 'aws:' reserved for AWS usage in tag key: " + key);
      }
      tags.put(key, value);
    }
    if (tags.size() > 50) {
      throw AwsError.validation("1 validation error detected: Value at 'tags' failed to satisfy constraint: Member"
          + " must have length less than or equal to 50");
    }
    return tags;
  }

  /** ListTags of an endpoint (its CreateEndpoint tags), a model or an endpoint config (none kept); one page. */
  private synchronized ObjectNode listTags(JsonNode in) {
    String arn = required(in, "ResourceArn");
    Map<String, String> tags = endpointTags.get(arn);
    boolean known = tags != null || models.values().stream().anyMatch(m -> m.arn().equals(arn))
        || configs.values().stream().anyMatch(c -> c.arn().equals(arn));
    if (!known) {
      throw AwsError.validation("Resource " + arn + " does not exist.");
    }
    ObjectNode out = json.createObjectNode();
    ArrayNode list = out.putArray("Tags");
    (tags == null ? Map.<String, String>of() : tags).forEach((k, v) -> list.addObject().put("Key", k).put("Value", v));
    return out;
  }

  private Endpoint endpoint(String name) {
    Endpoint endpoint = endpoints.get(key(name));
    if (endpoint == null) {
      throw AwsError.validation("Could not find endpoint \"" + arn("endpoint", name) + "\".");
    }
    return endpoint;
  }

  private synchronized ObjectNode listEndpoints(JsonNode in) {
    String nameContains = text(in, "NameContains");
    String status = text(in, "StatusEquals");
    Comparator<Endpoint> order = switch (Optional.ofNullable(text(in, "SortBy")).orElse("CreationTime")) {
      case "Name" -> Comparator.comparing(Endpoint::name);
      case "Status" -> Comparator.comparing(Endpoint::status);
      default -> Comparator.comparing(Endpoint::created).thenComparing(Endpoint::id);
    };
    if (!"Ascending".equals(text(in, "SortOrder"))) {
      order = order.reversed(); // ListEndpoints sorts Descending by default
    }
    List<Endpoint> matching = endpoints.values().stream()
        .filter(e -> nameContains == null || e.name().toLowerCase(Locale.ROOT).contains(
            nameContains.toLowerCase(Locale.ROOT)))
        .filter(e -> status == null || e.status().equals(status))
        .sorted(order)
        .toList();
    int max = in.path("MaxResults").asInt(10);
    int start = 0;
    String token = text(in, "NextToken");
    if (token != null) {
      try {
        start = Integer.parseInt(token);
      } catch (NumberFormatException e) {
        throw AwsError.validation("Invalid pagination token \"" + token + "\"; pass the NextToken of the previous page.");
      }
    }
    ObjectNode out = json.createObjectNode();
    ArrayNode list = out.putArray("Endpoints");
    int end = Math.min(matching.size(), start + max);
    for (Endpoint e : matching.subList(Math.min(start, matching.size()), end)) {
      list.addObject()
          .put("EndpointName", e.name())
          .put("EndpointArn", e.arn())
          .put("CreationTime", epochSeconds(e.created()))
          .put("LastModifiedTime", epochSeconds(e.modified()))
          .put("EndpointStatus", e.status());
    }
    if (end < matching.size()) {
      out.put("NextToken", Integer.toString(end));
    }
    return out;
  }

  // ---- helpers ----

  /** SageMaker ARNs carry the resource name in lower case (names are unique regardless of case). */
  String arn(String type, String name) {
    return "arn:aws:sagemaker:" + region + ":" + account + ":" + type + "/" + name.toLowerCase(Locale.ROOT);
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** AWS JSON 1.1 timestamps are epoch seconds; BigDecimal keeps Jackson from writing an exponent. */
  private static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static String required(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      throw AwsError.validation("1 validation error detected: Value null at '" + Character.toLowerCase(field.charAt(0))
          + field.substring(1) + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  /** A name for a new resource, checked against SageMaker's pattern with the service's validation message. */
  private static String name(JsonNode in, String field, String member) {
    String value = required(in, field);
    if (!NAME.matcher(value).matches()) {
      throw AwsError.validation("1 validation error detected: Value '" + value + "' at '" + member + "' failed to"
          + " satisfy constraint: Member must satisfy regular expression pattern: " + NAME.pattern());
    }
    return value;
  }

  @Override
  public void close() {
    List<ModelContainer> running = new ArrayList<>();
    synchronized (this) {
      closed = true;
      endpoints.values().stream().map(Endpoint::container).filter(c -> c != null).forEach(running::add);
      endpoints.clear();
      endpointTags.clear();
    }
    running.forEach(ModelContainer::close);
  }
}
