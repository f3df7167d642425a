package offhours.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import offhours.aws.AwsClients.Service;
import offhours.inference.InvocationErrors;
import offhours.local.LocalStack;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * {@code offhours demo [DIR]}: the whole pipeline on this machine, once. Starts the local stack with the
 * endpoint off, uploads every image in DIR, lets the controller wake the endpoint for the backlog, waits
 * until each upload has a result, prints them and stops everything.
 */
final class DemoCommand implements Command {

  static final Option TIMEOUT = Option.value("timeout", "SECONDS", "give up waiting for results after this long (default 600)");

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
    return List.of(LocalCommand.MODEL, LocalCommand.LABELS, LocalCommand.CONTAINER_COMMAND, LocalCommand.CONTENT_TYPE,
        LocalCommand.ACCEPT, TIMEOUT, Option.JSON);
  }

  @Override
  public String description() {
    return """
        Starts moto_server, the local SageMaker and the local Lambda (the same handlers as on AWS), with the
        endpoint absent and the queue trigger disabled, as after a deploy. Uploads every .jpg/.jpeg/.png in DIR
        (default: the photos in src/demo/images), then waits: the controller sees the backlog, creates the
        endpoint, enables the trigger after a test invocation, and the backlog drains. Prints one row per
        upload (key, top label, score, status, reason) and stops everything.
        Exit status 0 only if every upload got a result (CLASSIFIED or REJECTED with its reason).
        With --json: one JSON object per upload, as 'offhours results --json' prints them.
        """;
  }

  @Override
  public int run(Invocation call) throws Exception {
    List<String> operands = call.args().operands();
    if (operands.size() > 1) {
      throw CliException.usage("demo takes at most one folder, got " + operands.size() + " arguments");
    }
    LocalStack.Options options = LocalCommand.settings(call);
    String dir = operands.isEmpty() ? defaultImages(call.context()) : operands.getFirst();
    UploadPlan plan = UploadPlan.of(List.of(dir), "");
    if (plan.items().isEmpty()) {
      throw CliException.failure("no .jpg, .jpeg or .png files in " + dir);
    }
    Duration timeout = Duration.ofSeconds(LocalCommand.positive(call.args(), TIMEOUT, 600));
    Instant started = call.context().clock().instant();
    Path functionLog = java.nio.file.Files.createDirectories(options.cacheDir().resolve("local").resolve("logs"))
        .resolve("demo-functions.log");
    call.err().println("function logs (what CloudWatch would show): " + functionLog);
    try (FunctionLogs logs = FunctionLogs.to(functionLog); LocalStack stack = LocalStack.start(options, call.err())) {
      String bucket = stack.resources().bucket();
      call.err().println("endpoint " + stack.names().endpoint() + " is off; uploading "
          + Format.plural(plan.items().size(), "image") + " from " + dir + " ...");
      for (UploadPlan.Item item : plan.items()) {
        stack.s3().putObject(r -> r.bucket(bucket).key(item.key()), RequestBody.fromFile(item.file()));
      }
      ResultsTable results = new ResultsTable(stack.dynamoDb(), stack.resources().resultsTable());
      Map<String, ResultItem> byKey = await(call, stack, results, bucket, plan, started, timeout);
      print(call, plan, byKey);
      long missing = plan.items().size() - byKey.size();
      call.err().printf(Locale.ROOT, "%d of %d uploads have a result (%d classified, %d rejected) in %.1f s%n",
          byKey.size(), plan.items().size(),
          byKey.values().stream().filter(i -> i.status() == ResultItem.Status.CLASSIFIED).count(),
          byKey.values().stream().filter(i -> i.status() == ResultItem.Status.REJECTED).count(),
          Duration.between(started, call.context().clock().instant()).toMillis() / 1000.0);
      if (missing > 0) {
        call.err().println("offhours demo: " + Format.plural((int) missing, "upload") + " got no result within "
            + timeout.toSeconds() + " s; logs are in " + options.cacheDir().resolve("local").resolve("logs"));
        return 1;
      }
      return 0;
    }
  }

  private static Map<String, ResultItem> await(Invocation call, LocalStack stack, ResultsTable results, String bucket,
      UploadPlan plan, Instant started, Duration timeout) throws InterruptedException {
    Map<String, ResultItem> byKey = new LinkedHashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastStatus = "";
    // One client for the whole wait: the loop asks for the endpoint's state four times a second.
    try (SageMakerClient sageMaker = stack.clients().build(Service.SAGEMAKER, SageMakerClient.builder())) {
      while (byKey.size() < plan.items().size() && System.nanoTime() < deadline) {
        for (UploadPlan.Item item : plan.items()) {
          if (!byKey.containsKey(item.key())) {
            List<ResultItem> found = results.byKey(bucket, item.key());
            if (!found.isEmpty()) {
              if (byKey.isEmpty()) {
                call.err().printf(Locale.ROOT, "first result after %.1f s%n",
                    Duration.between(started, call.context().clock().instant()).toMillis() / 1000.0);
              }
              byKey.put(item.key(), found.getFirst());
            }
          }
        }
        String status = endpointStatus(sageMaker, stack);
        if (!status.equals(lastStatus)) {
          call.err().println("endpoint: " + status + "; results: " + byKey.size() + "/" + plan.items().size());
          lastStatus = status;
        }
        if (byKey.size() < plan.items().size()) {
          Thread.sleep(250);
        }
      }
    }
    return byKey;
  }

  /** "absent, trigger Disabled", "Creating, trigger Disabled", "InService, trigger Enabled": the demo's progress. */
  private static String endpointStatus(SageMakerClient sageMaker, LocalStack stack) {
    String endpoint;
    try {
      endpoint = sageMaker.describeEndpoint(r -> r.endpointName(stack.names().endpoint())).endpointStatusAsString();
    } catch (SageMakerException e) {
      if (!InvocationErrors.endpointAbsent(e)) {
        throw e;
      }
      endpoint = "absent";
    }
    return endpoint + ", trigger " + stack.lambda().stats(stack.mappingUuid()).state();
  }

  private static void print(Invocation call, UploadPlan plan, Map<String, ResultItem> byKey) {
    List<List<String>> rows = new ArrayList<>();
    for (UploadPlan.Item item : plan.items()) {
      ResultItem result = byKey.get(item.key());
      if (call.json()) {
        if (result != null) {
          call.out().println(Json.line(ResultRow.from(result).toJson()));
        }
        continue;
      }
      rows.add(result == null
          ? List.of(item.key(), "-", "-", "NO RESULT", "")
          : List.of(item.key(), result.topLabel() == null ? "-" : result.topLabel(),
              result.topScore() == null ? "-" : String.format(Locale.ROOT, "%.3f", result.topScore()),
              result.status().name(), result.reason() == null ? "" : Format.truncate(result.reason(), 70)));
    }
    if (!call.json()) {
      call.out().print(Table.render(List.of("KEY", "LABEL", "SCORE", "STATUS", "REASON"), rows));
    }
  }

  /** src/demo/images of the checkout the CLI runs from ({@code OFFHOURS_ROOT}, set by the scripts). */
  private static String defaultImages(Context context) {
    String root = context.env().get("OFFHOURS_ROOT");
    return (root == null ? Path.of("") : Path.of(root)).resolve("src").resolve("demo").resolve("images").toString();
  }
}
