package offhours.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.local.LocalDeployment;
import offhours.testing.LambdaZip;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The bench's cold start: fresh JVMs running Classify's zip on one-record events against the local stack, beside
 * the same JVM with an empty handler, and after a warm-up batch or the SnapStart priming hook.
 */
final class ColdStartSection {

  private final BenchTable table;
  private final boolean quick;

  ColdStartSection(BenchTable table, boolean quick) {
    this.table = table;
    this.quick = quick;
  }

  void run(LocalDeployment stack) throws Exception {
    BenchStack.awaitInService(stack);
    Path dir = Files.createTempDirectory("offhours-cold");
    try {
      List<String> cp = new ArrayList<>();
      LambdaZip.unpack(Path.of("target/classify.zip"), dir.resolve("classify"))
          .forEach(p -> cp.add(p.toString()));
      // The handler reads the event's bytes itself, as the runtime hands them to a stream handler:
      // only the zip and ColdStartMain; nothing else of the test class path.
      cp.add(Path.of("target/test-classes").toAbsolutePath().toString());
      String classpath = String.join(java.io.File.pathSeparator, cp);

      S3Client s3 = stack.s3();
      String bucket = "offhours-bench-cold-" + UUID.randomUUID().toString().substring(0, 8);
      s3.createBucket(r -> r.bucket(bucket));
      byte[] photo = Files.readAllBytes(BenchStack.DEMO_IMAGES.resolve("chelsea.png"));
      Map<String, String> env = new LinkedHashMap<>();
      URI moto = stack.services().moto().endpoint();
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_ACCESS_KEY_ID", stack.credentials().accessKeyId());
      env.put("AWS_SECRET_ACCESS_KEY", stack.credentials().secretAccessKey());
      env.put("AWS_ENDPOINT_URL_S3", moto.toString());
      env.put("AWS_ENDPOINT_URL_SQS", moto.toString());
      env.put("AWS_ENDPOINT_URL_DYNAMODB", moto.toString());
      env.put(
          "AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME",
          stack.services().sageMaker().endpoint().toString());
      env.put("TABLE_NAME", stack.resources().resultsTable());
      env.put("QUEUE_URL", stack.resources().queueUrl());
      env.put("BUCKET_NAME", bucket);
      env.put("ENDPOINT_NAME", stack.names().endpoint());
      env.put("MODEL_NAME", stack.names().model());
      env.put("LABELS", String.join(",", stack.labels()));

      int runs = quick ? 3 : 5;
      double[] empty = new double[runs];
      double[] classify = new double[runs];
      double[] firstBatch = new double[runs];
      double[] primedBatch = new double[runs];
      double[] hookBatch = new double[runs];
      double[] init = new double[runs];
      for (int i = -1; i < runs; i++) { // run -1 warms the OS page cache
        Path event = coldEvent(stack, bucket, photo, dir, "a", i + 1);
        Path warmup = coldEvent(stack, bucket, photo, dir, "b", i + 1);
        Path primedEvent = coldEvent(stack, bucket, photo, dir, "c", i + 1);
        Child e = spawn(classpath, env, "empty", event);
        Child c = spawn(classpath, env, "classify", event);
        Child p = spawn(classpath, env, "classify", primedEvent, warmup);
        Path hookEvent = coldEvent(stack, bucket, photo, dir, "d", i + 1);
        Child h = spawn(classpath, env, "classify-primed", hookEvent);
        for (Path handled : List.of(event, primedEvent, hookEvent)) {
          String[] object = coldObjects.get(handled);
          var item = stack
              .dynamoDb()
              .getItem(r -> r.tableName(stack.resources().resultsTable())
                  .key(Map.of(
                      "pk",
                          software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                              "s3://" + bucket + "/" + object[0]),
                      "sk",
                          software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                              "e#" + object[1]))))
              .item();
          if (item == null || !"CLASSIFIED".equals(item.get("status").s())) {
            throw new IllegalStateException(
                "the cold-started handler left no CLASSIFIED result for " + object[0] + ": "
                    + item);
          }
        }
        if (i >= 0) {
          empty[i] = e.seconds();
          classify[i] = c.seconds();
          init[i] = c.initMillis() - e.initMillis();
          firstBatch[i] = c.firstBatchMillis();
          primedBatch[i] = p.firstBatchMillis();
          hookBatch[i] = h.firstBatchMillis();
        }
      }
      double e = median(empty);
      double c = median(classify);
      double overhead = c - e;
      table.row(
          "cold start overhead: fresh JVM to first batch handled (classify - empty handler)",
          String.format("%.2f s (%.2f - %.2f)", overhead, c, e),
          "0.5 s",
          overhead / 0.5,
          "<= 1.00",
          overhead <= 0.5);
      double hooked = median(hookBatch);
      double unprimed = median(firstBatch);
      table.row(
          "cold start: first batch after the SnapStart priming hook (beforeCheckpoint), restore not measurable here",
          String.format("%.0f ms", hooked),
          String.format("unprimed first batch %.0f ms", unprimed),
          hooked / unprimed,
          "(info)",
          true);
      table.note(String.format(
          "cold start: median of %d runs; JVM start + event deserialization + handler init + one"
              + " batch of one record (GetObject, InvokeEndpoint, PutItem) + exit, against the same JVM with an empty"
              + " handler. Of it: handler init %.0f ms more than the empty handler's, first batch %.0f ms; the same batch"
              + " after one warm-up batch in the same JVM %.0f ms, and after the handler's SnapStart priming hook"
              + " (beforeCheckpoint: a TestEvent batch, a GetObject of a key no upload has, a PutItem on a condition that"
              + " never holds, a 1x1 PNG to the endpoint, a ChangeMessageVisibilityBatch for a receipt handle no message"
              + " has, a deferral's SendMessage with a delay SQS refuses)"
              + " %.0f ms."
              + " SnapStart restore itself cannot be measured here (no CRaC JDK).",
          runs, median(init), median(firstBatch), median(primedBatch), median(hookBatch)));
    } finally {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  record Child(double seconds, double initMillis, double firstBatchMillis) {}

  private final Map<Path, String[]> coldObjects = new java.util.HashMap<>();

  /** Uploads a fresh copy of the photo (no notification: its own bucket) and writes the SQS event about it. */
  private Path coldEvent(
      LocalDeployment stack, String bucket, byte[] photo, Path dir, String tag, int run)
      throws IOException {
    String key = "cold/" + run + "/" + tag + "/chelsea.png";
    String eTag = stack
        .s3()
        .putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(photo))
        .eTag()
        .replace("\"", "");
    Path event = dir.resolve("event-" + run + "-" + tag + ".json");
    Files.writeString(event, sqsEvent(bucket, key, photo.length, eTag));
    coldObjects.put(event, new String[] {key, eTag});
    return event;
  }

  private Child spawn(String classpath, Map<String, String> env, String mode, Path... events)
      throws Exception {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    // The JVM options template.yaml gives Classify (JAVA_TOOL_OPTIONS): C1 only, the fastest start.
    List<String> command = new ArrayList<>(List.of(
        javaBin,
        "-XX:+TieredCompilation",
        "-XX:TieredStopAtLevel=1",
        "-cp",
        classpath,
        ColdStartMain.class.getName(),
        mode));
    for (Path e : events) {
      command.add(e.toString());
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    long t = System.nanoTime();
    Process p = pb.start();
    String output;
    try (InputStream in = p.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int code = p.waitFor();
    double seconds = (System.nanoTime() - t) / 1e9;
    if (code != 0) {
      throw new IllegalStateException(
          "cold-start child (" + mode + ") exited " + code + ":\n" + output);
    }
    var m =
        java.util.regex.Pattern.compile("init_ms=(\\d+) first_batch_ms=(\\d+)").matcher(output);
    if (!m.find()) {
      throw new IllegalStateException(
          "cold-start child (" + mode + ") printed no timings:\n" + output);
    }
    return new Child(seconds, Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)));
  }

  static String sqsEvent(String bucket, String key, long size, String eTag) {
    String s3 =
        "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
            + "\"eventTime\":\"" + Instant.now()
            + "\",\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"s3SchemaVersion\":"
            + "\"1.0\",\"bucket\":{\"name\":\"" + bucket + "\",\"arn\":\"arn:aws:s3:::" + bucket
            + "\"},\"object\":"
            + "{\"key\":\"" + key + "\",\"size\":" + size + ",\"eTag\":\"" + eTag
            + "\",\"sequencer\":\"0067A1B2C3D4E5F601\"}}}]}";
    String escaped = s3.replace("\\", "\\\\").replace("\"", "\\\"");
    return "{\"Records\":[{\"messageId\":\"" + UUID.randomUUID()
        + "\",\"receiptHandle\":\"cold\",\"body\":\""
        + escaped + "\",\"attributes\":{\"ApproximateReceiveCount\":\"1\",\"SentTimestamp\":\""
        + System.currentTimeMillis() + "\"},\"messageAttributes\":{},\"eventSource\":\"aws:sqs\","
        + "\"eventSourceARN\":\"arn:aws:sqs:us-east-1:123456789012:offhours-queue\",\"awsRegion\":\"us-east-1\"}]}";
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
