package offhours.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import offhours.local.sagemaker.EndpointConfigs.EndpointConfig;
import offhours.local.sagemaker.EndpointConfigs.Serverless;
import offhours.local.sagemaker.EndpointConfigs.Variant;
import offhours.local.sagemaker.Models.HostedModel;

/**
 * The SageMaker control plane's AWS JSON 1.1 protocol: reads each operation's request members, checks them the
 * way the service's model does (with its "1 validation error detected" messages), calls the resource's state
 * machine ({@link Models}, {@link EndpointConfigs}, {@link Endpoints}) and writes the response shape.
 */
final class ControlApi {
  // SageMaker's name constraint for models, endpoint configs and endpoints (API reference, e.g.
  // API_CreateEndpoint.html).
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");

  private final ObjectMapper json;
  private final Models models;
  private final EndpointConfigs configs;
  private final Endpoints endpoints;
  private final ContainerSupervisor containers;
  private final InferenceComponents components;
  private final ComponentApi componentApi;

  ControlApi(
      ObjectMapper json,
      Models models,
      EndpointConfigs configs,
      Endpoints endpoints,
      ContainerSupervisor containers,
      InferenceComponents components) {
    this.json = json;
    this.models = models;
    this.configs = configs;
    this.endpoints = endpoints;
    this.containers = containers;
    this.components = components;
    this.componentApi = new ComponentApi(json, components, endpoints, configs);
  }

  ObjectNode handle(String operation, JsonNode in) {
    return switch (operation) {
      case "CreateModel" -> createModel(in);
      case "DescribeModel" -> describeModel(in);
      case "DeleteModel" -> {
        models.delete(required(in, "ModelName"));
        yield json.createObjectNode();
      }
      case "CreateEndpointConfig" -> createEndpointConfig(in);
      case "DescribeEndpointConfig" -> describeEndpointConfig(in);
      case "DeleteEndpointConfig" -> {
        configs.delete(required(in, "EndpointConfigName"));
        yield json.createObjectNode();
      }
      case "CreateEndpoint" ->
        json.createObjectNode()
            .put(
                "EndpointArn",
                endpoints.create(
                    name(in, "EndpointName", "endpointName"),
                    required(in, "EndpointConfigName"),
                    tags(in)));
      case "DescribeEndpoint" -> describeEndpoint(endpoints.get(required(in, "EndpointName")));
      case "DeleteEndpoint" -> {
        String name = required(in, "EndpointName");
        components.requireNoneOn(endpoints.get(name));
        endpoints.delete(name);
        yield json.createObjectNode();
      }
      case "ListEndpoints" -> listEndpoints(in);
      case "UpdateEndpoint" ->
        json.createObjectNode()
            .put(
                "EndpointArn",
                endpoints.update(required(in, "EndpointName"), required(in, "EndpointConfigName")));
      case "ListTags" -> listTags(in);
      default ->
        componentApi
            .handle(operation, in)
            .orElseThrow(() -> new AwsError(
                400,
                "UnknownOperationException",
                "The requested operation " + operation
                    + " is not recognized by the local SageMaker; it serves"
                    + " CreateModel, DescribeModel, DeleteModel, CreateEndpointConfig, DescribeEndpointConfig,"
                    + " DeleteEndpointConfig, CreateEndpoint, DescribeEndpoint, DeleteEndpoint, ListEndpoints, UpdateEndpoint,"
                    + " ListTags, " + ComponentApi.OPERATIONS + "."));
    };
  }

