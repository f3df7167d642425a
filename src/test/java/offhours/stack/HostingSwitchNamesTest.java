package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import offhours.endpoint.InferenceComponent;
import org.junit.jupiter.api.Test;

/**
 * A scheduled controller finds the inference component a switch from scale-to-zero left by deriving its name from the
 * endpoint's ({@link InferenceComponent#nameOn}): the derivation must give what template.yaml named it, in every
 * stack, and what local mode names it.
 */
class HostingSwitchNamesTest {

  @Test
  void theComponentNameDerivedFromTheEndpointsIsTheOneTheTemplateGivesWithScaleToZero()
      throws IOException {
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    for (String stackUuid :
        new String[] {"de0f9cda-1449-406d-97f7-b1eb3df92c44", "0a1b2c3d-0000-4000-8000-000000000000"
        }) {
      Map<String, String> parameters = new java.util.HashMap<>(FakeStack.REQUIRED_PARAMETERS);
      parameters.put("Hosting", "scale-to-zero");
      FakeStack stack = FakeStack.create(parameters);
      stack = new FakeStack(
          stack.account(),
          stack.region(),
          stack.partition(),
          stack.stackName(),
          stackUuid,
          stack.parameters(),
          stack.physicalIds());
      Map<String, String> env =
          new StackResolver(template, stack).environment("ControllerFunction");
      assertThat(InferenceComponent.nameOn(env.get("ENDPOINT_NAME")))
          .isEqualTo(env.get("INFERENCE_COMPONENT_NAME"))
          .startsWith("offhours-component-");
    }
    assertThat(InferenceComponent.nameOn("offhours-endpoint")).isEqualTo("offhours-component");
    assertThatThrownBy(() -> InferenceComponent.nameOn("my-endpoint"))
        .hasMessage("endpoint name my-endpoint does not start with offhours-endpoint");
  }
}
