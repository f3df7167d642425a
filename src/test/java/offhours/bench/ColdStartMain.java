package offhours.bench;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM of the cold-start benchmark: what the Lambda runtime does on a cold start, reduced to the
 * function's part. Reads one SQS event from a file as bytes (the runtime hands a stream handler the invocation's
 * payload as it arrived), constructs the handler (init), handles the event once, prints the response and exits.
 * {@code empty} runs a handler that only answers an empty batch response, the baseline; {@code classify} runs
 * ClassifyHandler built from the environment exactly as Lambda builds it (no-arg constructor).
 */
public final class ColdStartMain {

  private static final String NO_FAILURES = "{\"batchItemFailures\":[]}";

  private ColdStartMain() {}

  /**
   * {@code MODE EVENT [WARMUP_EVENT]}: {@code classify-primed} runs the handler's SnapStart priming hook after init;
   * with a warm-up event (mode {@code classify}) the handler first handles
   * that one, untimed, which is what SnapStart priming would do before the snapshot; then it times EVENT.
   * Prints {@code init_ms=... first_batch_ms=...} (init from the JVM's start).
   */
  public static void main(String[] args) throws Exception {
    byte[] event = Files.readAllBytes(Path.of(args[1]));
    RequestStreamHandler handler = switch (args[0]) {
      case "empty" -> (in, out, context) -> out.write(NO_FAILURES.getBytes(StandardCharsets.UTF_8));
      case "classify", "classify-primed" -> new offhours.classify.ClassifyHandler();
      default ->
        throw new IllegalArgumentException("mode empty|classify|classify-primed, got " + args[0]);
    };
    if (args[0].equals("classify-primed")) {
      // What SnapStart runs before the snapshot; the restore itself needs a CRaC JVM, so it is not
      // measured.
      ((org.crac.Resource) handler).beforeCheckpoint(null);
    }
    if (args.length > 2) {
      handler.handleRequest(
          new ByteArrayInputStream(Files.readAllBytes(Path.of(args[2]))),
          new ByteArrayOutputStream(),
          null);
    }
    long initMillis = System.currentTimeMillis()
        - ProcessHandle.current()
            .info()
            .startInstant()
            .map(java.time.Instant::toEpochMilli)
            .orElse(0L);
    long t = System.nanoTime();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), response, null);
    long firstBatch = (System.nanoTime() - t) / 1_000_000;
    String answer = response.toString(StandardCharsets.UTF_8);
    System.out.println(
        "init_ms=" + initMillis + " first_batch_ms=" + firstBatch + " response=" + answer);
    System.exit(answer.equals(NO_FAILURES) ? 0 : 3);
  }
}
