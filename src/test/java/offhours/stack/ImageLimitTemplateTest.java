package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.aws.PayloadLimits;
import org.junit.jupiter.api.Test;

/**
 * template.yaml's MAX_IMAGE_BYTES, the largest image Classify and the API send to the endpoint, is the documented
 * limit of each hosting's endpoint as {@link PayloadLimits} states it: a serverless endpoint's 4 MiB, else
 * InvokeEndpoint's Body maximum. The command line reads a deployed stack's limit from its Hosting parameter through
 * {@link Hosting#maxImageBytes}, so that mapping is checked against the template for every hosting.
 */
class ImageLimitTemplateTest {

  private static final List<String> FUNCTIONS = List.of("ClassifyFunction", "ApiFunction");

  @Test
  void eachHostingsMaxImageBytesIsItsEndpointsDocumentedLimit() throws IOException {
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    Map<Hosting, Integer> documented = Map.of(
        Hosting.SCHEDULED, PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES,
        Hosting.SCALE_TO_ZERO, PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES,
        Hosting.SERVERLESS, PayloadLimits.SERVERLESS_INVOKE_BYTES);
    for (Hosting hosting : Hosting.values()) {
      Map<String, String> parameters = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
      parameters.put("Hosting", hosting.value());
      StackResolver stack = new StackResolver(template, FakeStack.create(parameters));
      for (String function : FUNCTIONS) {
        assertThat(stack.environment(function).get("MAX_IMAGE_BYTES"))
            .as("%s's MAX_IMAGE_BYTES with Hosting=%s", function, hosting.value())
            .isEqualTo(Integer.toString(documented.get(hosting)))
            .isEqualTo(Integer.toString(hosting.maxImageBytes()));
      }
    }
  }

  /** Without the variable the functions assume the default hosting's limit, the one the template gives it. */
  @Test
  void theFunctionsDefaultIsTheDefaultHostingsLimit() {
    assertThat(FunctionVariables.CLASSIFY_ENV.get("MAX_IMAGE_BYTES"))
        .isEqualTo(FunctionVariables.API_ENV.get("MAX_IMAGE_BYTES"))
        .isEqualTo("6291456");
  }
}