  // ---- tags ----

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
        throw AwsError.validation(
            "1 validation error detected: Value '" + key + "' at 'tags.member.key' failed to"
                + " satisfy constraint: Member must have length between 1 and 128 (values at most 256)");
      }
      if (key.toLowerCase(Locale.ROOT).startsWith("aws:")) {
        throw AwsError.validation("System prefix 'aws:' reserved for AWS usage in tag key: " + key);
      }
      tags.put(key, value);
    }
    if (tags.size() > 50) {
      throw AwsError.validation(
          "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member"
              + " must have length less than or equal to 50");
    }
    return tags;
  }

  /** ListTags of an endpoint (its CreateEndpoint tags), a model or an endpoint config (none kept); one page. */
  private ObjectNode listTags(JsonNode in) {
    String arn = required(in, "ResourceArn");
    Map<String, String> tags = endpoints.tags(arn);
    if (tags == null && !models.hasArn(arn) && !configs.hasArn(arn)) {
      throw AwsError.validation("Resource " + arn + " does not exist.");
    }
    ObjectNode out = json.createObjectNode();
    ArrayNode list = out.putArray("Tags");
    (tags == null ? Map.<String, String>of() : tags)
        .forEach((k, v) -> list.addObject().put("Key", k).put("Value", v));
    return out;
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
      throw AwsError.validation(
          "Model " + name + " needs PrimaryContainer.Image; the local SageMaker serves images "
              + containers.images());
    }
    if (!containers.serves(image)) {
      throw AwsError.validation(
          "Image \"" + image + "\" is not known to the local SageMaker; known images are "
              + containers.images()
              + ". Register a launcher with LocalSageMaker.builder().container(image, launcher)"
              + (image.equals(LocalSageMaker.COMMAND_IMAGE)
                  ? ", or give the command when the local stack starts" + " (--container-command)."
                  : "."));
    }
    Map<String, String> environment = new LinkedHashMap<>();
    container
        .path("Environment")
        .properties()
        .forEach(e -> environment.put(e.getKey(), e.getValue().asText()));
    try {
      containers.check(image, text(container, "ModelDataUrl"), environment);
    } catch (IllegalArgumentException e) {
      throw AwsError.validation("Model " + name + ": " + e.getMessage());
    }
    HostedModel model = models.create(
        name, image, text(container, "ModelDataUrl"), environment, text(in, "ExecutionRoleArn"));
    return json.createObjectNode().put("ModelArn", model.arn());
  }

  private ObjectNode describeModel(JsonNode in) {
    HostedModel model = models.get(required(in, "ModelName"));
    ObjectNode out = json.createObjectNode().put("ModelName", model.name());
    ObjectNode container =
        out.putObject("PrimaryContainer").put("Image", model.image()).put("Mode", "SingleModel");
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

  // ---- endpoint configs ----

  private ObjectNode createEndpointConfig(JsonNode in) {
    String name = name(in, "EndpointConfigName", "endpointConfigName");
    List<Variant> variants = new ArrayList<>();
    for (JsonNode v : in.path("ProductionVariants")) {
      Serverless serverless = null;
      if (v.has("ServerlessConfig")) {
        if (v.has("InstanceType") || v.has("InitialInstanceCount")) {
          throw AwsError.validation(
              "Variant " + text(v, "VariantName") + " cannot have both ServerlessConfig and"
                  + " InstanceType or InitialInstanceCount.");
        }
        JsonNode s = v.path("ServerlessConfig");
        serverless = new Serverless(
            s.path("MemorySizeInMB").asInt(), s.path("MaxConcurrency").asInt());
      }
      JsonNode scaling = v.path("ManagedInstanceScaling");
      boolean managed = "ENABLED".equals(text(scaling, "Status"));
      variants.add(new Variant(
          required(v, "VariantName"),
          text(v, "ModelName"),
          text(v, "InstanceType"),
          v.path("InitialInstanceCount").asInt(1),
          (float) v.path("InitialVariantWeight").asDouble(1.0),
          managed ? scaling.path("MinInstanceCount").asInt(0) : null,
          managed ? scaling.path("MaxInstanceCount").asInt(1) : null,
          serverless));
    }
    return json.createObjectNode()
        .put(
            "EndpointConfigArn",
            configs.create(name, variants, text(in, "ExecutionRoleArn")).arn());
  }

  private ObjectNode describeEndpointConfig(JsonNode in) {
    EndpointConfig config = configs.get(required(in, "EndpointConfigName"));
    ObjectNode out = json.createObjectNode()
        .put("EndpointConfigName", config.name())
        .put("EndpointConfigArn", config.arn());
    ArrayNode variants = out.putArray("ProductionVariants");
    for (Variant v : config.variants()) {
      ObjectNode node = variants
          .addObject()
          .put("VariantName", v.variantName())
          .put("InitialVariantWeight", v.weight());
      if (v.modelName() != null) {
        node.put("ModelName", v.modelName());
      }
      if (v.serverless() != null) {
        node.putObject("ServerlessConfig")
            .put("MemorySizeInMB", v.serverless().memorySizeInMb())
            .put("MaxConcurrency", v.serverless().maxConcurrency());
      } else {
        node.put("InitialInstanceCount", v.initialInstanceCount());
      }
      if (v.instanceType() != null) {
        node.put("InstanceType", v.instanceType());
      }
      if (v.minInstanceCount() != null) {
        node.putObject("ManagedInstanceScaling")
            .put("Status", "ENABLED")
            .put("MinInstanceCount", v.minInstanceCount())
            .put("MaxInstanceCount", v.maxInstanceCount());
      }
    }
    if (config.executionRoleArn() != null) {
      out.put("ExecutionRoleArn", config.executionRoleArn());
    }
    out.put("CreationTime", epochSeconds(config.created()));
    return out;
  }

  // ---- endpoints ----

  private ObjectNode describeEndpoint(HostedEndpoint e) {
    ObjectNode out = json.createObjectNode()
        .put("EndpointName", e.name())
        .put("EndpointArn", e.arn())
        .put("EndpointConfigName", e.configName());
    if (e.container()
        != null) { // a deployed variant: InService, and Updating or Deleting while it still serves
      ObjectNode variant = out.putArray("ProductionVariants")
          .addObject()
          .put("VariantName", e.variant().variantName());
      variant
          .putArray("DeployedImages")
          .addObject()
          .put("SpecifiedImage", e.spec().image())
          .put("ResolvedImage", e.spec().image())
          .put("ResolutionTime", epochSeconds(e.created()));
      variant
          .put("CurrentWeight", e.variant().weight())
          .put("DesiredWeight", e.variant().weight())
          .put("CurrentInstanceCount", e.variant().initialInstanceCount())
          .put("DesiredInstanceCount", e.variant().initialInstanceCount());
    } else if (e.hostsComponents()
        && !e.status().equals("Creating")
        && !e.status().equals("Failed")) {
      // The instances are the components' copies' (managed instance scaling): none while every copy
      // is gone; before the first component, those the endpoint was created with.
      int instances = components.instances(e);
      out.putArray("ProductionVariants")
          .addObject()
          .put("VariantName", e.variant().variantName())
          .put("CurrentInstanceCount", instances)
          .put("DesiredInstanceCount", instances);
    }
    out.put("EndpointStatus", e.status());
    if (e.failureReason() != null) {
      out.put("FailureReason", e.failureReason());
    }
    out.put("CreationTime", epochSeconds(e.created()));
    out.put("LastModifiedTime", epochSeconds(e.modified()));
    return out;
  }

  private ObjectNode listEndpoints(JsonNode in) {
    String nameContains = text(in, "NameContains");
    String status = text(in, "StatusEquals");
    Comparator<HostedEndpoint> order = switch (Optional.ofNullable(text(in, "SortBy"))
        .orElse("CreationTime")) {
      case "Name" -> Comparator.comparing(HostedEndpoint::name);
      case "Status" -> Comparator.comparing(HostedEndpoint::status);
      default -> Comparator.comparing(HostedEndpoint::created).thenComparing(HostedEndpoint::id);
    };
    if (!"Ascending".equals(text(in, "SortOrder"))) {
      order = order.reversed(); // ListEndpoints sorts Descending by default
    }
    List<HostedEndpoint> matching = endpoints.all().stream()
        .filter(e -> nameContains == null
            || e.name().toLowerCase(Locale.ROOT).contains(nameContains.toLowerCase(Locale.ROOT)))
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
        throw AwsError.validation(
            "Invalid pagination token \"" + token + "\"; pass the NextToken of the previous page.");
      }
    }
    ObjectNode out = json.createObjectNode();
    ArrayNode list = out.putArray("Endpoints");
    int end = Math.min(matching.size(), start + max);
    for (HostedEndpoint e : matching.subList(Math.min(start, matching.size()), end)) {
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

  // ---- members ----

  /** AWS JSON 1.1 timestamps are epoch seconds; BigDecimal keeps Jackson from writing an exponent. */
  static BigDecimal epochSeconds(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3);
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }

  static String required(JsonNode node, String field) {
    String value = text(node, field);
    if (value == null) {
      throw AwsError.validation(
          "1 validation error detected: Value null at '" + Character.toLowerCase(field.charAt(0))
              + field.substring(1) + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  /** A name for a new resource, checked against SageMaker's pattern with the service's validation message. */
  private static String name(JsonNode in, String field, String member) {
    String value = required(in, field);
    if (!NAME.matcher(value).matches()) {
      throw AwsError.validation("1 validation error detected: Value '" + value + "' at '" + member
          + "' failed to" + " satisfy constraint: Member must satisfy regular expression pattern: "
          + NAME.pattern());
    }
    return value;
  }
}
