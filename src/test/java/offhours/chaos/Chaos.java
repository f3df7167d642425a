package offhours.chaos;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import offhours.cache.CacheFiles;
import offhours.chaos.ChaosUploads.Upload;
import offhours.cli.Context;
import offhours.cli.OwnTmpdir;
import offhours.local.LocalDeployment;
import offhours.local.LocalDirectory;
import offhours.local.lambda.LocalLambda;
import offhours.local.lambda.MappingStats;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * {@code scripts/chaos [--uploads N] [--seed S]}: the whole local stack under N uploads while faults hit it at
 * moments drawn from the seed (see {@link ChaosFaults} and {@link ChaosUploads}); then the pipeline settles
 * (endpoint on, queue empty, nothing in flight) and one table says what S3 holds against what the results table and
 * the DLQ hold. Exit 0 only with no missing result, no duplicate and no valid image in the DLQ.
 */
public final class Chaos {

  /** Redeliveries must happen within the run: the queue's visibility timeout for the run (the stack's is minutes). */
  static final int VISIBILITY_TIMEOUT_SECONDS = 15;

  static final int MIN_STARTS_AND_STOPS = 10;

  private final PrintStream out;
  private final PrintStream err;

  private Chaos(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) throws Exception {
    // scripts/chaos gave this JVM a directory of its own, where ONNX Runtime unpacks its library.
    OwnTmpdir.removeThisJvmsOnExit();
    int uploads = 1000;
    long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--uploads" -> uploads = positive(args, ++i, "--uploads");
        case "--seed" -> seed = positive(args, ++i, "--seed");
        case "-h", "--help" -> {
          System.out.println(
              "Usage: scripts/chaos [--uploads N] [--seed S]   (defaults: 1000 uploads, a random seed)");
          return;
        }
        default -> {
          System.err.println("chaos: unknown argument '" + args[i]
              + "'; usage: scripts/chaos [--uploads N] [--seed S]");
          System.exit(2);
        }
      }
    }
    System.exit(new Chaos(System.out, System.err).run(uploads, seed));
  }

  private static int positive(String[] args, int i, String name) {
    try {
      int value = Integer.parseInt(args[i]);
      if (value < 1) {
        throw new NumberFormatException();
      }
      return value;
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      System.err.println("chaos: " + name + " needs a positive whole number");
      System.exit(2);
      return 0;
    }
  }

  int run(int count, long seed) throws Exception {
    long start = System.nanoTime();
    Path cache = Context.cacheDir(System.getenv());
    Path functionLog =
        CacheFiles.privateFile(LocalDirectory.logs(cache).resolve("chaos-functions.log"));
    err.println(
        "chaos: " + count + " uploads, seed " + seed + "; the functions' log: " + functionLog);
    // The functions print one JSON line per message (as on Lambda, to CloudWatch Logs): to a file,
    // counting deferrals.
    Outcomes outcomes = new Outcomes(new FileOutputStream(functionLog.toFile(), false));
    System.setOut(outcomes);
    System.setErr(outcomes);
    LocalDeployment.Options options = new LocalDeployment.Options(
        cache,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Map.of(
            "WAKE_BACKLOG_MESSAGES",
            "1",
            "IDLE_STOP_MINUTES",
            "1",
            "DRAIN_TIMEOUT_MINUTES",
            "1",
            "CREATE_TIMEOUT_MINUTES",
            "2",
            "CREATE_BACKOFF_SECONDS",
            "5"));
    try (LocalDeployment stack = LocalDeployment.start(options, err)) {
      SqsClient sqs = stack.sqs();
      String queue = stack.resources().queueUrl();
      sqs.setQueueAttributes(r -> r.queueUrl(queue)
          .attributes(Map.of(
              QueueAttributeName.VISIBILITY_TIMEOUT,
              Integer.toString(VISIBILITY_TIMEOUT_SECONDS))));
      String bucket = stack.resources().bucket();
      stack
          .s3()
          .putBucketVersioning(
              r -> r.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
      String prefix = "chaos-" + seed + "-" + Long.toString(System.currentTimeMillis(), 36) + "/";
      double seconds = Math.max(45, count * 0.12);
      ChaosUploads uploads = new ChaosUploads(stack.s3(), sqs, bucket, queue, prefix, seed);
      try (ChaosControllers controllers =
              new ChaosControllers(stack.clients(), stack.controllerConfig());
          ChaosFaults faults =
              new ChaosFaults(stack, controllers, seed, err, uploads::renotifyOne)) {
        AtomicReference<RuntimeException> faultsFailed = new AtomicReference<>();
        Thread faulting = Thread.ofPlatform().name("chaos-faults").start(() -> {
          try {
            faults.run(seconds);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } catch (RuntimeException e) {
            faultsFailed.set(e);
          }
        });
        uploads.run(count, seconds);
        err.println("chaos: " + count + " uploads done");
        faulting.join();
        if (faultsFailed.get() != null) {
          throw faultsFailed.get();
        }
        faults.atLeast(MIN_STARTS_AND_STOPS);
        err.println(
            "chaos: faults over; settling (endpoint on, queue empty, nothing in flight) ...");
        faults.override("start");
        boolean settled = settle(stack, faults);
        if (!settled) {
          err.println("chaos: not settled within 10 minutes; last seen: " + faults.state());
        }
        MappingStats stats = stack.services().lambda().stats(stack.mappingUuid());
        ChaosTally tally = new ChaosTally(
            stack.s3(),
            stack.dynamoDb(),
            sqs,
            bucket,
            stack.resources().resultsTable(),
            stack.resources().deadLetterQueueUrl(),
            prefix,
            uploads.uploads());
        double wall = (System.nanoTime() - start) / 1e9;
        LocalLambda.Cuts cuts = stack.services().lambda().cuts(stack.names().classifyFunction());
        long burstAnswers = stack.services().sageMaker().injectedErrorsAnswered();
        table(
            count,
            seed,
            uploads,
            faults,
            tally,
            stats,
            cuts,
            burstAnswers,
            outcomes,
            settled,
            wall);
        return settled && tally.clean() && uploads.failures().isEmpty() ? 0 : 1;
      }
    } finally {
      System.setOut(out);
      System.setErr(err);
      outcomes.close();
    }
  }

  /** Waits (up to 10 minutes) until the endpoint serves and the queue is empty with nothing in flight, 3 s running. */
  private boolean settle(LocalDeployment stack, ChaosFaults faults) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    int quiet = 0;
    while (System.nanoTime() < deadline) {
      MappingStats stats = stack.services().lambda().stats(stack.mappingUuid());
      Map<QueueAttributeName, String> q = stack
          .sqs()
          .getQueueAttributes(r -> r.queueUrl(stack.resources().queueUrl())
              .attributeNames(
                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                  QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED))
          .attributes();
      long queued = q.values().stream().mapToLong(Long::parseLong).sum();
      boolean serving = "Enabled".equals(stats.state())
          && faults
              .status()
              .filter(s ->
                  s == software.amazon.awssdk.services.sagemaker.model.EndpointStatus.IN_SERVICE)
              .isPresent();
      quiet = serving && queued == 0 && stats.invoking() == 0 ? quiet + 1 : 0;
      if (quiet >= 3) {
        return true;
      }
      Thread.sleep(1000);
    }
    return false;
  }

  private void table(
      int count,
      long seed,
      ChaosUploads uploads,
      ChaosFaults f,
      ChaosTally t,
      MappingStats stats,
      LocalLambda.Cuts cuts,
      long burstAnswers,
      Outcomes outcomes,
      boolean settled,
      double wall) {
    List<Upload> all = uploads.uploads();
    Map<ChaosUploads.Kind, Integer> kinds = new TreeMap<>();
    all.forEach(u -> kinds.merge(u.kind(), 1, Integer::sum));
    long odd = all.stream()
        .filter(u -> ChaosUploads.ODD_NAMES.stream().anyMatch(n -> u.key().contains(n)))
        .count();
    List<String[]> rows = new ArrayList<>();
    rows.add(row(
        "uploads",
        count + " (" + describe(kinds) + "; " + odd + " under odd keys; " + uploads.renotified()
            + " notifications delivered twice)"));
    rows.add(row(
        "object versions expected",
        (t.expectedInS3 + t.expectedGone) + " (" + t.versions
            + " versions listed by ListObjectVersions"
            + (t.identifiedByVersion
                ? ""
                : ", " + t.expectedInS3
                    + " distinct by ETag: moto's notifications carry no versionId")
            + "; "
            + t.expectedGone + " deleted for good before classification)"));
    rows.add(row("results", t.resultCount + " " + t.statuses));
    rows.add(row(
        "missing",
        t.missing.size() + sample(t.missing.stream().map(Object::toString).toList())));
    rows.add(row(
        "duplicate results",
        t.duplicates
            + (t.unexpected.isEmpty()
                ? ""
                : " (and " + t.unexpected.size() + " results for no uploaded version)")));
    Map<String, Integer> reasons = new TreeMap<>();
    t.dead.forEach(d -> reasons.merge(d.reason(), 1, Integer::sum));
    rows.add(row("messages in the DLQ", t.dead.size() + (reasons.isEmpty() ? "" : " " + reasons)));
    rows.add(row("valid images in the DLQ", Integer.toString(t.validInDlq)));
    rows.add(row(
        "valid images rejected",
        t.validRejected.values().stream().mapToInt(Integer::intValue).sum()
            + " (" + t.validRejected.getOrDefault(ChaosTally.DELETED, 0) + " " + ChaosTally.DELETED
            + ", "
            + t.validRejected.getOrDefault(ChaosTally.OVERWRITTEN, 0) + " " + ChaosTally.OVERWRITTEN
            + ": the documented verdicts; " + t.validRejectedOtherwise() + " for any other reason"
            + (t.validRejectedOtherwise() == 0 ? "" : " " + t.validRejected) + ")"));
    rows.add(row(
        "receive counts spent",
        (stats.delivered() - stats.deleted()) + " (deliveries not deleted: "
            + "retried records, batches cut off; " + stats.delivered() + " delivered in "
            + stats.batches() + " batches)"));
    rows.add(row(
        "deferrals",
        outcomes.deferred.get() + " (messages handed back while the endpoint could not answer;"
            + " " + outcomes.retried.get() + " retried through SQS)"));
    rows.add(row(
        "endpoint starts / stops",
        f.starts.get() + " / " + f.stops.get() + " (manual: " + f.cycles.manualStops.get()
            + " stops, " + stopsDuring(f) + ", " + f.cycles.manualStarts.get() + " starts, "
            + f.cycles.autos.get()
            + " back to auto: the controller started it on the backlog)"));
    rows.add(row(
        "model faults",
        f.crashes.get() + " container crashes (" + f.crashesMissed.get()
            + " drawn with no container to kill), " + f.bursts.get() + " bursts (" + burstAnswers
            + " 5xx/throttling answers of " + f.burstErrors.get() + " asked)"));
    rows.add(row(
        "Classify invocations cut off mid-batch",
        cuts.cut() + " (of " + f.cutOffs.get() + " cut-offs: " + cuts.outrun()
            + " outrun by their batch, " + cuts.pending() + " never taken; visibility timeout "
            + VISIBILITY_TIMEOUT_SECONDS + " s for the run)"));
    rows.add(row(
        "controller faults",
        f.overlaps.get() + " overlapping pairs " + f.overlapActions + ", " + f.deaths.get()
            + " runs died after " + f.deathSteps + " (" + f.deathsMissed.get()
            + " dying runs had nothing to change)"));
    rows.add(row("settled", settled ? "yes" : "NO (not within 10 minutes)"));
    rows.add(row("wall time", String.format(Locale.ROOT, "%.0f s", wall)));
    out.println("offhours chaos --uploads " + count + " --seed " + seed);
    out.println();
    out.println("| measure | value |");
    out.println("|---|---|");
    for (String[] r : rows) {
      out.println("| " + cell(r[0]) + " | " + cell(r[1]) + " |");
    }
    if (!uploads.failures().isEmpty()) {
      out.println();
      out.println("uploads that failed: " + cell(String.valueOf(uploads.failures())));
    }
    out.println();
    out.println(
        t.clean() && settled
            ? "chaos: nothing lost, nothing doubled, no valid image in the DLQ"
            : "chaos: FAILED: see missing, duplicate results, valid images in the DLQ and valid images rejected above");
  }

  private static String stopsDuring(ChaosFaults f) {
    return f.cycles.stopsDuringDrain.get() + " during a drain";
  }

  private static String describe(Map<ChaosUploads.Kind, Integer> kinds) {
    List<String> parts = new ArrayList<>();
    kinds.forEach(
        (k, n) -> parts.add(n + " " + k.name().toLowerCase(Locale.ROOT).replace('_', ' ')));
    return String.join(", ", parts);
  }

  private static String sample(List<String> items) {
    return items.isEmpty() ? "" : " e.g. " + items.subList(0, Math.min(5, items.size()));
  }

  private static String[] row(String what, String value) {
    return new String[] {what, value};
  }

  /** Keys and reasons are untrusted text: control characters shown as escapes, and no '|' that would split a cell. */
  static String cell(String text) {
    StringBuilder b = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        b.append(String.format("\\u%04x", c));
      } else if (c == '|') {
        b.append("\\|");
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  /** The functions' standard output: to the log file, counting the Classify function's deferred and retried lines. */
  static final class Outcomes extends PrintStream {
    final AtomicLong deferred = new AtomicLong();
    final AtomicLong retried = new AtomicLong();

    Outcomes(OutputStream file) {
      super(file, true, StandardCharsets.UTF_8);
    }

    @Override
    public void println(String line) {
      if (line != null) {
        // The message's own outcome comes right before "attempts"; each record's before "detail".
        if (line.contains("\"outcome\":\"DEFERRED\",\"attempts\"")) {
          deferred.incrementAndGet();
        } else if (line.contains("\"outcome\":\"RETRY\",\"attempts\"")) {
          retried.incrementAndGet();
        }
      }
      super.println(line);
    }
  }
}
