package offhours.classify;

import java.util.List;
import offhours.results.ResultItem.Label;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The consumer's InvokeEndpoint contract for the API's synchronous POST /classify, so both read formats, errors and
 * predictions the same way: which bytes are an image, what a failure means ("endpoint unavailable" as the consumer
 * decides it), and how a response becomes labels.
 */
public final class InvokeContract {

  /**
   * The request content type of the image-classification contract: MessageClassifier.CONTENT_TYPE, spelled out so
   * that api.zip need not carry the consumer's message handling.
   */
  public static final String CONTENT_TYPE = "application/x-image";

  private InvokeContract() {}

  /** "JPEG" or "PNG" by the magic bytes, or null for anything else. */
  public static String format(byte[] bytes) {
    ImageFormat format = ImageFormat.of(bytes);
    return format == null ? null : format.name();
  }

  /** What other bytes look like ("GIF", "text", ...), for a message. */
  public static String describe(byte[] bytes) {
    return ImageFormat.describe(bytes);
  }

  /** What an InvokeEndpoint failure means for a caller that holds the image. */
  public enum Meaning {
    /** Absent, not in service, throttled, 5xx, unreachable: the image should wait for the endpoint. */
    UNAVAILABLE,
    /** The model or the endpoint refused this image (a 4xx of the model, a validation error). */
    REJECTED,
    /** The model crashed, or the deployment is wrong (access denied): neither the image's fault nor a wait. */
    FAILED
  }

  public record Failure(Meaning meaning, String reason) {}

  /** The consumer's decision for {@code error} on a first attempt. */
  public static Failure failure(SdkException error) {
    EndpointErrors.Decision decision = EndpointErrors.classify(error, 1);
    Meaning meaning = decision.endpointDown() || decision.kind() == Outcome.Kind.DEFERRED ? Meaning.UNAVAILABLE
        : decision.kind() == Outcome.Kind.REJECTED ? Meaning.REJECTED : Meaning.FAILED;
    return new Failure(meaning, decision.reason());
  }

  /**
   * The {@code k} most probable labels of a response. A response that does not fit the labels (not a JSON array of
   * probabilities, another count) throws {@link IllegalStateException}: a deployment problem.
   */
  public static List<Label> topK(byte[] response, List<String> labels, String labelSource, int k) {
    try {
      return Predictions.topK(response, labels, labelSource, k);
    } catch (Predictions.ContractViolation e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The labels of a label file: one per line, blank lines ignored. */
  public static List<String> labelLines(String text) {
    return ClassifyConfig.parseLabelLines(text);
  }
}
