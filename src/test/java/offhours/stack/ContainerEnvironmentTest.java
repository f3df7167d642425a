package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerEnvironmentTest {

  @Test
  void readsTheHuggingFacePreset() {
    assertThat(ContainerEnvironment.parse(
            "HF_MODEL_ID=google/vit-base-patch16-224,HF_TASK=image-classification"))
        .containsExactly(
            Map.entry("HF_MODEL_ID", "google/vit-base-patch16-224"),
            Map.entry("HF_TASK", "image-classification"));
    assertThat(ContainerEnvironment.parse("")).isEmpty();
  }

  @Test
  void refusesWhatTheTemplateCannotPassOrAShellCouldRead() {
    assertThatThrownBy(() -> ContainerEnvironment.parse("LD_PRELOAD=/tmp/x.so"))
        .hasMessageStartingWith(
            "ContainerEnvironment: 'LD_PRELOAD' is not one of the names the template passes");
    assertThatThrownBy(() -> ContainerEnvironment.parse("HF_TASK=a,HF_TASK=b"))
        .hasMessage("ContainerEnvironment: HF_TASK is given twice");
    assertThatThrownBy(() -> ContainerEnvironment.parse("HF_TASK=$(id)"))
        .hasMessageContaining("the value of HF_TASK must be 1 to 256 letters");
    assertThatThrownBy(() -> ContainerEnvironment.parse("HF_TASK"))
        .hasMessage("ContainerEnvironment: 'HF_TASK' is not NAME=VALUE");
    assertThatThrownBy(() -> ContainerEnvironment.parse("HF_TASK=a,"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The template's Model passes exactly the variables the parser reads, for each name and for several at once. */
  @Test
  void theTemplatesModelGetsExactlyTheParsedVariables() throws IOException {
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    Map<String, String> samples = new LinkedHashMap<>();
    samples.put("none", "");
    for (String name : ContainerEnvironment.NAMES) {
      samples.put(name, name + "=v-" + name.length());
    }
    samples.put(
        "all",
        String.join(
            ",",
            ContainerEnvironment.NAMES.stream().map(n -> n + "=x" + n.charAt(0)).toList()));
    samples.put(
        "hugging face", "HF_TASK=image-classification,HF_MODEL_ID=google/vit-base-patch16-224");
    samples.put("prefix of another", "SAGEMAKER_PROGRAM=inference.py,HF_MODEL_REVISION=main");
    for (Map.Entry<String, String> s : samples.entrySet()) {
      Map<String, String> params = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
      params.put("ContainerEnvironment", s.getValue());
      StackResolver stack = new StackResolver(template, FakeStack.create(params));
      Map<String, Object> container =
          StackResolver.map(stack.properties("Model").get("PrimaryContainer"));
      Map<String, Object> env = container.get("Environment") == null
          ? Map.of()
          : StackResolver.map(container.get("Environment"));
      assertThat(env).as(s.getKey()).isEqualTo(ContainerEnvironment.parse(s.getValue()));
    }
  }

  @Test
  void everyNameTheTemplatePassesIsOneTheParserKnowsAndTheOtherWayRound() throws IOException {
    Map<String, Object> template =
        CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    Map<String, Object> model =
        StackResolver.map(StackResolver.map(template.get("Resources")).get("Model"));
    Object env = StackResolver.path(
        StackResolver.map(model.get("Properties")), "PrimaryContainer", "Environment");
    assertThat(StackResolver.map(env).keySet())
        .containsExactlyInAnyOrderElementsOf(ContainerEnvironment.NAMES);
  }
}
