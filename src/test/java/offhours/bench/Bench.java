package offhours.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import offhours.cache.CacheDirectory;
import offhours.cli.OwnTmpdir;
import offhours.local.LocalDeployment;
import offhours.local.model.ContainerMeasurements;
import offhours.local.model.DefaultModel;
import offhours.local.model.ModelFiles;
import offhours.local.model.OnnxContainer;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The bench command ({@code scripts/bench [--quick]}): one table, each line a measurement against its limit
 * measured in the same run, so the ratios hold on a noisy machine. Benchmark, not a test: it asserts nothing
 * about time; it fails only when the pipeline itself fails (an image without a result).
 *
 * <p>Arguments: {@code --quick} (200 images, fewer samples),
 * {@code --only drain,standin,consumer,cold,packages,container} ({@link BenchArguments}, which refuses any other).
 */
public final class Bench {

  private final boolean quick;
  private final PrintStream log = System.err;
  private final BenchTable table = new BenchTable();

  private Bench(boolean quick) {
    this.quick = quick;
  }

  public static void main(String[] args) throws Exception {
    // scripts/bench gave this JVM a directory of its own, where ONNX Runtime unpacks its library.
    OwnTmpdir.removeThisJvmsOnExit();
    BenchArguments arguments;
    try {
      arguments = BenchArguments.parse(Arrays.asList(args));
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    new Bench(arguments.quick()).run(arguments.sections());
    System.exit(0);
  }

  private void run(List<String> sections) throws Exception {
    long started = System.nanoTime();
    // The local stack's functions log to standard output (as on Lambda): it goes to stderr, the
    // table to stdout.
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
    table.print(out, quick, started);
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
        table.row(
            what,
            mb(zipped),
            "12 MB (offhours)",
            zipped / (12.0 * mb),
            "<= 1.00",
            zipped <= 12 * mb);
      } else {
        table.row(
            what, mb(zipped), "50 MB (Lambda)", zipped / (50.0 * mb), "<= 1.00", zipped <= 50 * mb);
      }
      table.row(
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
    table.row(
        String.format(
            "stand-in drain: %d images against %d slots of %d ms, images/s from the first result",
            r.images(), r.slots(), r.millis()),
        String.format("%.2f /s", r.perSecond()),
        String.format("capacity %.2f /s (K / T)", r.capacity()),
        r.saturation(),
        ">= 0.90",
        r.saturation() >= 0.9);
    table.note(String.format(
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
          ContainerMeasurements.latency(container, BenchStack.DEMO_IMAGES, iterations, false)) {
        double infer = ContainerMeasurements.pct(r.infer(), 50);
        double whole = ContainerMeasurements.pct(r.inProcess(), 50);
        table.row(
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
    table.note(
        "consumer: JMH average time per operation (2 cores, so a 10-record batch overlaps two records);"
            + " the 110 KiB rows include the one copy of the object body into the array sent to InvokeEndpoint");
  }

  private void describe(String key, String what, Map<String, Double> scores) {
    Double us = scores.get(key);
    if (us != null) {
      table.row(what, String.format("%.1f µs", us), "50 µs", us / 50, "<= 1.00", us <= 50);
    }
  }

  // ---------------------------------------------------------------- drain and cold start

  private void stackSections(Path cache, ModelFiles model, List<String> sections) throws Exception {
    int images = quick ? 200 : 1000;
    log.println("bench: starting the local stack ...");
    LocalDeployment.Options options = LocalDeployment.Options.defaults(cache)
        .withController(Map.of(
            // Off until the bench starts it: the whole backlog is queued first.
            "WAKE_BACKLOG_MESSAGES", "0", "IDLE_STOP_MINUTES", "30"));
    DrainSection drain = new DrainSection(table, quick, log);
    double sqsRate;
    try (LocalDeployment stack =
        LocalDeployment.start(options, new PrintStream(OutputStream.nullOutputStream()))) {
      if (sections.contains("drain")) {
        drain.drain(stack, images);
      } else {
        BenchStack.startEndpoint(stack);
      }
      if (sections.contains("cold")) {
        new ColdStartSection(table, quick).run(stack);
      }
      sqsRate = sections.contains("drain") ? drain.rawSqs(stack, images) : 0;
    }
    if (sections.contains("drain")) {
      drain.rows(model, sqsRate);
    }
  }
}
