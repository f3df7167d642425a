package offhours.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A new model for the running local stack ({@link LocalDeployment#update}), the local twin of a stack update that
 * changes ContainerImage, LabelsS3Uri, ContentType or Accept: what is given changes, the rest stays. A new model or
 * container command comes with its own labels or none (its answers name their classes), never the old model's.
 *
 * @param model an ONNX model to serve instead (needs {@code labels})
 * @param labels the class names, one per line, in the order of the model's outputs
 * @param containerCommand a command speaking the SageMaker contract to serve with instead
 * @param modelSettings CONTENT_TYPE and ACCEPT, as the stack's parameters of those names
 */
public record ModelUpdate(
    Optional<Path> model,
    Optional<Path> labels,
    Optional<String> containerCommand,
    Map<String, String> modelSettings) {

  /** The model settings an update may change. */
  public static final List<String> SETTINGS = List.of("CONTENT_TYPE", "ACCEPT");

  public ModelUpdate {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(containerCommand, "containerCommand");
    modelSettings = Map.copyOf(modelSettings);
    if (model.isPresent() && containerCommand.isPresent()) {
      throw new IllegalArgumentException("choose one of --model and --container-command, not both");
    }
    if (model.isPresent() && labels.isEmpty()) {
      throw new IllegalArgumentException(
          "--labels FILE is required with --model: one class name per line, in the order of the model's outputs");
    }
    for (String setting : modelSettings.keySet()) {
      if (!SETTINGS.contains(setting)) {
        throw new IllegalArgumentException("a model update changes "
            + String.join(" and ", SETTINGS) + " of the model settings, not " + setting);
      }
    }
    if (model.isEmpty()
        && labels.isEmpty()
        && containerCommand.isEmpty()
        && modelSettings.isEmpty()) {
      throw new IllegalArgumentException(
          "a model update needs at least one of --model, --container-command, --labels,"
              + " --content-type and --accept");
    }
  }

  /** Whether the model itself changes (a model file or a command), whose labels then come from this update only. */
  boolean newModel() {
    return model.isPresent() || containerCommand.isPresent();
  }
}
