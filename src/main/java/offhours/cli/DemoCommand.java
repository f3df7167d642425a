package offhours.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import offhours.cache.CacheFiles;
import offhours.local.LocalDeployment;
import offhours.local.LocalDirectory;
import offhours.local.process.ChildProcesses;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.stack.Hosting;
import offhours.units.Plurals;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code offhours demo [DIR]}: the whole pipeline on this machine, once. Starts the local stack with the
 * endpoint off, uploads every image in DIR, lets the controller wake the endpoint for the backlog, waits
 * until each upload has a result, prints them and stops everything.
 */
final class DemoCommand implements Command {

  /** A day: the most --timeout takes (its seconds in nanoseconds overflowed a long past 292 years). */
  private static final int MAX_TIMEOUT_SECONDS = 86_400;

  private static final Option TIMEOUT = Option.value(
      "timeout",
      "SECONDS",
      "give up waiting for results after this long, 1-" + MAX_TIMEOUT_SECONDS + " (default 600)");

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "run the whole pipeline locally on a folder of images and print the results";
  }

  @Override
  public String operands() {
    return "[DIR]";
  }

  @Override
  public List<Option> options() {
    return Stream.concat(LocalCommand.stackOptions().stream(), Stream.of(TIMEOUT, Option.JSON))
        .toList();
  }

  @Override
  public String description() {
    return """
        Starts moto_server, the local SageMaker and the local Lambda (the same handlers as on AWS), with the
        endpoint absent and the queue trigger disabled, as after a deploy. Uploads every .jpg/.jpeg/.png in DIR
        (default: the photos in src/demo/images), then waits: the controller sees the backlog, creates the
        endpoint, enables the trigger after a test invocation, and the backlog drains. The progress lines
        speak of what the hosting switches, in the words of 'endpoint status': with scale-to-zero the
        inference component's copies (the controller creates the endpoint once, then the component);
        with serverless the endpoint the stack creates (the controller only enables the trigger).
        Prints one row per upload (key, top label, score, status, reason) and stops everything.
        Exit status 0 only if every upload got a result (CLASSIFIED or REJECTED with its reason).
        Ctrl-C (or SIGTERM) at any moment, the stack's start included, ends every process the demo started
        (moto_server, a --container-command's model server) and names each on stderr; exit status 130 (143).
        With --json: one JSON object per upload, as 'offhours results --json' prints them.
        """;
  }

  @Override
  public int run(Invocation call) throws Exception {
    List<String> operands = call.args().operands();
    if (operands.size() > 1) {
      throw CliException.usage(
          "demo takes at most one folder, got " + operands.size() + " arguments");
    }
    Duration timeout =
        Duration.ofSeconds(NumberFlags.positive(call.args(), TIMEOUT, 600, MAX_TIMEOUT_SECONDS));
    LocalDeployment.Options options = LocalCommand.settings(call);
    String dir = operands.isEmpty() ? defaultImages(call.context()) : operands.getFirst();
    UploadPlan plan = UploadPlan.of(List.of(dir), "");
    if (plan.items().isEmpty()) {
      throw CliException.failure("no .jpg, .jpeg or .png files in " + dir);
    }
    skipped(plan, !operands.isEmpty()).ifPresent(call.err()::println);
    Instant started = call.context().clock().instant();
    Path functionLog = CacheFiles.privateFile(
        LocalDirectory.logs(options.cacheDir()).resolve("demo-functions.log"));
    call.err().println("function logs (what CloudWatch would show): " + functionLog);
    // Every process the stack starts outside this JVM, recorded from the first: a signal ends them
    // itself, at any moment, whether or not the terminal's Ctrl-C reaches them too.
    ChildProcesses children = new ChildProcesses();
    StackStops.StopPhase phase = StackStops.install(children::refuseFromNowOn, call.err());
    try (FunctionLogs logs = FunctionLogs.to(functionLog);
        LocalDeployment stack = LocalDeployment.start(options, call.err(), children)) {
      phase.up(() -> StackStops.up(children.recorded(), stack::close, call.err()));
      String bucket = stack.resources().bucket();
      DemoProgress progress = progress(options, stack);
      progress
          .before("uploading " + Plurals.of(plan.items().size(), "image") + " from "
              + shown(dir, Path.of("").toAbsolutePath()) + " ...")
          .forEach(call.err()::println);
      // The times printed count from here: starting the stack (moto_server, the model) is not the
      // pipeline's wait.
      Instant uploading = call.context().clock().instant();
      for (UploadPlan.Item item : plan.items()) {
        stack
            .s3()
            .putObject(r -> r.bucket(bucket).key(item.key()), RequestBody.fromFile(item.file()));
      }
      ResultsTable results =
          new ResultsTable(stack.dynamoDb(), stack.resources().resultsTable());
      Map<String, ResultItem> byKey = new LinkedHashMap<>();
      Optional<String> fault = DemoWait.await(
          call, stack, progress, results, bucket, plan, uploading, timeout, functionLog, byKey);
      print(call, plan, byKey, DemoWait.missingReason(fault));
      long missing = plan.items().size() - byKey.size();
      call.err()
          .printf(
              Locale.ROOT,
              "%d of %d uploads have a result (%d classified, %d rejected) %.1f s after the uploads"
                  + " began; the local stack took %.1f s to start%n",
              byKey.size(),
              plan.items().size(),
              byKey.values().stream()
                  .filter(i -> i.status() == ResultItem.Verdict.CLASSIFIED)
                  .count(),
              byKey.values().stream()
                  .filter(i -> i.status() == ResultItem.Verdict.REJECTED)
                  .count(),
              Duration.between(uploading, call.context().clock().instant()).toMillis() / 1000.0,
              Duration.between(started, uploading).toMillis() / 1000.0);
      if (fault.isPresent()) {
        call.err().println(DemoWait.stoppedWaiting(fault.get(), functionLog.getParent()));
        return 1;
      }
      if (missing > 0) {
        call.err()
            .println("offhours demo: " + Plurals.of(missing, "upload")
                + " got no result within " + timeout.toSeconds() + " s; logs are in "
                + functionLog.getParent());
        return 1;
      }
      return 0;
    }
  }

  /** What the demo's hosting switches, named as the stack names it. */
  static DemoProgress progress(LocalDeployment.Options options, LocalDeployment stack) {
    return new DemoProgress(
        options.hosting(),
        stack.names().endpoint(),
        options.hosting() == Hosting.SCALE_TO_ZERO
            ? stack.controllerConfig().model().inferenceComponentName()
            : null);
  }

  /**
   * The results in the order of the uploads: JSON lines, or the table on stdout and below it, on stderr, what to do
   * about its REJECTED rows as {@code results} says it ({@link RejectionLines#of}).
   */
  private static void print(
      Invocation call, UploadPlan plan, Map<String, ResultItem> byKey, String missingReason) {
    List<List<String>> rows = new ArrayList<>();
    List<ResultRow> results = new ArrayList<>();
    for (UploadPlan.Item item : plan.items()) {
      ResultItem result = byKey.get(item.key());
      ResultRow row = result == null ? null : ResultRow.from(result, result.settings());
      if (row != null) {
        results.add(row);
      }
      if (call.json()) {
        if (row != null) {
          call.out().println(Json.line(row.toJson()));
        }
        continue;
      }
      rows.add(
          result == null
              ? List.of(item.key(), "-", "-", "NO RESULT", Format.fit(missingReason, 70))
              : List.of(
                  item.key(),
                  result.topLabel() == null ? "-" : result.topLabel(),
                  result.topScore() == null
                      ? "-"
                      : String.format(Locale.ROOT, "%.3f", result.topScore()),
                  result.status().name(),
                  result.reason() == null ? "" : Format.fit(result.reason(), 70)));
    }
    if (!call.json()) {
      call.out()
          .print(TextTable.render(List.of("KEY", "LABEL", "SCORE", "STATUS", "REASON"), rows));
      RejectionLines.of(results).forEach(call.err()::println);
    }
  }

  /**
   * {@code dir} as the user would type it from {@code cwd}: relative when it is under it (the default folder is
   * resolved from the checkout's root, so from that root it reads {@code src/demo/images}), absolute otherwise.
   */
  static String shown(String dir, Path cwd) {
    Path absolute = Path.of(dir).toAbsolutePath().normalize();
    Path here = cwd.toAbsolutePath().normalize();
    return absolute.startsWith(here) && !absolute.equals(here)
        ? here.relativize(absolute).toString()
        : absolute.toString();
  }

  /**
   * What the demo says of the files it leaves out, as {@code upload} says it, for a folder the user named: a photo
   * saved as .heic or .webp would otherwise be missing from the table without a word. The default folder's own
   * NOTICE.md goes unsaid.
   */
  static Optional<String> skipped(UploadPlan plan, boolean named) {
    return named ? UploadCommand.skipped(plan) : Optional.empty();
  }

  /** src/demo/images of the checkout the CLI runs from ({@code OFFHOURS_ROOT}, set by the scripts). */
  private static String defaultImages(Context context) {
    String root = context.env().get("OFFHOURS_ROOT");
    return (root == null ? Path.of("") : Path.of(root))
        .resolve("src")
        .resolve("demo")
        .resolve("images")
        .toString();
  }
}
