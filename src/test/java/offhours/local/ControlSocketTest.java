package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket that carries {@code local update}'s model to the running stack: the update arrives whole (paths
 * made absolute, the settings), the stack's answer or refusal comes back in its words, and once closed nothing listens
 * and the socket's file is gone.
 */
class ControlSocketTest {

  @TempDir
  Path cache;

  @Test
  void anUpdateArrivesWholeAndTheStacksAnswerOrRefusalComesBack() throws IOException {
    List<ModelUpdate> received = new CopyOnWriteArrayList<>();
    Path socket = ControlSocket.path(cache);
    ModelUpdate update = new ModelUpdate(
        Optional.of(Path.of("model.onnx")),
        Optional.of(Path.of("labels.txt")),
        Optional.empty(),
        Map.of("ACCEPT", "application/json", "CONTENT_TYPE", "image/png"));
    try (ControlSocket control = ControlSocket.open(socket, u -> {
      received.add(u);
      if (received.size() > 1) {
        throw new IllegalArgumentException("nothing changed: the local stack serves this model");
      }
      return Map.of("model", "offhours-model-2", "endpointConfig", "offhours-endpoint-config-2");
    })) {
      ControlSocket.UpdateAnswer answer = ControlSocket.send(socket, update);
      assertThat(answer.refused()).isNull();
      assertThat(answer.served())
          .isEqualTo(
              Map.of("model", "offhours-model-2", "endpointConfig", "offhours-endpoint-config-2"));
      assertThat(received)
          .containsExactly(new ModelUpdate(
              Optional.of(Path.of("model.onnx").toAbsolutePath()),
              Optional.of(Path.of("labels.txt").toAbsolutePath()),
              Optional.empty(),
              Map.of("ACCEPT", "application/json", "CONTENT_TYPE", "image/png")));

      ControlSocket.UpdateAnswer refused = ControlSocket.send(socket, update);
      assertThat(refused.refused()).isEqualTo("nothing changed: the local stack serves this model");
      assertThat(refused.served()).isEmpty();
    }
    assertThat(socket).as("the socket's file, once closed").doesNotExist();
    assertThatThrownBy(() -> ControlSocket.send(socket, update))
        .as("nothing listens once closed")
        .isInstanceOf(IOException.class);
  }
}
