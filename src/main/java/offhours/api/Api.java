package offhours.api;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import offhours.aws.InvocationDeadline;
import offhours.aws.UsageLedger;
import offhours.endpoint.DynamoControlTable;
import offhours.endpoint.LedgerPrices;
import offhours.inference.AwsFailures;
import offhours.inference.InferenceClient;
import offhours.inference.ModelContract;
import offhours.results.ResultsTable;
import offhours.units.Shown;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The HTTP API: routes a request to its route and turns every failure into JSON with a message a person can act on.
 * 4xx: the request (what to change is in the message); 502: an AWS service refused (its own words); 500: a
 * control-table item that does not read as this version writes it (which one, and why), or a bug.
 */
public final class Api {

  /**
   * When a client should ask again after a read the deadline cut: a read that slow is a passing delay of the service,
   * so a few seconds (RFC 9110, section 10.2.3).
   */
  private static final int READ_RETRY_AFTER_SECONDS = 5;

  private final ApiConfig config;
  private final S3Client s3;
  private final SqsClient sqs;
  private final DynamoDbClient dynamo;
  private final Clock clock;
  private final ClassifyRoute classify;
  /** The model's settings as Classify names them in each result: GET /results says which results have others. */
  private final String settings;
  /** Where the function's own lines go (a route that failed, a ledger write): standard output on Lambda. */
  private final PrintStream out;

  /** When the stack's ledger started, read until the controller has recorded it, then kept: it never changes. */
  private final KeptLedgerStart ledgerStart = new KeptLedgerStart();

  /** Every collaborator given: the Lambda handler and tests build the clients. */
  public Api(
      S3Client s3,
      SqsClient sqs,
      DynamoDbClient dynamo,
      SageMakerRuntimeClient runtime,
      ApiConfig config,
      Clock clock) {
    this(s3, sqs, dynamo, runtime, config, clock, System.out);
  }

  /**
   * As above with the function's own lines (a route that failed, with AWS's answer or the error; what became of the
   * invocations of POST /classify in the ledger) going to {@code out}: local mode gives its execution environment's
   * standard output, which falls silent when the environment ends, as a Lambda environment shut down logs nothing more.
   */
  public Api(
      S3Client s3,
      SqsClient sqs,
      DynamoDbClient dynamo,
      SageMakerRuntimeClient runtime,
      ApiConfig config,
      Clock clock,
      PrintStream out) {
    this.out = out;
    this.config = config;
    this.s3 = s3;
    this.sqs = sqs;
    this.dynamo = dynamo;
    this.clock = clock;
    // The model's labels from LABELS_S3_URI are read here, once, as the consumer and the controller
    // read them.
    ModelContract model = config.controller().model().resolveLabels(s3);
    this.settings = model.settingsFingerprint();
    // The queue path reads the stack after InvokeEndpoint: each read is cut before the request's
    // deadline, through a view of the clients (the observer's classes are the controller's too).
    this.classify = new ClassifyRoute(
        config,
        s3,
        new InferenceClient(runtime, config.controller().endpointName(), model),
        new UsageLedger(dynamo, config.usage(), clock, new LedgerLines(out)),
        timeout -> observer(timeout).observe(),
        clock,
        out);
  }

  /** The stack as the forecast and the status read it, each read cut after what {@code timeout} says. */
  private StackObserver observer(Supplier<Duration> timeout) {
    return new StackObserver(
        BoundedReads.dynamo(dynamo, timeout),
        BoundedReads.sqs(sqs, timeout),
        config.controller().controlTableName(),
        config.controller().queueUrl(),
        config.controller().dlqUrl(),
        config.controller().zone(),
        clock,
        ledgerStart);
  }

  /** GET /results' reads, each cut after what {@code timeout} says. */
  private ResultsRoute results(Supplier<Duration> timeout) {
    DynamoDbClient bounded = BoundedReads.dynamo(dynamo, timeout);
    return new ResultsRoute(
        config,
        BoundedReads.s3(s3, timeout),
        new ResultsTable(bounded, config.resultsTable()),
        new ResultsQuery(bounded, config.resultsTable()),
        observer(timeout)::observe,
        settings);
  }

  /** What became of POST /classify's serverless invocations in the ledger, when not plainly added: one log line. */
  record LedgerLines(PrintStream out) implements UsageLedger.Unrecorded {
    @Override
    public void ledgerNotUpdated(long invocations, long millis, Exception error) {
      out.println("offhours api: ledger not updated: " + UsageLedger.tally(invocations, millis)
          + " lost: " + error);
    }

