package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import offhours.stack.AwsCallRecorder.Call;
import offhours.stack.IamRole.Permission;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.model.CreateEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * SageMaker returns ARNs with the resource name in lower case, IAM compares ARNs case-sensitively, and CloudFormation
 * generates mixed-case names for the Model and the endpoint configs. The roles must hold either way SageMaker
 * authorizes (see {@link IamActions}): the names the template builds are lower case, and the generated ones are granted
 * in both cases.
 */
class SageMakerNameCaseTest {

  private final Map<String, Object> template;

  SageMakerNameCaseTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  /** A stack named in mixed case whose generated SageMaker names are mixed case, as CloudFormation makes them. */
  private StackResolver stack(String hosting) {
    Map<String, String> parameters = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    parameters.put("Hosting", hosting);
    FakeStack stack = new FakeStack(
            FakeStack.ACCOUNT,
            FakeStack.REGION,
            "aws",
            "OffHours-Prod",
            UUID.randomUUID().toString(),
            parameters,
            Map.of())
        .withPhysicalId("Model", "Model-Qw3rTy8UiOp1")
        .withPhysicalId("EndpointConfig", "EndpointConfig-AbC123xYz789")
        .withPhysicalId("ComponentEndpointConfig", "ComponentEndpointConfig-Zx9Cv8Bn7Ml6");
    return new StackResolver(template, stack);
  }

  @ParameterizedTest
  @ValueSource(strings = {"scheduled", "scale-to-zero"})
  void theControllerMayCreateItsEndpointFromAConfigWhoseGeneratedNameIsMixedCase(String hosting) {
    StackResolver stack = stack(hosting);
    Map<String, String> env = stack.environment("ControllerFunction");
    Call create = new Call(
        "SageMaker",
        "CreateEndpoint",
        CreateEndpointRequest.builder()
            .endpointName(env.get("ENDPOINT_NAME"))
            .endpointConfigName(env.get("ENDPOINT_CONFIG_NAME"))
            .tags(Tag.builder()
                .key("offhours:stack-id")
                .value(stack.stack().stackId())
                .build())
            .build(),
        Region.US_EAST_1,
        200,
        null);
    List<Permission> needed = new IamActions("aws", FakeStack.ACCOUNT).required(create);
    assertThat(needed)
        .extracting(Permission::resource)
        .as("the config's ARN in both cases")
        .anyMatch(arn -> arn.endsWith(":endpoint-config/" + env.get("ENDPOINT_CONFIG_NAME")))
        .anyMatch(arn -> arn.endsWith(
            ":endpoint-config/" + env.get("ENDPOINT_CONFIG_NAME").toLowerCase(Locale.ROOT)));
    IamRole role = IamRole.ofFunction(stack, "ControllerFunction");
    assertThat(needed).allSatisfy(p -> assertThat(role.allows(p)).as("%s", p).isTrue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"scheduled", "scale-to-zero", "serverless"})
  void theSageMakerNamesTheTemplateBuildsAreLowerCaseWhateverTheStackIsCalled(String hosting) {
    StackResolver stack = stack(hosting);
    for (String function : List.of("ClassifyFunction", "ControllerFunction", "ApiFunction")) {
      Map<String, String> env = stack.environment(function);
      for (String name : List.of("ENDPOINT_NAME", "INFERENCE_COMPONENT_NAME")) {
        String value = env.get(name);
        if (value != null) {
          assertThat(value)
              .as("%s of %s", name, function)
              .isEqualTo(value.toLowerCase(Locale.ROOT));
        }
      }
    }
    assertThat(stack.environment("ControllerFunction").get("ENDPOINT_NAME")).isNotBlank();
  }
}
