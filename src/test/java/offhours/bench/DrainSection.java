package offhours.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import offhours.local.LocalDeployment;
import offhours.local.lambda.MappingStats;
import offhours.local.model.ContainerMeasurements;
import offhours.local.model.ModelFiles;
import offhours.local.model.OnnxContainer;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The bench's backlog drain on the local stack: a backlog queued while the endpoint is off, drained once it starts,
 * against the bounds the same run measures (the machine's CPU per image, moto_server's one core, its raw SQS rate).
 */
final class DrainSection {

  private final BenchTable table;
  private final boolean quick;
  private final PrintStream log;

  DrainSection(BenchTable table, boolean quick, PrintStream log) {
    this.table = table;
    this.quick = quick;
    this.log = log;
  }

  private double rawCpuMsPerImage;
  private double jvmCpuMsPerImage;
  private double motoCpuMsPerImage;
  private double drainFromFirst;
  private Map<String, Long> threadsAtFirst = Map.of();
  private String threadSplit = "";
  private double drainFromStart;
  private double firstResultSeconds;
  private String drainDetail;
  /** moto_server's CPU in its busiest whole second between the first result and the last, in cores. */
  private double motoBusiestSecond;

  void drain(LocalDeployment stack, int images) throws Exception {
    Map<String, byte[]> photos = new LinkedHashMap<>();
    for (String name : BenchStack.DRAIN_IMAGES) {
      photos.put(name, Files.readAllBytes(BenchStack.DEMO_IMAGES.resolve(name)));
    }
    SqsClient sqs = stack.sqs();
    String queue = stack.resources().queueUrl();
    // Whatever is queued already drains with the images (nothing, normally: the local start sweeps
    // S3's s3:TestEvent off the queue).
    int queuedBefore = BenchStack.visible(sqs, queue);
    String run = UUID.randomUUID().toString().substring(0, 8);
    BenchStack.queueUploads(stack, images, queuedBefore, log, i -> {
      String name = BenchStack.DRAIN_IMAGES.get(i % BenchStack.DRAIN_IMAGES.size());
      return Map.entry(String.format("bench-%s/%04d-%s", run, i, name), photos.get(name));
    });
    BenchStack.Drain drain = BenchStack.startDrain(stack, images, log);
    long start = drain.startNanos();
    long first = 0;
    long firstCount = 0;
    long jvmCpu = 0;
    long motoCpu = 0;
    long end;
    long deadline = start + TimeUnit.MINUTES.toNanos(12);
    long secondStart = 0;
    long secondMoto = 0;
    while (true) {
      MappingStats s = drain.stats();
      long done = drain.done(s);
      long now = System.nanoTime();
      if (first == 0 && done > 0) {
        first = now;
        firstCount = done;
        jvmCpu = Machine.jvmCpuNanos();
        motoCpu = Machine.processTreeCpuNanos(stack.services().moto().pid());
        threadsAtFirst = Machine.threadCpuByGroup();
        secondStart = now;
        secondMoto = motoCpu;
      } else if (first != 0 && now - secondStart >= TimeUnit.SECONDS.toNanos(1)) {
        long moto = Machine.processTreeCpuNanos(stack.services().moto().pid());
        motoBusiestSecond =
            Math.max(motoBusiestSecond, (double) (moto - secondMoto) / (now - secondStart));
        secondStart = now;
        secondMoto = moto;
      }
      if (done >= queuedBefore + images) {
        end = now;
        jvmCpuMsPerImage = (Machine.jvmCpuNanos() - jvmCpu) / 1e6 / (done - firstCount);
        Map<String, Long> threadsAtEnd = Machine.threadCpuByGroup();
        StringBuilder split = new StringBuilder();
        long javaThreads = 0;
        for (var e : threadsAtEnd.entrySet()) {
          long delta = e.getValue() - threadsAtFirst.getOrDefault(e.getKey(), 0L);
          javaThreads += delta;
          if (delta / 1e6 / (done - firstCount) >= 0.5) {
            split.append(String.format("%s %.1f, ", e.getKey(), delta / 1e6 / (done - firstCount)));
          }
        }
        split.append(String.format(
            "other (ONNX Runtime's native threads, GC, JIT) %.1f",
            jvmCpuMsPerImage - javaThreads / 1e6 / (done - firstCount)));
        threadSplit = split.toString();
        motoCpuMsPerImage = (Machine.processTreeCpuNanos(stack.services().moto().pid()) - motoCpu)
            / 1e6
            / (done - firstCount);
        break;
      }
      if (now > deadline) {
        throw new IllegalStateException("drain did not finish in 12 minutes: " + s);
      }
      Thread.sleep(10);
    }
    MappingStats s = drain.stats();
    long classified = countClassified(stack, run);
    if (classified != images) {
      throw new IllegalStateException(
          classified + " of " + images + " images have a CLASSIFIED result; " + s);
    }
    drainFromFirst = (images - firstCount) / ((end - first) / 1e9);
    drainFromStart = images / ((end - start) / 1e9);
    firstResultSeconds = (first - start) / 1e9;
    drainDetail = String.format(
        "%d images, %d batches, %d failed deliveries, first result %.1f s after the start"
            + " command",
        images, s.batches(), s.failed(), firstResultSeconds);
    log.println("bench: drained: " + drainDetail);
  }

