package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With Hosting=serverless CloudFormation owns the endpoint (ServerlessEndpoint), so the controller's role may not
 * create, tag or delete it: a controller that deleted it would leave the stack pointing at an endpoint that is gone
 * (drift, https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html), and least
 * privilege grants only what a role's code calls
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege). The controller's
 * serverless policy (offhours.endpoint.ServerlessPolicy) never asks for either; PermissionsIT proves the calls the
 * serverless scenarios make are still granted.
 */
class ServerlessRoleTest {

  /** What only the controller of a hosting that creates the endpoint itself does with it. */
  private static final List<String> ENDPOINT_LIFECYCLE =
      List.of("sagemaker:CreateEndpoint", "sagemaker:DeleteEndpoint", "sagemaker:AddTags");

  private final Map<String, Object> template;

  ServerlessRoleTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  private StackResolver stack(String hosting) {
    Map<String, String> all = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    all.put("Hosting", hosting);
    return new StackResolver(template, FakeStack.create(Map.of()).withParameters(all));
  }

  @Test
  void aServerlessStacksControllerCanNeitherCreateNorTagNorDeleteTheEndpointTheStackOwns() {
    assertThat(IamRole.atMost(stack("serverless"), "ControllerRole").grants())
        .extracting(IamRole.Grant::action)
        .doesNotContainAnyElementsOf(ENDPOINT_LIFECYCLE)
        .contains(
            // ServerlessPolicy still observes the endpoint, checks its tag, probes it
            "sagemaker:DescribeEndpoint", "sagemaker:ListTags", "sagemaker:InvokeEndpoint");
  }

  @Test
  void theOtherHostingsControllersStillCreateAndDeleteTheirEndpoint() {
    for (String hosting : List.of("scheduled", "scale-to-zero")) {
      assertThat(IamRole.atMost(stack(hosting), "ControllerRole").grants())
          .as(hosting)
          .extracting(IamRole.Grant::action)
          .containsAll(ENDPOINT_LIFECYCLE);
    }
  }
}
