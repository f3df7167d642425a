package offhours.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import offhours.aws.AwsClients.Service;
import offhours.cache.CacheDirectory;
import offhours.local.LocalDeployment;
import offhours.local.lambda.LocalLambda;
import offhours.local.lambda.MappingStats;
import offhours.local.model.ContainerMeasurements;
import offhours.local.model.DefaultModel;
import offhours.local.model.ModelFiles;
import offhours.local.model.OnnxContainer;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The bench command ({@code scripts/bench [--quick]}): one table, each line a measurement against its limit
 * measured in the same run, so the ratios hold on a noisy machine. Benchmark, not a test: it asserts nothing
 * about time; it fails only when the pipeline itself fails (an image without a result).
 *
 * <p>Arguments: {@code --quick} (200 images, fewer samples),
 * {@code --only drain,standin,consumer,cold,packages,container}.
 */
public final class Bench {

  static final Path DEMO_IMAGES = Path.of("src/demo/images");
  /** Valid photos only: every queued copy must end CLASSIFIED. */
  static final List<String> DRAIN_IMAGES =
      List.of("chelsea.png", "coffee.png", "horse.png", "rocket.jpg");

  private final boolean quick;
  private final PrintStream log = System.err;
  private final List<String> table = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  private Bench(boolean quick) {
    this.quick = quick;
  }

  public static void main(String[] args) throws Exception {
    List<String> list = Arrays.asList(args);
    boolean quick = list.contains("--quick");
    List<String> only = List.of("drain", "standin", "consumer", "cold", "packages", "container");
    int i = list.indexOf("--only");
    if (i >= 0) {
      only = List.of(list.get(i + 1).split(","));
    }
    new Bench(quick).run(only);
    System.exit(0);
  }

  private void run(List<String> sections) throws Exception {
    long started = System.nanoTime();
    // The local stack's functions log to standard output (as on Lambda); the table alone goes
    // there.
    PrintStream out = System.out;
    System.setOut(System.err);
    Path cache = CacheDirectory.ofThisProcess();
    ModelFiles model = DefaultModel.ensure(cache);
    if (sections.contains("packages")) {
      packages();
    }
    if (sections.contains("drain") || sections.contains("cold")) {
      stackSections(cache, model, sections);
    }
    if (sections.contains("standin")) {
      standIn(cache);
    }
    if (sections.contains("container")) {
      container(model);
    }
    if (sections.contains("consumer")) {
      consumer();
    }
    out.println();
    out.printf(
        "offhours bench%s, %s: %d cores (%s), JDK %s (%s), %s%n",
        quick ? " --quick" : "",
        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        Runtime.version(),
        System.getProperty("java.vm.name"),
        osLine());
    out.println();
    out.println("| measurement | value | limit (same run) | ratio | target | met |");
    out.println("|---|---|---|---|---|---|");
    table.forEach(out::println);
    out.println();
    notes.forEach(n -> out.println("- " + n));
    out.printf("%nbench took %.0f s%n", (System.nanoTime() - started) / 1e9);
  }

  private void row(
      String what, String value, String limit, double ratio, String target, boolean met) {
    table.add(String.format(
        "| %s | %s | %s | %.2f | %s | %s |",
        what, value, limit, ratio, target, met ? "yes" : "NO"));
  }

  // ---------------------------------------------------------------- packages

  private void packages() throws IOException {
    long mb = 1_000_000L;
    Map<String, List<String>> functions =
        functionsByPackage(Files.readString(Path.of("template.yaml")));
    for (String zip : List.of("classify", "controller", "api")) {
      Path file = Path.of("target", zip + ".zip");
      long zipped = Files.size(file);
      long unzipped = 0;
      try (ZipFile z = new ZipFile(file.toFile())) {
        for (var e = z.entries(); e.hasMoreElements(); ) {
          unzipped += Math.max(0, e.nextElement().getSize());
        }
      }
      List<String> named = functions.get(zip);
      if (named == null) {
        throw new IllegalStateException(
            "template.yaml deploys no function from target/" + zip + ".zip");
      }
      String what = "package " + zip + ".zip (" + String.join(" + ", named) + "), zipped";
      if (zip.equals("classify")) {
        row(
            what,
            mb(zipped),
            "12 MB (offhours)",
            zipped / (12.0 * mb),
            "<= 1.00",
            zipped <= 12 * mb);
      } else {
        row(what, mb(zipped), "50 MB (Lambda)", zipped / (50.0 * mb), "<= 1.00", zipped <= 50 * mb);
      }
      row(
          "package " + zip + ".zip, unzipped",
          mb(unzipped),
          "250 MB (Lambda)",
          unzipped / (250.0 * mb),
          "<= 1.00",
          unzipped <= 250 * mb);
    }
  }

