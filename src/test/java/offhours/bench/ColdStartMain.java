package offhours.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The child JVM of the cold-start benchmark: what the Lambda runtime does on a cold start, reduced to the
 * function's part. Reads one SQS event from a file with the runtime's own serializer, constructs the handler
 * (init), handles the event once, prints the batch item failures and exits.
 * {@code empty} runs a handler that does nothing, the baseline; {@code classify} runs ClassifyHandler built
 * from the environment exactly as Lambda builds it (no-arg constructor).
 */
public final class ColdStartMain {

  private ColdStartMain() {}

  public static void main(String[] args) throws Exception {
    SQSEvent event;
    try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
      event = LambdaEventSerializers.serializerFor(SQSEvent.class, ColdStartMain.class.getClassLoader()).fromJson(in);
    }
    RequestHandler<SQSEvent, SQSBatchResponse> handler = switch (args[0]) {
      case "empty" -> (e, context) -> new SQSBatchResponse(List.of());
      case "classify" -> new offhours.classify.ClassifyHandler();
      default -> throw new IllegalArgumentException("mode empty|classify, got " + args[0]);
    };
    SQSBatchResponse response = handler.handleRequest(event, null);
    System.out.println("batchItemFailures=" + response.getBatchItemFailures().size());
    System.exit(response.getBatchItemFailures().isEmpty() ? 0 : 3);
  }
}
