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

  /**
   * {@code MODE EVENT [WARMUP_EVENT]}: {@code classify-primed} runs the handler's SnapStart priming hook after init;
   * with a warm-up event (mode {@code classify}) the handler first handles
   * that one, untimed, which is what SnapStart priming would do before the snapshot; then it times EVENT.
   * Prints {@code init_ms=... first_batch_ms=...} (init from the JVM's start).
   */
  public static void main(String[] args) throws Exception {
    var serializer = LambdaEventSerializers.serializerFor(SQSEvent.class, ColdStartMain.class.getClassLoader());
    SQSEvent event = read(serializer, Path.of(args[1]));
    RequestHandler<SQSEvent, SQSBatchResponse> handler = switch (args[0]) {
      case "empty" -> (e, context) -> new SQSBatchResponse(List.of());
      case "classify", "classify-primed" -> new offhours.classify.ClassifyHandler();
      default -> throw new IllegalArgumentException("mode empty|classify|classify-primed, got " + args[0]);
    };
    if (args[0].equals("classify-primed")) {
      // What SnapStart runs before the snapshot; the restore itself needs a CRaC JVM, so it is not measured.
      ((org.crac.Resource) handler).beforeCheckpoint(null);
    }
    if (args.length > 2) {
      handler.handleRequest(read(serializer, Path.of(args[2])), null);
    }
    long initMillis = System.currentTimeMillis()
        - ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    long t = System.nanoTime();
    SQSBatchResponse response = handler.handleRequest(event, null);
    long firstBatch = (System.nanoTime() - t) / 1_000_000;
    System.out.println("init_ms=" + initMillis + " first_batch_ms=" + firstBatch + " batchItemFailures="
        + response.getBatchItemFailures().size());
    System.exit(response.getBatchItemFailures().isEmpty() ? 0 : 3);
  }

  private static SQSEvent read(com.amazonaws.services.lambda.runtime.serialization.PojoSerializer<SQSEvent> serializer,
      Path file) throws java.io.IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return serializer.fromJson(in);
    }
  }
}
