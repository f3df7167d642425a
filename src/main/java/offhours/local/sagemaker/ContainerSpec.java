package offhours.local.sagemaker;

import java.util.Map;
import java.util.Objects;

/**
 * What a {@link ContainerLauncher} is asked to start: the model's {@code PrimaryContainer} (Image,
 * ModelDataUrl, Environment) plus the endpoint it will serve, which launchers use to name logs.
 *
 * @param endpointName the endpoint being created
 * @param image the model's {@code PrimaryContainer.Image}, the key that picked the launcher
 * @param modelDataUrl the model's {@code PrimaryContainer.ModelDataUrl}; may be null (it is optional in
 *     CreateModel), e.g. {@code file:///path/model.onnx}
 * @param environment the model's {@code PrimaryContainer.Environment}, never null
 */
public record ContainerSpec(
    String endpointName, String image, String modelDataUrl, Map<String, String> environment) {
  public ContainerSpec {
    Objects.requireNonNull(endpointName, "endpointName");
    Objects.requireNonNull(image, "image");
    environment = environment == null ? Map.of() : Map.copyOf(environment);
  }
}
