package offhours.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import offhours.aws.AwsClients.Service;
import offhours.endpoint.Decision;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.InferenceComponent;
import offhours.endpoint.TestInvocation;
import offhours.inference.InvocationErrors;
import offhours.local.LocalDeployment;
import offhours.local.lambda.MappingStats;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.units.Plurals;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.InferenceComponentStatus;

/**
 * {@code demo}'s wait for its results: the progress lines while it waits, and why it stops early when no result can
 * come (the endpoint or its component failed, the model cannot serve with the demo's settings, a delivery failed).
 */
final class DemoWait {

  private DemoWait() {}

  /**
   * Fills {@code byKey} until every upload has a result or the timeout passes; stops early, returning why, when the
   * pipeline cannot finish: the endpoint or the inference component failed (SageMaker's FailureReason, which may quote
   * the container's output: shown escaped), the test invocation shows that the model cannot serve with these settings
   * ({@link #hopeless}), or a delivery failed (the reason the Classify function logged; the message would only come
   * back after the queue's visibility timeout).
   */
  static Optional<String> await(
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
        DescribeInferenceComponentResponse copies = progress.component() == null
            ? null
            : InferenceComponent.describe(sageMaker, progress.component());
        MappingStats consumer = stack.services().lambda().stats(stack.mappingUuid());
        String status = progress.state(endpoint.orElse(null), copies, consumer.state());
        if (!status.equals(lastStatus)) {
          call.err()
              .println(
                  status + "; results: " + byKey.size() + "/" + plan.items().size());
          lastStatus = status;
        }
        if (endpoint.filter(e -> e.endpointStatus() == EndpointStatus.FAILED).isPresent()) {
          return Optional.of("the endpoint failed: " + endpoint.get().failureReason());
        }
        // The controller replaces a failed component, but the demo's model never changes under
        // it: the next one would fail the same way.
        if (copies != null
            && copies.inferenceComponentStatus() == InferenceComponentStatus.FAILED) {
          return Optional.of(
              "inference component " + progress.component() + " failed: " + copies.failureReason());
        }
        Optional<String> hopeless =
            control.lastDecision().map(Decision::outcome).flatMap(DemoWait::hopeless);
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
   * The line that says why the demo stopped waiting: {@code why} may quote an object key or a container's output, so
   * its control characters are shown escaped.
   */
  static String stoppedWaiting(String why, Path logs) {
    return "offhours demo: stopped waiting: " + Terminal.printable(why) + "; logs are in " + logs;
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

  /** The endpoint as DescribeEndpoint shows it; empty while there is none. */
  private static Optional<DescribeEndpointResponse> describe(
      SageMakerClient sageMaker, LocalDeployment stack) {
    return Optional.ofNullable(
        EndpointStatusCommand.describe(sageMaker, stack.names().endpoint()));
  }
}
