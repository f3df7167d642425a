package offhours.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import offhours.local.model.Preprocessing;

/**
 * A new model for the running local stack ({@link LocalDeployment#update}), the local twin of a stack update that
 * changes ContainerImage, LabelsS3Uri, ContentType or Accept: what is given changes, the rest stays. A new model or
 * container command comes with its own labels or none (its answers name their classes), never the old model's, and
 * an ONNX model with its own resize, normalization and input size (the default's unless given), never the old
 * model's.
 *
 * @param model an ONNX model to serve instead (needs {@code labels})
 * @param labels the class names, one per line, in the order of the model's outputs
 * @param containerCommand a command speaking the SageMaker contract to serve with instead
 * @param modelSettings CONTENT_TYPE and ACCEPT, as the stack's parameters of those names, and the ONNX model's
 *     NORMALIZE, RESIZE, RESAMPLE and INPUT_SIZE ({@link Preprocessing})
 */
public record ModelUpdate(
    Optional<Path> model,
    Optional<Path> labels,
    Optional<String> containerCommand,
    Map<String, String> modelSettings) {

  /** The model settings an update may change. */
  public static final List<String> SETTINGS = Stream.concat(
          Stream.of("CONTENT_TYPE", "ACCEPT"), Preprocessing.SETTINGS.stream())
      .toList();

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
            + String.join(", ", SETTINGS.subList(0, SETTINGS.size() - 1)) + " and "
            + SETTINGS.getLast() + " of the model settings, not " + setting);
      }
    }
    if (containerCommand.isPresent() && !Preprocessing.among(modelSettings).isEmpty()) {
      throw new IllegalArgumentException(Preprocessing.flags(Preprocessing.SETTINGS)
          + " prepare the images of an ONNX model of --model only: a --container-command's server"
          + " prepares its own");
    }
    if (model.isEmpty()
        && labels.isEmpty()
        && containerCommand.isEmpty()
        && modelSettings.isEmpty()) {
      throw new IllegalArgumentException(
          "a model update needs at least one of --model, --container-command, --labels,"
              + " --content-type, --accept, " + Preprocessing.flags(Preprocessing.SETTINGS));
    }
  }

  /** Whether the model itself changes (a model file or a command), whose labels then come from this update only. */
  boolean newModel() {
    return model.isPresent() || containerCommand.isPresent();
  }
}
