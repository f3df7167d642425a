// Needs moto_server on the PATH (or in ~/.pyenv/shims), python3 (the stand-in model container), and
// node/npm for the first conversion of the default model into the user's offhours cache.
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import offhours.local.model.DefaultModel;
import offhours.results.ResultItem;
import offhours.testing.TestCaches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new model for a running local stack, as README's "A new model: replacing the endpoint" tells it on AWS: uploads
 * classified by model A (the default ONNX model), then {@link LocalDeployment#update} to model B (the tests' stand-in
 * container, a command the local SageMaker was not started with, labels jpeg and png) while more uploads come. Every
 * upload gets exactly one result, each written with the labels of the model whose variant answered, never B's labels
 * on A's scores nor the reverse; the controller replaced the endpoint by itself, which now runs B's config; the state
 * file names B; nothing went to the DLQ.
 */
class ModelUpdateIT {

  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final Set<String> B_LABELS = Set.of("jpeg", "png");

  @TempDir
  Path dir;

  @Test
  void
      uploadsAroundAModelUpdateEachGetOneResultOfTheModelThatAnsweredAndTheControllerReplacesTheEndpoint()
          throws Exception {
    Path script = Path.of("src/test/resources/sagemaker/format_container.py").toAbsolutePath();
    String bCommand = "exec python3 '" + script + "'";
    Path bLabels = Files.writeString(dir.resolve("b-labels.txt"), "jpeg\npng\n");
    List<String> aLabels = DefaultModel.ensure(TestCaches.user()).readLabels();
    try (StackFixture f =
        StackFixture.start(StackFixture.options(Duration.ofSeconds(1), Map.of()))) {
      String aModel = f.stack.names().model();
      String aConfig = f.stack.names().endpointConfig();
      List<String> before = f.uploadCopies("before", 4);
      f.awaitEachResult(before.size(), DEADLINE);
      assertThat(f.endpointStatus()).as("model A's endpoint").isEqualTo("InService");

      List<String> during = f.uploadCopies("during", 4);
      f.stack.update(
          new ModelUpdate(Optional.empty(), Optional.of(bLabels), Optional.of(bCommand), Map.of()));
      List<String> after = f.uploadCopies("after", 4);

      String bModel = f.stack.names().model();
      String bConfig = f.stack.names().endpointConfig();
      assertThat(bModel).as("model B's name").isEqualTo("offhours-model-2").isNotEqualTo(aModel);
      assertThat(bConfig).as("model B's config").isEqualTo("offhours-endpoint-config-2");
      assertThat(f.stack.labels()).as("Classify's labels now").containsExactly("jpeg", "png");
      StateFile.Served served = f.stack.state(ProcessHandle.current()).served();
      assertThat(served.containerCommand()).as("the state file's command").isEqualTo(bCommand);
      assertThat(served.modelFile()).as("the state file's model file").isNull();
      assertThat(served.labelsFile()).as("the state file's labels").isEqualTo(bLabels.toString());

      int uploads = before.size() + during.size() + after.size();
      List<ResultItem> results = f.awaitEachResult(uploads, DEADLINE);
      assertThat(results)
          .extracting(ResultItem::key)
          .as("one result per upload")
          .containsExactlyInAnyOrderElementsOf(concat(before, during, after));
      for (ResultItem r : results) {
        Set<String> names =
            r.labels().stream().map(ResultItem.Label::label).collect(Collectors.toSet());
        if (r.model().equals(bModel)) {
          assertThat(names).as("labels of %s, answered by model B", r.key()).isEqualTo(B_LABELS);
          String format = r.key().endsWith(".png") ? "png" : "jpeg";
          assertThat(r.topLabel()).as("model B's answer for %s", r.key()).isEqualTo(format);
          assertThat(r.topScore()).as("model B's top score for %s", r.key()).isEqualTo(0.9);
        } else {
          assertThat(r.model()).as("the variant that answered %s", r.key()).isEqualTo(aModel);
          assertThat(names)
              .as("labels of %s (its top ones), answered by model A", r.key())
              .isNotEmpty()
              .isSubsetOf(aLabels);
        }
      }
      assertThat(results)
          .filteredOn(r -> before.contains(r.key()))
          .extracting(ResultItem::model)
          .as("uploads classified before the update")
          .containsOnly(aModel);
      assertThat(results)
          .filteredOn(r -> after.contains(r.key()))
          .extracting(ResultItem::model)
          .as("uploads after the update: Classify reads no answer of model A with B's settings")
          .containsOnly(bModel);

      f.await(
          "the controller's endpoint on model B's config",
          DEADLINE,
          () -> f.endpointStatus().equals("InService")
              && bConfig.equals(f.sageMaker
                  .describeEndpoint(r -> r.endpointName(f.stack.names().endpoint()))
                  .endpointConfigName()));
      assertThat(aConfig).isNotEqualTo(bConfig);
      f.assertNoDeadLetterNorFailure("around the model update");
    }
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> l : lists) {
      all.addAll(l);
    }
    return all;
  }
}
