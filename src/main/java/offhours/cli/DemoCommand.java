package offhours.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import offhours.aws.AwsClients.Service;
import offhours.cache.CacheFiles;
import offhours.endpoint.Decision;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.InferenceComponent;
import offhours.endpoint.TestInvocation;
import offhours.inference.InvocationErrors;
import offhours.local.LocalDeployment;
import offhours.local.LocalDirectory;
import offhours.local.lambda.LocalLambda;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.stack.Hosting;
import offhours.units.Plurals;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;

/**
 * {@code offhours demo [DIR]}: the whole pipeline on this machine, once. Starts the local stack with the
 * endpoint off, uploads every image in DIR, lets the controller wake the endpoint for the backlog, waits
 * until each upload has a result, prints them and stops everything.
 */
final class DemoCommand implements Command {

  private static final Option TIMEOUT = Option.value(
      "timeout", "SECONDS", "give up waiting for results after this long (default 600)");

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
    return List.of(
        LocalCommand.MODEL,
        LocalCommand.LABELS,
        LocalCommand.CONTAINER_COMMAND,
        LocalCommand.CONTENT_TYPE,
        LocalCommand.ACCEPT,
        LocalCommand.HOSTING,
        LocalCommand.TIME_ZONE,
        TIMEOUT,
        Option.JSON);
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
    LocalDeployment.Options options = LocalCommand.settings(call);
    String dir = operands.isEmpty() ? defaultImages(call.context()) : operands.getFirst();
    UploadPlan plan = UploadPlan.of(List.of(dir), "");
    if (plan.items().isEmpty()) {
      throw CliException.failure("no .jpg, .jpeg or .png files in " + dir);
    }
    skipped(plan, !operands.isEmpty()).ifPresent(call.err()::println);
    Duration timeout = Duration.ofSeconds(LocalCommand.positive(call.args(), TIMEOUT, 600));
    Instant started = call.context().clock().instant();
    Path functionLog = CacheFiles.privateFile(
        LocalDirectory.logs(options.cacheDir()).resolve("demo-functions.log"));
    call.err().println("function logs (what CloudWatch would show): " + functionLog);
    try (FunctionLogs logs = FunctionLogs.to(functionLog);
        LocalDeployment stack = LocalDeployment.start(options, call.err())) {
      StopSignals.install(call.err(), stack::close);
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
      Optional<String> fault = await(
          call, stack, progress, results, bucket, plan, uploading, timeout, functionLog, byKey);
      print(call, plan, byKey, missingReason(fault));
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
        call.err()
            .println("offhours demo: stopped waiting: " + fault.get() + "; logs are in "
                + functionLog.getParent());
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

  /**
   * Fills {@code byKey} until every upload has a result or the timeout passes; stops early, returning why, when the
   * pipeline cannot finish: the endpoint failed (SageMaker's FailureReason), the test invocation shows that the model
   * cannot serve with these settings ({@link #hopeless}), or a delivery failed (the reason the Classify function logged;
   * the message would only come back after the queue's visibility timeout).
   */
  private static Optional<String> await(
      Invocation call,
      LocalDeployment stack,
      DemoProgress progress,
      ResultsTable results,
      String bucket,
      UploadPlan plan,
      Instant uploading,
      Duration timeout,
      Path functionLog,
      Map<String, ResultItem> byKey)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastStatus = "";
    DynamoControlTable control =
        new DynamoControlTable(stack.dynamoDb(), stack.resources().controlTable());
    // One client for the whole wait: the loop asks for the endpoint's state (with scale-to-zero its
    // component's too) four times a second.
    try (SageMakerClient sageMaker =
        stack.clients().build(Service.SAGEMAKER, SageMakerClient.builder())) {
      while (byKey.size() < plan.items().size() && System.nanoTime() < deadline) {
        for (UploadPlan.Item item : plan.items()) {
          if (!byKey.containsKey(item.key())) {
            List<ResultItem> found = results.byKey(bucket, item.key());
            if (!found.isEmpty()) {
              if (byKey.isEmpty()) {
                call.err()
                    .printf(
                        Locale.ROOT,
                        "first result %.1f s after the uploads began%n",
                        Duration.between(uploading, call.context().clock().instant())
                                .toMillis()
                            / 1000.0);
              }
              byKey.put(item.key(), found.getFirst());
            }
          }
        }
        Optional<DescribeEndpointResponse> endpoint = describe(sageMaker, stack);
        LocalLambda.Stats consumer = stack.services().lambda().stats(stack.mappingUuid());
        String status = progress.state(
            endpoint.orElse(null),
            progress.component() == null
                ? null
                : InferenceComponent.describe(sageMaker, progress.component()),
            consumer.state());
        if (!status.equals(lastStatus)) {
          call.err()
              .println(
                  status + "; results: " + byKey.size() + "/" + plan.items().size());
          lastStatus = status;
        }
        if (endpoint.filter(e -> e.endpointStatus() == EndpointStatus.FAILED).isPresent()) {
          return Optional.of("the endpoint failed: " + endpoint.get().failureReason());
        }
        Optional<String> hopeless =
            control.lastDecision().map(Decision::outcome).flatMap(DemoCommand::hopeless);
        if (hopeless.isPresent()) {
          return hopeless;
        }
        if (consumer.failed() > 0 && byKey.size() < plan.items().size()) {
          return Optional.of(lastRetry(functionLog)
              .map(reason -> "an upload could not be classified: " + reason)
              .orElse(Plurals.of(consumer.failed(), "message") + " could not be processed"));
        }
        if (byKey.size() < plan.items().size()) {
          Thread.sleep(250);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Why waiting on is pointless, read from the controller's last decision ({@code outcome}): its test invocation
   * reached the model, and the answer does not fit the model's settings, or the model refused the request's
   * Content-Type or Accept. The controller keeps the trigger off and tests again every run, but the demo's settings
   * never change under it, so no upload would ever be classified: without this the demo waits out its timeout (600 s
   * by default) and says only that the uploads are still in the queue.
   */
  static Optional<String> hopeless(String outcome) {
    int misfit = outcome.indexOf(TestInvocation.ANSWER_DOES_NOT_FIT);
    if (misfit >= 0) {
      return Optional.of(
          "the endpoint answers, but not as the model's settings say, so the trigger stays off: "
              + outcome.substring(misfit + TestInvocation.ANSWER_DOES_NOT_FIT.length()));
    }
    int refused = outcome.indexOf(InvocationErrors.TYPE_REFUSED);
    if (refused >= 0) {
      return Optional.of("the model refuses the requests, so the trigger stays off: "
          + outcome.substring(refused) + " (--content-type and --accept here)");
    }
    return Optional.empty();
  }

  /**
   * What an upload without a result shows in its row: the reason the demo stopped waiting is said once, whole, below
   * the table; cut to the column and repeated on every row it ended before the part that says what to change.
   */
  static String missingReason(Optional<String> fault) {
    return fault.isPresent()
        ? "not classified: the demo stopped waiting (why: below)"
        : "still waiting in the queue";
  }

  /**
   * Why the Classify function last handed a message back for a retry: the detail of its RETRY log line (one JSON
   * object per SQS record, see offhours.classify.OutcomeLog), e.g. "endpoint returned 2 probabilities but 3 labels".
   */
  private static Optional<String> lastRetry(Path functionLog) throws IOException {
    List<String> lines = Files.readAllLines(functionLog, StandardCharsets.UTF_8);
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (!lines.get(i).contains("\"RETRY\"")) {
        continue;
      }
      try {
        for (JsonNode record : Json.MAPPER.readTree(lines.get(i)).path("records")) {
          if (record.path("outcome").asText().equals("RETRY") && record.hasNonNull("detail")) {
            return Optional.of(
                record.path("subject").asText() + ": " + record.path("detail").asText());
          }
        }
      } catch (JsonProcessingException e) {
        // not one of the function's JSON lines
      }
    }
    return Optional.empty();
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

  /** The endpoint as DescribeEndpoint shows it; empty while there is none. */
  private static Optional<DescribeEndpointResponse> describe(
      SageMakerClient sageMaker, LocalDeployment stack) {
    return Optional.ofNullable(
        EndpointStatusCommand.describe(sageMaker, stack.names().endpoint()));
  }

  /**
   * The results in the order of the uploads: JSON lines, or the table on stdout and below it, on stderr, what to do
   * about its REJECTED rows as {@code results} says it ({@link RejectionHint#lines}).
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
      RejectionHint.lines(results).forEach(call.err()::println);
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
