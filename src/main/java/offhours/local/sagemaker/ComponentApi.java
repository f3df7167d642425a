package offhours.local.sagemaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.local.sagemaker.EndpointConfigs.Variant;

/**
 * The inference-component operations of the control plane's JSON 1.1 protocol
 * (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateInferenceComponent.html and its siblings):
 * members read and checked as the service's model does, the state kept by {@link InferenceComponents}.
 */
final class ComponentApi {
  static final String OPERATIONS = "CreateInferenceComponent, DescribeInferenceComponent,"
      + " UpdateInferenceComponentRuntimeConfig, DeleteInferenceComponent and ListInferenceComponents";

  /** ComputeResourceRequirements' members; MinMemoryRequiredInMb is required. */
  private static final List<String> COMPUTE = List.of(
      "NumberOfCpuCoresRequired",
      "NumberOfAcceleratorDevicesRequired",
      "MinMemoryRequiredInMb",
      "MaxMemoryRequiredInMb");

  private final ObjectMapper json;
  private final InferenceComponents components;
  private final Endpoints endpoints;
  private final EndpointConfigs configs;

  ComponentApi(
      ObjectMapper json,
      InferenceComponents components,
      Endpoints endpoints,
      EndpointConfigs configs) {
    this.json = json;
    this.components = components;
    this.endpoints = endpoints;
    this.configs = configs;
  }

  /** The answer to {@code operation}, or empty when it is not an inference-component operation. */
  Optional<ObjectNode> handle(String operation, JsonNode in) {
    return Optional.ofNullable(
        switch (operation) {
          case "CreateInferenceComponent" -> create(in);
          case "DescribeInferenceComponent" ->
            describe(components.get(Members.required(in, "InferenceComponentName")));
          case "UpdateInferenceComponentRuntimeConfig" -> update(in);
          case "DeleteInferenceComponent" -> {
            components.delete(Members.required(in, "InferenceComponentName"));
            yield json.createObjectNode();
          }
          case "ListInferenceComponents" -> list(in);
          default -> null;
        });
  }

  private ObjectNode create(JsonNode in) {
    String name = Members.name(in, "InferenceComponentName", "inferenceComponentName");
    JsonNode spec = in.path("Specification");
    String model = Members.text(spec, "ModelName");
    if (model == null) {
      throw AwsError.validation(
          "Inference component " + name + ": Specification.ModelName is required locally"
              + " (the local SageMaker runs a model's container, not Specification.Container).");
    }
    JsonNode requirements = spec.path("ComputeResourceRequirements");
    if (!requirements.has("MinMemoryRequiredInMb")) {
      throw AwsError.validation("1 validation error detected: Value null at"
          + " 'specification.computeResourceRequirements.minMemoryRequiredInMb' failed to satisfy constraint: Member"
          + " must not be null");
    }
    Map<String, Number> compute = new LinkedHashMap<>();
    for (String member : COMPUTE) {
      if (requirements.has(member)) {
        compute.put(member, requirements.get(member).numberValue());
      }
    }
    JsonNode copies = in.path("RuntimeConfig").path("CopyCount");
    if (copies.isMissingNode()) {
      throw AwsError.validation(
          "1 validation error detected: Value null at 'runtimeConfig.copyCount' failed to"
              + " satisfy constraint: Member must not be null");
    }
    String arn = components.create(
        name,
        Members.required(in, "EndpointName"),
        Members.required(in, "VariantName"),
        model,
        compute,
        Members.integer(in.path("RuntimeConfig"), "CopyCount", 0));
    return json.createObjectNode().put("InferenceComponentArn", arn);
  }

  private ObjectNode update(JsonNode in) {
    HostedComponent c = components.get(Members.required(in, "InferenceComponentName"));
    JsonNode copies = in.path("DesiredRuntimeConfig").path("CopyCount");
    if (copies.isMissingNode()) {
      throw AwsError.validation(
          "1 validation error detected: Value null at 'desiredRuntimeConfig.copyCount' failed"
              + " to satisfy constraint: Member must not be null");
    }
    Variant variant =
        configs.get(endpoints.get(c.endpointName()).configName()).variants().getFirst();
    int maxInstances = variant.maxInstanceCount() != null
        ? variant.maxInstanceCount()
        : variant.initialInstanceCount();
    return json.createObjectNode()
        .put(
            "InferenceComponentArn",
            components.updateCopies(
                c.name(),
                Members.integer(in.path("DesiredRuntimeConfig"), "CopyCount", 0),
                maxInstances));
  }

  private ObjectNode describe(HostedComponent c) {
    ObjectNode out = json.createObjectNode()
        .put("InferenceComponentName", c.name())
        .put("InferenceComponentArn", c.arn())
        .put("EndpointName", c.endpointName())
        .put("EndpointArn", endpointArn(c))
        .put("VariantName", c.variantName());
    if (c.failureReason() != null) {
      out.put("FailureReason", c.failureReason());
    }
    ObjectNode spec = out.putObject("Specification").put("ModelName", c.modelName());
    ObjectNode compute = spec.putObject("ComputeResourceRequirements");
    c.compute().forEach((k, v) -> compute.set(k, json.valueToTree(v)));
    out.putObject("RuntimeConfig")
        .put("DesiredCopyCount", c.desiredCopies())
        .put("CurrentCopyCount", c.currentCopies());
    out.put("CreationTime", Members.epochSeconds(c.created()));
    out.put("LastModifiedTime", Members.epochSeconds(c.modified()));
    out.put("InferenceComponentStatus", c.status());
    return out;
  }

  private ObjectNode list(JsonNode in) {
    List<HostedComponent> matching =
        components.list(Members.text(in, "EndpointNameEquals"), Members.text(in, "StatusEquals"));
    int max = Members.maxResults(in);
    int start = Members.pageStart(in);
    ObjectNode out = json.createObjectNode();
    ArrayNode list = out.putArray("InferenceComponents");
    int end = Members.pageEnd(matching.size(), start, max);
    for (HostedComponent c : matching.subList(Math.min(start, matching.size()), end)) {
      list.addObject()
          .put("InferenceComponentName", c.name())
          .put("InferenceComponentArn", c.arn())
          .put("EndpointName", c.endpointName())
          .put("EndpointArn", endpointArn(c))
          .put("VariantName", c.variantName())
          .put("InferenceComponentStatus", c.status())
          .put("CreationTime", Members.epochSeconds(c.created()))
          .put("LastModifiedTime", Members.epochSeconds(c.modified()));
    }
    if (end < matching.size()) {
      out.put("NextToken", Integer.toString(end));
    }
    return out;
  }

  private String endpointArn(HostedComponent c) {
    return c.arn().substring(0, c.arn().indexOf(":inference-component/")) + ":endpoint/"
        + Arns.key(c.endpointName());
  }
}