  private static long countClassified(LocalDeployment stack, String run) {
    String table = stack.resources().resultsTable();
    long count = 0;
    for (var page : stack
        .dynamoDb()
        .scanPaginator(r -> r.tableName(table)
            .filterExpression("begins_with(#k, :p) AND #s = :c")
            .expressionAttributeNames(Map.of("#k", "key", "#s", "status"))
            .expressionAttributeValues(Map.of(
                ":p",
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        "bench-" + run + "/"),
                ":c",
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        "CLASSIFIED"))))) {
      count += page.count();
    }
    return count;
  }
  /** Receive (10 at a time) + DeleteMessageBatch against the same moto_server, as many pollers as the mapping's. */
  double rawSqs(LocalDeployment stack, int messages) throws Exception {
    SqsClient sqs = stack.sqs();
    String queue =
        sqs.createQueue(r -> r.queueName("bench-raw-" + UUID.randomUUID())).queueUrl();
    String body =
        "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"s3\":{\"bucket\":{\"name\":"
            + "\"offhours-images\"},\"object\":{\"key\":\"bench/0000-chelsea.png\",\"size\":120000,\"eTag\":"
            + "\"511130d2072cc744a1fa5015bc23557a\",\"sequencer\":\"0067A1B2C3D4E5F601\"}}}]}";
    for (int i = 0; i < messages; i += 10) {
      int base = i;
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = 0; j < 10 && base + j < messages; j++) {
        entries.add(
            SendMessageBatchRequestEntry.builder().id("m" + j).messageBody(body).build());
      }
      sqs.sendMessageBatch(r -> r.queueUrl(queue).entries(entries));
    }
    log.println("bench: raw SQS receive + DeleteMessageBatch of " + messages + " messages ...");
    AtomicLong received = new AtomicLong();
    long start = System.nanoTime();
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        workers.add(pool.submit(() -> {
          int empty = 0;
          while (received.get() < messages && empty < 3) {
            List<Message> batch = sqs.receiveMessage(
                    r -> r.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(1))
                .messages();
            if (batch.isEmpty()) {
              empty++;
              continue;
            }
            sqs.deleteMessageBatch(r -> r.queueUrl(queue)
                .entries(batch.stream()
                    .map(m ->
                        software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry
                            .builder()
                            .id(m.messageId())
                            .receiptHandle(m.receiptHandle())
                            .build())
                    .toList()));
            received.addAndGet(batch.size());
          }
          return null;
        }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
    }
    double rate = received.get() / ((System.nanoTime() - start) / 1e9);
    sqs.deleteQueue(r -> r.queueUrl(queue));
    return rate;
  }

  /**
   * The local drain against the bounds the same run measures (see {@link DrainBound}): the smaller of what all cores
   * can drain (the CPU this JVM and moto_server, from /proc, spend per image) and what moto_server can serve on its
   * one core; then moto_server's own SQS receive + delete rate. The raw model is information only: moto_server and the
   * pipeline share the cores it would need.
   */
  private void drainRows(double raw, int threads, double sqsRate) {
    DrainBound bound = new DrainBound(
        Runtime.getRuntime().availableProcessors(), jvmCpuMsPerImage, motoCpuMsPerImage);
    double ratio = drainFromFirst / bound.bound();
    table.row(
        "backlog drain, images/s from the first result",
        String.format("%.1f /s", drainFromFirst),
        bound.limit(),
        ratio,
        ">= 0.80",
        ratio >= 0.8);
    table.row(
        "backlog drain, images/s from the start command",
        String.format("%.1f /s", drainFromStart),
        String.format("bound %.1f /s", bound.bound()),
        drainFromStart / bound.bound(),
        "(info)",
        true);
    table.row(
        "backlog drain against all cores alone (the bound before moto_server's one core was counted)",
        String.format("%.1f /s", drainFromFirst),
        String.format(
            "CPU bound %.1f /s (%d cores / %.1f ms CPU per image, JVM + moto_server)",
            bound.allCores(), bound.cores(), bound.totalMsPerImage()),
        drainFromFirst / bound.allCores(),
        "(info)",
        true);
    table.row(
        "backlog drain against moto_server's own SQS receive(10) + DeleteMessageBatch, 2 threads, same depth",
        String.format("%.1f /s", drainFromFirst),
        String.format("moto SQS alone %.1f msg/s", sqsRate),
        drainFromFirst / sqsRate,
        "(info)",
        true);
    table.row(
        "CPU per image while draining: JVM (Lambda shim, handler, local SageMaker, container) + moto_server",
        String.format(
            "%.1f + %.1f = %.1f ms", jvmCpuMsPerImage, motoCpuMsPerImage, bound.totalMsPerImage()),
        String.format("raw model %.1f ms", rawCpuMsPerImage),
        bound.totalMsPerImage() / rawCpuMsPerImage,
        "(explains drain)",
        true);
    table.row(
        "backlog drain against the raw model (ONNX alone, no queue; not reachable locally)",
        String.format("%.1f /s", drainFromFirst),
        String.format("raw model %.1f /s (%d threads)", raw, threads),
        drainFromFirst / raw,
        "(info)",
        true);
    table.note("drain: " + drainDetail);
    table.note("drain: JVM CPU per image by thread (ms): " + threadSplit);
    table.note(String.format(
        "drain: moto_server used %.2f cores from the first result to the last (busiest second %.2f); it is one"
            + " Python process, so about 1 core is all it can use",
        motoCpuMsPerImage * drainFromFirst / 1000, motoBusiestSecond));
    table.note(String.format(
        "drain bound: the smaller of moto_server's 1 core / %.1f ms of its CPU per image = %.1f images/s and %d cores"
            + " / %.1f ms of CPU per image (this JVM and moto_server's processes, /proc) = %.1f images/s, on an"
            + " otherwise idle machine; the raw model alone needs %.1f ms per image (%.0f images/s)",
        motoCpuMsPerImage,
        bound.motoCore(),
        bound.cores(),
        bound.totalMsPerImage(),
        bound.allCores(),
        rawCpuMsPerImage,
        bound.cores() * 1000 / rawCpuMsPerImage));
    table.note(String.format(
        "drain ratio: %.2f against the bound (%s), %.2f against all cores alone",
        ratio,
        bound.motoBinds() ? "moto_server's core" : "all cores",
        drainFromFirst / bound.allCores()));
  }

  /** The raw model's throughput and CPU per image (the stack closed), then the drain's rows. */
  void rows(ModelFiles model, double sqsRate) throws Exception {
    int threads = ContainerMeasurements.containerThreads();
    try (OnnxContainer container = OnnxContainer.start(model.onnx(), 0)) {
      log.println("bench: raw model throughput, " + threads + " threads ...");
      long cpu = Machine.jvmCpuNanos();
      var raw = ContainerMeasurements.inferenceThroughput(
          container,
          BenchStack.DEMO_IMAGES,
          BenchStack.DRAIN_IMAGES,
          threads,
          Duration.ofSeconds(quick ? 10 : 20));
      rawCpuMsPerImage = (Machine.jvmCpuNanos() - cpu) / 1e6 / raw.images();
      drainRows(raw.perSecond(), threads, sqsRate);
    }
  }
}
