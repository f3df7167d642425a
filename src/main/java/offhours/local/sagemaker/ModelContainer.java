package offhours.local.sagemaker;

import java.net.URI;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A running model container. It speaks the SageMaker hosting contract: {@code GET /ping} answers 200
 * once the model is loaded, {@code POST /invocations} classifies a payload
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html).
 */
public interface ModelContainer extends AutoCloseable {

  /** Where the container listens, e.g. {@code http://127.0.0.1:41234}; /ping and /invocations resolve against it. */
  URI baseUri();

  /** Stops the container. Called once, when its endpoint is deleted or the local SageMaker closes. */
  @Override
  void close();

  /**
   * Completes when the container has ended, on its own or through {@link #close}; by default never: a server in this
   * JVM cannot end apart from it. The local SageMaker replaces a container that ends on its own while it serves.
   */
  default CompletableFuture<?> exited() {
    return new CompletableFuture<>();
  }

  /** Adapts any server that speaks the contract, e.g. an in-JVM one: {@code ModelContainer.of(uri, server::close)}. */
  static ModelContainer of(URI baseUri, Runnable onClose) {
    Objects.requireNonNull(baseUri, "baseUri");
    Objects.requireNonNull(onClose, "onClose");
    return new ModelContainer() {
      @Override
      public URI baseUri() {
        return baseUri;
      }

      @Override
      public void close() {
        onClose.run();
      }

      @Override
      public String toString() {
        return "ModelContainer[" + baseUri + "]";
      }
    };
  }
}
