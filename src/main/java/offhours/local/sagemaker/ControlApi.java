package offhours.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import offhours.local.sagemaker.EndpointConfigs.EndpointConfig;
import offhours.local.sagemaker.EndpointConfigs.Serverless;
import offhours.local.sagemaker.EndpointConfigs.Variant;
import offhours.local.sagemaker.Models.HostedModel;
import offhours.units.Shown;

/**
 * The SageMaker control plane's AWS JSON 1.1 protocol: reads each operation's request members (checked by
 * {@link Members} the way the service's model does), calls the resource's state machine ({@link Models},
 * {@link EndpointConfigs}, {@link Endpoints}) and writes the response shape; the inference-component operations go to
 * {@link ComponentApi}.
 */
final class ControlApi {
  /** The longest ResourceArn ListTags takes (SageMaker API reference, ListTags). */
  private static final int MAX_ARN = 256;

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
        models.delete(Members.required(in, "ModelName"));
        yield json.createObjectNode();
      }
      case "CreateEndpointConfig" -> createEndpointConfig(in);
      case "DescribeEndpointConfig" -> describeEndpointConfig(in);
      case "DeleteEndpointConfig" -> {
        configs.delete(Members.required(in, "EndpointConfigName"));
        yield json.createObjectNode();
      }
      case "CreateEndpoint" ->
        json.createObjectNode()
            .put(
                "EndpointArn",
                endpoints.create(
                    Members.name(in, "EndpointName", "endpointName"),
                    Members.required(in, "EndpointConfigName"),
                    Members.tags(in)));
      case "DescribeEndpoint" ->
        describeEndpoint(endpoints.get(Members.required(in, "EndpointName")));
      case "DeleteEndpoint" -> {
        String name = Members.required(in, "EndpointName");
        components.requireNoneOn(endpoints.get(name));
        endpoints.delete(name);
        yield json.createObjectNode();
      }
      case "ListEndpoints" -> listEndpoints(in);
      case "UpdateEndpoint" ->
        json.createObjectNode()
            .put(
                "EndpointArn",
                endpoints.update(
                    Members.required(in, "EndpointName"),
                    Members.required(in, "EndpointConfigName")));
      case "ListTags" -> listTags(in);
      default ->
        componentApi
            .handle(operation, in)
            .orElseThrow(() -> new AwsError(
                400,
                "UnknownOperationException",
                "The requested operation " + Shown.value(operation)
                    + " is not recognized by the local SageMaker; it serves"
                    + " CreateModel, DescribeModel, DeleteModel, CreateEndpointConfig, DescribeEndpointConfig,"
                    + " DeleteEndpointConfig, CreateEndpoint, DescribeEndpoint, DeleteEndpoint, ListEndpoints, UpdateEndpoint,"
                    + " ListTags, " + ComponentApi.OPERATIONS + "."));
    };
  }

  /** ListTags of an endpoint (its CreateEndpoint tags), a model or an endpoint config (none kept); one page. */
  private ObjectNode listTags(JsonNode in) {
    String arn = Members.required(in, "ResourceArn");
    Map<String, String> tags = endpoints.tags(arn);
    if (tags == null && !models.hasArn(arn) && !configs.hasArn(arn)) {
      // Whole up to an ARN's longest (ListTags' ResourceArn takes 256), so that the name it ends
      // with shows.
      throw AwsError.validation("Resource "
          + (arn.length() <= MAX_ARN ? Shown.escaped(arn) : Shown.value(arn)) + " does not exist.");
    }
    ObjectNode out = json.createObjectNode();
    ArrayNode list = out.putArray("Tags");
    (tags == null ? Map.<String, String>of() : tags)
        .forEach((k, v) -> list.addObject().put("Key", k).put("Value", v));
    return out;
  }

  // ---- models ----

  private ObjectNode createModel(JsonNode in) {
    String name = Members.name(in, "ModelName", "modelName");
    JsonNode container = in.path("PrimaryContainer");
    if (container.isMissingNode() && in.path("Containers").size() > 0) {
      container = in.path("Containers").get(0);
    }
    String image = Members.text(container, "Image");
    if (image == null) {
      throw AwsError.validation(
          "Model " + name + " needs PrimaryContainer.Image; the local SageMaker serves images "
              + containers.images());
    }
    if (!containers.serves(image)) {
      throw AwsError.validation("Image \"" + Shown.value(image)
          + "\" is not known to the local SageMaker; known images are "
          + containers.images()
          + (image.equals(LocalSageMaker.COMMAND_IMAGE)
              ? ". It serves this one when the local stack starts with --container-command CMD."
              : ". It runs no other image: start the local stack with --model FILE --labels FILE,"
                  + " or --container-command CMD, to serve your own model (README: Your own"
                  + " model)."));
    }
    Map<String, String> environment = Members.strings(container, "Environment");
    try {
      containers.check(image, Members.text(container, "ModelDataUrl"), environment);
    } catch (IllegalArgumentException e) {
      throw AwsError.validation("Model " + name + ": " + e.getMessage());
    }
    HostedModel model = models.create(
        name,
        image,
        Members.text(container, "ModelDataUrl"),
        environment,
        Members.text(in, "ExecutionRoleArn"));
    return json.createObjectNode().put("ModelArn", model.arn());
  }

  private ObjectNode describeModel(JsonNode in) {
    HostedModel model = models.get(Members.required(in, "ModelName"));
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
    out.put("CreationTime", Members.epochSeconds(model.created()));
    out.put("ModelArn", model.arn());
    out.put("EnableNetworkIsolation", false);
    return out;
  }

  // ---- endpoint configs ----

  private ObjectNode createEndpointConfig(JsonNode in) {
    String name = Members.name(in, "EndpointConfigName", "endpointConfigName");
    List<Variant> variants = new ArrayList<>();
    for (JsonNode v : in.path("ProductionVariants")) {
      Serverless serverless = null;
      if (v.has("ServerlessConfig")) {
        if (v.has("InstanceType") || v.has("InitialInstanceCount")) {
          throw AwsError.validation("Variant " + Shown.value(Members.text(v, "VariantName"))
              + " cannot have both ServerlessConfig and"
              + " InstanceType or InitialInstanceCount.");
        }
        JsonNode s = v.path("ServerlessConfig");
        serverless = new Serverless(
            Members.integer(s, "MemorySizeInMB", 0), Members.integer(s, "MaxConcurrency", 0));
      }
      JsonNode scaling = v.path("ManagedInstanceScaling");
      boolean managed = "ENABLED".equals(Members.text(scaling, "Status"));
      variants.add(new Variant(
          Members.required(v, "VariantName"),
          Members.text(v, "ModelName"),
          Members.text(v, "InstanceType"),
          // SageMaker's minimums (CreateEndpointConfig's ProductionVariant).
          Members.atLeast(
              Members.integer(v, "InitialInstanceCount", 1),
              1,
              "productionVariants.member.initialInstanceCount"),
          (float) weight(v),
          managed ? Members.integer(scaling, "MinInstanceCount", 0) : null,
          managed ? Members.integer(scaling, "MaxInstanceCount", 1) : null,
          serverless));
    }
    return json.createObjectNode()
        .put(
            "EndpointConfigArn",
            configs.create(name, variants, Members.text(in, "ExecutionRoleArn")).arn());
  }

  /** A variant's InitialVariantWeight: 0 or more (1 when absent), as SageMaker takes it. */
  private static double weight(JsonNode variant) {
    double weight = Members.number(variant, "InitialVariantWeight", 1.0);
    if (weight < 0 || weight > Float.MAX_VALUE) {
      throw AwsError.validation("1 validation error detected: Value '" + weight + "' at"
          + " 'productionVariants.member.initialVariantWeight' failed to satisfy constraint: Member"
          + " must have value greater than or equal to 0 (and fit a float)");
    }
    return weight;
  }

  private ObjectNode describeEndpointConfig(JsonNode in) {
    EndpointConfig config = configs.get(Members.required(in, "EndpointConfigName"));
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
    out.put("CreationTime", Members.epochSeconds(config.created()));
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
          .put("ResolutionTime", Members.epochSeconds(e.created()));
      variant
          .put("CurrentWeight", e.variant().weight())
          .put("DesiredWeight", e.variant().weight());
      if (e.variant().serverless() != null) {
        // A serverless variant reports its memory and concurrency instead of instances
        // (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariantSummary.html).
        for (String field : List.of("CurrentServerlessConfig", "DesiredServerlessConfig")) {
          variant
              .putObject(field)
              .put("MemorySizeInMB", e.variant().serverless().memorySizeInMb())
              .put("MaxConcurrency", e.variant().serverless().maxConcurrency());
        }
      } else {
        variant
            .put("CurrentInstanceCount", e.variant().initialInstanceCount())
            .put("DesiredInstanceCount", e.variant().initialInstanceCount());
      }
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
    out.put("CreationTime", Members.epochSeconds(e.created()));
    out.put("LastModifiedTime", Members.epochSeconds(e.modified()));
    return out;
  }

  private ObjectNode listEndpoints(JsonNode in) {
    String nameContains = Members.text(in, "NameContains");
    String status = Members.text(in, "StatusEquals");
    Comparator<HostedEndpoint> order = switch (Optional.ofNullable(Members.text(in, "SortBy"))
        .orElse("CreationTime")) {
      case "Name" -> Comparator.comparing(HostedEndpoint::name);
      case "Status" -> Comparator.comparing(HostedEndpoint::status);
      default -> Comparator.comparing(HostedEndpoint::created).thenComparing(HostedEndpoint::id);
    };
    if (!"Ascending".equals(Members.text(in, "SortOrder"))) {
      order = order.reversed(); // ListEndpoints sorts Descending by default
    }
    List<HostedEndpoint> matching = endpoints.all().stream()
        .filter(e -> nameContains == null
            || e.name().toLowerCase(Locale.ROOT).contains(nameContains.toLowerCase(Locale.ROOT)))
        .filter(e -> status == null || e.status().equals(status))
        .sorted(order)
        .toList();
    int max = Members.maxResults(in);
    int start = Members.pageStart(in);
    ObjectNode out = json.createObjectNode();
    ArrayNode list = out.putArray("Endpoints");
    int end = Members.pageEnd(matching.size(), start, max);
    for (HostedEndpoint e : matching.subList(Math.min(start, matching.size()), end)) {
      list.addObject()
          .put("EndpointName", e.name())
          .put("EndpointArn", e.arn())
          .put("CreationTime", Members.epochSeconds(e.created()))
          .put("LastModifiedTime", Members.epochSeconds(e.modified()))
          .put("EndpointStatus", e.status());
    }
    if (end < matching.size()) {
      out.put("NextToken", Integer.toString(end));
    }
    return out;
  }
}
