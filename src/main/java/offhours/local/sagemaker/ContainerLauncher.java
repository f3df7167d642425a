package offhours.local.sagemaker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Starts the container for one endpoint, chosen by the model's image name (see
 * {@link LocalSageMakerBuilder#container(String, ContainerLauncher)}). The local SageMaker then waits
 * for {@code GET /ping} to answer 200 before the endpoint goes InService, exactly as SageMaker does.
 *
 * <p>A launcher may block while the container starts; it runs on the endpoint's creation thread. Any
 * exception it throws turns the endpoint {@code Failed}, with the exception's message in FailureReason.
 */
@FunctionalInterface
public interface ContainerLauncher {

  ModelContainer launch(ContainerSpec spec) throws Exception;

  /**
   * Refuses a model this launcher must not start, at CreateModel: throws {@link IllegalArgumentException} with the
   * reason, which the caller gets as a ValidationException. The default accepts every model.
   */
  default void check(String modelDataUrl, Map<String, String> environment) {}

  /**
   * A TCP port on 127.0.0.1 that was free a moment ago, for a launcher whose child process must be told its port:
   * another process may bind it before the child does, so the launcher must notice and try again (as the container
   * command's do, {@link ContainerSupervisor#start}). A server in this JVM binds port 0 instead and reads its port.
   */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free TCP port on 127.0.0.1", e);
    }
  }
}