  /**
   * The functions template.yaml deploys from each package, named after their handlers ({@code CodeUri:
   * target/controller.zip} then {@code Handler: offhours.endpoint.ControllerHandler::handleRequest} gives
   * controller -> Controller), so a line's label names what the zip is for.
   */
  static Map<String, List<String>> functionsByPackage(String template) {
    Map<String, List<String>> functions = new LinkedHashMap<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
            "CodeUri: target/([\\w-]+)\\.zip\\s*\\n\\s*Handler: [\\w.]*?\\.(\\w+?)Handler::")
        .matcher(template);
    while (m.find()) {
      functions.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
    }
    return functions;
  }

  private static String mb(long bytes) {
    return String.format("%.2f MB", bytes / 1e6);
  }

  // ---------------------------------------------------------------- stand-in endpoint saturation

  /** K slots of T ms: an ml.m5.large's 2 vCPUs with a model of 400 ms per image, 5 images/s, the simulator's rate. */
  static final int STANDIN_SLOTS = 2;

  static final long STANDIN_MILLIS = 400;

  private void standIn(Path cache) throws Exception {
    StandInDrain.Result r =
        StandInDrain.run(cache, quick ? 150 : 400, STANDIN_SLOTS, STANDIN_MILLIS, log);
    row(
        String.format(
            "stand-in drain: %d images against %d slots of %d ms, images/s from the first result",
            r.images(), r.slots(), r.millis()),
        String.format("%.2f /s", r.perSecond()),
        String.format("capacity %.2f /s (K / T)", r.capacity()),
        r.saturation(),
        ">= 0.90",
        r.saturation() >= 0.9);
    notes.add(String.format(
        "stand-in: %d batches, %d failed deliveries, first result %.1f s after the start command;"
            + " saturation %.2f; the simulator's drain rate per instance (5 images/s) is this endpoint's capacity",
        r.batches(), r.failed(), r.firstResultSeconds(), r.saturation()));
  }

  // ---------------------------------------------------------------- container latency

  private void container(ModelFiles model) throws Exception {
    int iterations = quick ? 30 : 100;
    log.println("bench: model container latency, " + iterations + " iterations per image ...");
    try (OnnxContainer container = OnnxContainer.start(model.onnx(), 0)) {
      for (ContainerMeasurements.Row r :
          ContainerMeasurements.latency(container, DEMO_IMAGES, iterations, false)) {
        double infer = ContainerMeasurements.pct(r.infer(), 50);
        double whole = ContainerMeasurements.pct(r.inProcess(), 50);
        row(
            String.format(
                "container p50 per image, %s %dx%d (decode+preprocess+infer)",
                r.image(), r.width(), r.height()),
            String.format(
                "%.1f ms (p95 %.1f)", whole, ContainerMeasurements.pct(r.inProcess(), 95)),
            String.format(
                "1.5 x inference %.1f ms (p95 %.1f)",
                infer, ContainerMeasurements.pct(r.infer(), 95)),
            whole / (1.5 * infer),
            "<= 1.00",
            whole <= 1.5 * infer);
      }
    }
  }

  // ---------------------------------------------------------------- consumer CPU (JMH)

  private void consumer() throws Exception {
    log.println("bench: consumer CPU per message (JMH) ...");
    var options = new OptionsBuilder()
        .include("offhours\\.classify\\.ConsumerBenchmark\\.")
        .forks(quick ? 1 : 2)
        .warmupIterations(quick ? 2 : 6)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(3)
        .measurementTime(TimeValue.seconds(1))
        .jvmArgsAppend("-Xmx512m")
        .build();
    Map<String, Double> scores = new LinkedHashMap<>();
    for (RunResult r : new Runner(options).run()) {
      String name = r.getParams().getBenchmark();
      scores.put(
          name.substring(name.lastIndexOf('.') + 1) + "/" + r.getParams().getParam("bodyBytes"),
          r.getPrimaryResult().getScore());
    }
    for (String body : List.of("1024", "112525")) {
      String size = body.equals("1024") ? "1 KiB body" : "110 KiB body (rocket.jpg)";
      describe(
          "record/" + body,
          "consumer time per record, MessageClassifier, in-memory clients, " + size,
          scores);
      describe(
          "handlerTenRecords/" + body,
          "consumer time per record, handler, 10-record batch, " + size,
          scores);
      describe(
          "handlerOneRecord/" + body, "consumer time, handler, 1-record batch, " + size, scores);
    }
    notes.add(
        "consumer: JMH average time per operation (2 cores, so a 10-record batch overlaps two records);"
            + " the 110 KiB rows include the one copy of the object body into the array sent to InvokeEndpoint");
  }

  private void describe(String key, String what, Map<String, Double> scores) {
    Double us = scores.get(key);
    if (us != null) {
      row(what, String.format("%.1f µs", us), "50 µs", us / 50, "<= 1.00", us <= 50);
    }
  }

  // ---------------------------------------------------------------- drain and cold start (local
  // stack)

  private void stackSections(Path cache, ModelFiles model, List<String> sections) throws Exception {
    int images = quick ? 200 : 1000;
    log.println("bench: starting the local stack ...");
    LocalDeployment.Options options = LocalDeployment.Options.defaults(cache)
        .withController(Map.of(
            // Off until the bench starts it: the whole backlog is queued first.
            "WAKE_BACKLOG_MESSAGES", "0", "IDLE_STOP_MINUTES", "30"));
    double sqsRate;
    try (LocalDeployment stack =
        LocalDeployment.start(options, new PrintStream(OutputStream.nullOutputStream()))) {
      if (sections.contains("drain")) {
        drain(stack, images);
      } else {
        startEndpoint(stack);
      }
      if (sections.contains("cold")) {
        coldStart(stack);
      }
      sqsRate = sections.contains("drain") ? rawSqs(stack, images) : 0;
    }
    if (sections.contains("drain")) {
      int threads = ContainerMeasurements.containerThreads();
      try (OnnxContainer container = OnnxContainer.start(model.onnx(), 0)) {
        log.println("bench: raw model throughput, " + threads + " threads ...");
        long cpu = jvmCpuNanos();
        var raw = ContainerMeasurements.inferenceThroughput(
            container, DEMO_IMAGES, DRAIN_IMAGES, threads, Duration.ofSeconds(quick ? 10 : 20));
        rawCpuMsPerImage = (jvmCpuNanos() - cpu) / 1e6 / raw.images();
        drainRows(raw.perSecond(), threads, sqsRate);
      }
    }
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

  private void drain(LocalDeployment stack, int images) throws Exception {
    Map<String, byte[]> photos = new LinkedHashMap<>();
    for (String name : DRAIN_IMAGES) {
      photos.put(name, Files.readAllBytes(DEMO_IMAGES.resolve(name)));
    }
    SqsClient sqs = stack.sqs();
    String queue = stack.resources().queueUrl();
    // Whatever is queued already drains with the images (nothing, normally: the local start sweeps
    // S3's s3:TestEvent off the queue).
    int queuedBefore = visible(sqs, queue);
    String run = UUID.randomUUID().toString().substring(0, 8);
    queueUploads(stack, images, queuedBefore, log, i -> {
      String name = DRAIN_IMAGES.get(i % DRAIN_IMAGES.size());
      return Map.entry(String.format("bench-%s/%04d-%s", run, i, name), photos.get(name));
    });
    LocalLambda lambda = stack.services().lambda();
    String uuid = stack.mappingUuid();
    long before = lambda.stats(uuid).deleted();
    log.println("bench: " + images + " messages queued; starting the endpoint ...");
    long start = System.nanoTime();
    startEndpoint(stack);
    long first = 0;
    long firstCount = 0;
    long jvmCpu = 0;
    long motoCpu = 0;
    long end;
    long deadline = start + TimeUnit.MINUTES.toNanos(12);
    long secondStart = 0;
    long secondMoto = 0;
    while (true) {
      MappingStats s = lambda.stats(uuid);
      long done = s.deleted() - before;
      long now = System.nanoTime();
      if (first == 0 && done > 0) {
        first = now;
        firstCount = done;
        jvmCpu = jvmCpuNanos();
        motoCpu = processTreeCpuNanos(stack.services().moto().pid());
        threadsAtFirst = threadCpuByGroup();
        secondStart = now;
        secondMoto = motoCpu;
      } else if (first != 0 && now - secondStart >= TimeUnit.SECONDS.toNanos(1)) {
        long moto = processTreeCpuNanos(stack.services().moto().pid());
        motoBusiestSecond =
            Math.max(motoBusiestSecond, (double) (moto - secondMoto) / (now - secondStart));
        secondStart = now;
        secondMoto = moto;
      }
      if (done >= queuedBefore + images) {
        end = now;
        jvmCpuMsPerImage = (jvmCpuNanos() - jvmCpu) / 1e6 / (done - firstCount);
        Map<String, Long> threadsAtEnd = threadCpuByGroup();
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
        motoCpuMsPerImage = (processTreeCpuNanos(stack.services().moto().pid()) - motoCpu)
            / 1e6
            / (done - firstCount);
        break;
      }
      if (now > deadline) {
        throw new IllegalStateException("drain did not finish in 12 minutes: " + s);
      }
      Thread.sleep(10);
    }
    MappingStats s = lambda.stats(uuid);
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

  /**
   * Uploads {@code images} objects (key and bytes of the i-th from {@code object}) while the endpoint is off and waits
   * until their notifications are queued beside the {@code queuedBefore} already there.
   */
  static void queueUploads(
      LocalDeployment stack,
      int images,
      int queuedBefore,
      PrintStream log,
      java.util.function.IntFunction<Map.Entry<String, byte[]>> object)
      throws Exception {
    S3Client s3 = stack.s3();
    String bucket = stack.resources().bucket();
    log.println("bench: uploading " + images + " images while the endpoint is off ...");
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < images; i++) {
        Map.Entry<String, byte[]> o = object.apply(i);
        puts.add(pool.submit(() -> s3.putObject(
            r -> r.bucket(bucket).key(o.getKey()), RequestBody.fromBytes(o.getValue()))));
      }
      for (Future<?> f : puts) {
        f.get();
      }
    }
    SqsClient sqs = stack.sqs();
    String queue = stack.resources().queueUrl();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (visible(sqs, queue) < queuedBefore + images) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + visible(sqs, queue) + " of " + images + " notifications queued");
      }
      Thread.sleep(200);
    }
  }

  static void startEndpoint(LocalDeployment stack) throws Exception {
    try (LambdaClient lambda = stack.clients().build(Service.LAMBDA, LambdaClient.builder())) {
      InvokeResponse r = lambda.invoke(i -> i.functionName(LocalDeployment.CONTROLLER_FUNCTION)
          .payload(SdkBytes.fromUtf8String("{\"action\":\"start\"}")));
      if (r.functionError() != null) {
        throw new IllegalStateException(
            "controller start failed: " + r.payload().asUtf8String());
      }
    }
  }

  private static void awaitInService(LocalDeployment stack) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if ("Enabled".equals(stack.services().lambda().stats(stack.mappingUuid()).state())) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the mapping was not enabled within 2 minutes");
  }

  static int visible(SqsClient sqs, String queue) {
    return Integer.parseInt(sqs.getQueueAttributes(r ->
            r.queueUrl(queue).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributes()
        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
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
  private double rawSqs(LocalDeployment stack, int messages) throws Exception {
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
    row(
        "backlog drain, images/s from the first result",
        String.format("%.1f /s", drainFromFirst),
        bound.limit(),
        ratio,
        ">= 0.80",
        ratio >= 0.8);
    row(
        "backlog drain, images/s from the start command",
        String.format("%.1f /s", drainFromStart),
        String.format("bound %.1f /s", bound.bound()),
        drainFromStart / bound.bound(),
        "(info)",
        true);
    row(
        "backlog drain against all cores alone (the bound before moto_server's one core was counted)",
        String.format("%.1f /s", drainFromFirst),
        String.format(
            "CPU bound %.1f /s (%d cores / %.1f ms CPU per image, JVM + moto_server)",
            bound.allCores(), bound.cores(), bound.totalMsPerImage()),
        drainFromFirst / bound.allCores(),
        "(info)",
        true);
    row(
        "backlog drain against moto_server's own SQS receive(10) + DeleteMessageBatch, 2 threads, same depth",
        String.format("%.1f /s", drainFromFirst),
        String.format("moto SQS alone %.1f msg/s", sqsRate),
        drainFromFirst / sqsRate,
        "(info)",
        true);
    row(
        "CPU per image while draining: JVM (Lambda shim, handler, local SageMaker, container) + moto_server",
        String.format(
            "%.1f + %.1f = %.1f ms", jvmCpuMsPerImage, motoCpuMsPerImage, bound.totalMsPerImage()),
        String.format("raw model %.1f ms", rawCpuMsPerImage),
        bound.totalMsPerImage() / rawCpuMsPerImage,
        "(explains drain)",
        true);
    row(
        "backlog drain against the raw model (ONNX alone, no queue; not reachable locally)",
        String.format("%.1f /s", drainFromFirst),
        String.format("raw model %.1f /s (%d threads)", raw, threads),
        drainFromFirst / raw,
        "(info)",
        true);
    notes.add("drain: " + drainDetail);
    notes.add("drain: JVM CPU per image by thread (ms): " + threadSplit);
    notes.add(String.format(
        "drain: moto_server used %.2f cores from the first result to the last (busiest second %.2f); it is one"
            + " Python process, so about 1 core is all it can use",
        motoCpuMsPerImage * drainFromFirst / 1000, motoBusiestSecond));
    notes.add(String.format(
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
    notes.add(String.format(
        "drain ratio: %.2f against the bound (%s), %.2f against all cores alone",
        ratio,
        bound.motoBinds() ? "moto_server's core" : "all cores",
        drainFromFirst / bound.allCores()));
  }

  // ---------------------------------------------------------------- cold start

  private void coldStart(LocalDeployment stack) throws Exception {
    awaitInService(stack);
    Path dir = Files.createTempDirectory("offhours-cold");
    try {
      Path unzipped = unzip(Path.of("target/classify.zip"), dir.resolve("classify"));
      List<String> cp = new ArrayList<>();
      cp.add(unzipped.toString());
      try (var jars = Files.list(unzipped.resolve("lib"))) {
        jars.sorted().forEach(j -> cp.add(j.toString()));
      }
      // The handler reads the event's bytes itself, as the runtime hands them to a stream handler:
      // only the zip and ColdStartMain; nothing else of the test class path.
      cp.add(Path.of("target/test-classes").toAbsolutePath().toString());
      String classpath = String.join(java.io.File.pathSeparator, cp);

      S3Client s3 = stack.s3();
      String bucket = "offhours-bench-cold-" + UUID.randomUUID().toString().substring(0, 8);
      s3.createBucket(r -> r.bucket(bucket));
      byte[] photo = Files.readAllBytes(DEMO_IMAGES.resolve("chelsea.png"));
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
      row(
          "cold start overhead: fresh JVM to first batch handled (classify - empty handler)",
          String.format("%.2f s (%.2f - %.2f)", overhead, c, e),
          "0.5 s",
          overhead / 0.5,
          "<= 1.00",
          overhead <= 0.5);
      double hooked = median(hookBatch);
      double unprimed = median(firstBatch);
      row(
          "cold start: first batch after the SnapStart priming hook (beforeCheckpoint), restore not measurable here",
          String.format("%.0f ms", hooked),
          String.format("unprimed first batch %.0f ms", unprimed),
          hooked / unprimed,
          "(info)",
          true);
      notes.add(String.format(
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

  private static String jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI())
        .toString();
  }

  private static Path unzip(Path zip, Path target) throws IOException {
    Files.createDirectories(target);
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        Path p = target.resolve(e.getName()).normalize();
        if (!p.startsWith(target)) {
          throw new IOException("zip entry outside the target: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(p);
        } else {
          Files.createDirectories(p.getParent());
          Files.copy(in, p);
        }
      }
    }
    return target;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** CPU time of the live threads, summed by name with digits removed (pools grouped). */
  private static Map<String, Long> threadCpuByGroup() {
    var mx = java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, Long> groups = new java.util.TreeMap<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      long cpu = mx.getThreadCpuTime(t.threadId());
      if (cpu > 0) {
        groups.merge(t.getName().replaceAll("\\d+", "N"), cpu, Long::sum);
      }
    }
    return groups;
  }

  private static long jvmCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** utime + stime of a process and its descendants from /proc (moto_server may run under a wrapper). */
  private static long processTreeCpuNanos(long pid) {
    long ticks = 0;
    List<Long> pids = new ArrayList<>();
    pids.add(pid);
    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
    for (long p : pids) {
      try {
        String stat = Files.readString(Path.of("/proc", Long.toString(p), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15: utime, stime
      } catch (IOException | RuntimeException e) {
        // gone or not Linux: counted as 0
      }
    }
    return ticks * 10_000_000L; // USER_HZ is 100 on Linux
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).strip())
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String osLine() {
    return System.getProperty("os.name") + " " + System.getProperty("os.arch");
  }
}
