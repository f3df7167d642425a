package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * template.yaml deployed in the China Regions (partition aws-cn, endpoints under amazonaws.com.cn): every ARN it
 * builds names the stack's partition, and every service endpoint it names (kms:ViaService, URLs) has the partition's
 * domain. Service principals keep amazonaws.com in every partition, so they are the one exception.
 */
class PartitionTest {

  private static final Pattern COMMERCIAL_ENDPOINT =
      Pattern.compile("\\.cn-north-1\\.amazonaws\\.com(?!\\.cn)");

  private final Map<String, Object> template;

  PartitionTest() throws IOException {
    template = CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
  }

  private StackResolver china(String hosting) {
    Map<String, String> parameters = new HashMap<>();
    parameters.put("ModelDataUrl", "s3://models-cn/m.tar.gz");
    parameters.put(
        "ContainerImage",
        "390948362332.dkr.ecr.cn-north-1.amazonaws.com.cn/image-classification:1");
    parameters.put("Hosting", hosting);
    parameters.put("LabelsS3Uri", "s3://models-cn/labels.txt");
    return new StackResolver(
        template,
        new FakeStack(
            "123456789012",
            "cn-north-1",
            "aws-cn",
            "offhours",
            UUID.randomUUID().toString(),
            parameters,
            Map.of()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"scheduled", "scale-to-zero", "serverless"})
  void everyArnAndEndpointOfAChinaStackIsInItsPartition(String hosting) {
    StackResolver stack = china(hosting);
    List<String> strings = new ArrayList<>();
    for (String resource : stack.resources().keySet()) {
      collect(resource, stack.properties(resource), strings);
    }
    collect("Outputs", stack.resolve(template.get("Outputs")), strings);
    assertThat(strings)
        .as("the API's URL, an endpoint of the partition")
        .anyMatch(s -> s.endsWith(".execute-api.cn-north-1.amazonaws.com.cn"));
    assertThat(strings)
        .as("strings that name the commercial partition")
        .noneMatch(s -> s.contains("arn:aws:"));
    assertThat(strings)
        .as("endpoints under amazonaws.com, which the China Regions do not serve")
        .noneMatch(s -> COMMERCIAL_ENDPOINT.matcher(s).find());
    assertThat(strings)
        .as("the test saw the ARNs it checks")
        .anyMatch(s -> s.startsWith("arn:aws-cn:sagemaker:cn-north-1:"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"aws", "aws-cn"})
  void classifyDecryptsThroughTheS3EndpointOfItsPartition(String partition) {
    StackResolver stack = partition.equals("aws")
        ? new StackResolver(template, FakeStack.create(FakeStack.REQUIRED_PARAMETERS))
        : china("scheduled");
    String region = stack.stack().region();
    String expected =
        "s3." + region + (partition.equals("aws") ? ".amazonaws.com" : ".amazonaws.com.cn");
    List<Object> viaService = new ArrayList<>();
    for (Object policy : StackResolver.list(stack.properties("ClassifyRole").get("Policies"))) {
      Object statements =
          StackResolver.map(StackResolver.map(policy).get("PolicyDocument")).get("Statement");
      for (Object s : StackResolver.list(statements)) {
        Object condition = StackResolver.map(s).get("Condition");
        if (condition != null
            && StackResolver.map(condition).get("StringEquals") instanceof Map<?, ?> equals
            && equals.containsKey("kms:ViaService")) {
          viaService.add(equals.get("kms:ViaService"));
        }
      }
    }
    assertThat(viaService).containsExactly(expected);
  }

  private static void collect(String where, Object node, List<String> out) {
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> {
        // A service principal is SERVICE.amazonaws.com in every partition.
        if (!"Service".equals(k)) {
          collect(where + "." + k, v, out);
        }
      });
    } else if (node instanceof List<?> l) {
      l.forEach(v -> collect(where, v, out));
    } else if (node instanceof String s) {
      out.add(s);
    }
  }
}