    @Override
    public void ledgerUnconfirmed(long invocations, long millis, Exception error) {
      out.println("offhours api: " + UsageLedger.unconfirmed(invocations, millis) + ": " + error);
    }

    @Override
    public void ledgerUpdatedByTheFirstAttempt(long invocations, long millis) {
      out.println("offhours api: ledger updated by the first attempt of the write, still in"
          + " progress at DynamoDB when the SDK's retries ended: "
          + UsageLedger.tally(invocations, millis) + ", counted once");
    }
  }

  public ApiResponse handle(ApiRequest request) {
    return handle(request, RequestDeadline.NONE);
  }

  /**
   * As {@link #handle(ApiRequest)}, within the invocation's deadline: {@code remainingMillis} is Lambda's time left
   * (the context's getRemainingTimeInMillis).
   */
  public ApiResponse handle(ApiRequest request, LongSupplier remainingMillis) {
    return handle(request, new RequestDeadline(remainingMillis));
  }

  private ApiResponse handle(ApiRequest request, RequestDeadline deadline) {
    Objects.requireNonNull(request, "request");
    // The reads of GET /status and GET /results: each is given the time left but the answer's share
    // (the clients' own AwsClients.ATTEMPT_TIMEOUT and CALL_TIMEOUT would outlast the
    // function's Timeout).
    Supplier<Duration> reads =
        () -> deadline.timeout(RequestDeadline.END, "a read for " + request.routeKey());
    String unread = ApiRoutes.unread(request.routeKey(), request.query().keySet());
    if (unread != null) {
      return ApiResponse.error(400, unread);
    }
    try {
      return switch (request.routeKey()) {
        case "POST /classify" -> classify.handle(request, deadline);
        case "GET /status" -> status(observer(reads));
        case "GET /results" -> results(reads).byQuery(request);
        case "GET /results/{key+}" -> results(reads).byPath(request);
        default ->
          ApiResponse.error(
              404,
              "no route " + Shown.value(request.method()) + " " + Shown.value(request.path())
                  + "; the API has "
                  + String.join(", ", ApiRoutes.all()));
      };
    } catch (DynamoControlTable.UnreadableItem e) {
      return ApiResponse.error(
          500, e.getMessage() + "; `scripts/offhours endpoint status` shows its raw attributes");
    } catch (IllegalArgumentException e) {
      return ApiResponse.error(400, e.getMessage());
    } catch (InvocationDeadline.NoTimeLeft | ApiCallTimeoutException e) {
      // Lambda would end the invocation at its Timeout and API Gateway answer its own 500 with no
      // word of why (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html;
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html).
      return ApiResponse.json(
          503,
          Map.of(
              "message",
              request.routeKey() + " could not answer before this request's deadline: "
                  + e.getMessage() + "; ask again in a few seconds"),
          Map.of("retry-after", Integer.toString(READ_RETRY_AFTER_SECONDS)));
    } catch (SdkException e) {
      // The answer says it in offhours' words; what AWS itself answered, which may name the account
      // and the function's role, goes to the function's log only, as POST /classify's does.
      out.println("offhours api: " + request.routeKey() + " failed (request "
          + request.shownRequestId() + "); AWS's answer: " + AwsFailures.said(e));
      boolean answered = e instanceof AwsServiceException;
      boolean throttled = answered && ((AwsServiceException) e).isThrottlingException();
      String service = answered && ((AwsServiceException) e).awsErrorDetails() != null
          ? ((AwsServiceException) e).awsErrorDetails().serviceName()
          : "an AWS";
      return ApiResponse.error(
          throttled ? 503 : 502,
          AwsFailures.words(service + " call for " + request.routeKey(), "the API function", e)
              + (throttled
                  ? "; try again in a few seconds"
                  : answered ? "" : "; try again shortly"));
    } catch (RuntimeException e) {
      out.println("offhours api: " + request.routeKey() + " failed (request "
          + request.shownRequestId() + "): " + e);
      return ApiResponse.error(
          500,
          "internal error (request " + request.shownRequestId() + "); the function's log has"
              + " the details");
    }
  }

  private ApiResponse status(StackObserver observer) {
    StackObserver.Observed seen = observer.observe();
    Map<String, Object> status = StatusView.of(
        seen,
        config.controller().endpointName(),
        LedgerPrices.listed(
            config.controller().hosting(),
            config.controller().instanceType(),
            config.controller().instanceCount(),
            config.controller().instanceHourlyPriceUsd()),
        StatusView.Upcoming.known(config.controller().schedule(), Forecast.of(config, seen)),
        config.local());
    return ApiResponse.json(200, status);
  }
}
