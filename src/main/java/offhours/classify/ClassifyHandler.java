package offhours.classify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.UsageLedger;
import offhours.inference.InferenceClient;
import offhours.results.ResultsTable;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClientBuilder;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The Classify function: S3 notifications from SQS in, one result per object version out. It reads the SQS event
 * and writes the partial batch response itself ({@link SqsEvents}): the JSON Lambda sends in, the JSON Lambda reads
 * back. On Lambda it also registers for SnapStart's checkpoint, to warm the request paths before the snapshot
 * ({@link Priming}).
 */
public final class ClassifyHandler implements RequestStreamHandler, Resource {

  private final BatchProcessor batches;
  private final Priming priming;

  /** Lambda's constructor: the environment is read once, clients are built once, during init. */
  public ClassifyHandler() {
    this(System.getenv());
  }

  private ClassifyHandler(Map<String, String> env) {
    this(ClassifyConfig.fromEnv(env), AwsClients.forLambda(env));
  }

  /**
   * Every batch reads objects, invokes the endpoint and writes results, so those clients are built here, in init.
   * The queue client only sends deferred copies back (the endpoint unavailable or throttling) and sets the retry
   * pause of failed messages, which a cold start's first batch rarely does: it is built on first use, and by the
   * SnapStart priming hook before a snapshot.
   */
  private ClassifyHandler(ClassifyConfig config, AwsClients aws) {
    this(
        aws.build(Service.S3, S3Client.builder()),
        aws.buildOnFirstUse(Service.SQS, SqsClient::builder),
        aws.build(Service.DYNAMODB, DynamoDbClient.builder()),
        aws.build(Service.SAGEMAKER_RUNTIME, runtimeClient(config)),
        config,
        Clock.systemUTC(),
        System.out);
    Core.getGlobalContext()
        .register(this); // a no-op where the JVM has no CRaC (everywhere but SnapStart)
  }

  /**
   * The SageMaker runtime client's builder with Classify's limits: each InvokeEndpoint attempt ends after
   * INVOKE_TIMEOUT_SECONDS, and at most {@value ClassifyConfig#INVOKE_ATTEMPTS} attempts are made (SQS is the
   * retry mechanism). Local mode builds its client from this too.
   */
  public static SageMakerRuntimeClientBuilder runtimeClient(ClassifyConfig config) {
    return SageMakerRuntimeClient.builder()
        .overrideConfiguration(
            InferenceClient.overrides(config.invokeTimeout(), ClassifyConfig.INVOKE_ATTEMPTS));
  }

  /** Every collaborator given: local mode and tests. Labels from LABELS_S3_URI are loaded here, once. */
  public ClassifyHandler(
      S3Client s3,
      SqsClient sqs,
      DynamoDbClient dynamo,
      SageMakerRuntimeClient runtime,
      ClassifyConfig config,
      Clock clock) {
    this(s3, sqs, dynamo, runtime, config, clock, System.out);
  }

  /**
   * As above with the outcome log going to {@code log}: local mode gives each execution environment's own, which
   * falls silent when the environment ends; the consumer benchmark discards it.
   */
  public ClassifyHandler(
      S3Client s3,
      SqsClient sqs,
      DynamoDbClient dynamo,
      SageMakerRuntimeClient runtime,
      ClassifyConfig config,
      Clock clock,
      PrintStream log) {
    this(s3, () -> sqs, dynamo, runtime, config, clock, log);
  }

  /** As above with the queue client asked for only when a message is handed back. */
  ClassifyHandler(
      S3Client s3,
      Supplier<SqsClient> sqs,
      DynamoDbClient dynamo,
      SageMakerRuntimeClient runtime,
      ClassifyConfig config,
      Clock clock,
      PrintStream log) {
    ClassifyConfig resolved = config.withModel(config.model().resolveLabels(s3));
    InferenceClient inference =
        new InferenceClient(runtime, resolved.endpointName(), resolved.model());
    OutcomeLog outcomes = new OutcomeLog(log);
    Deferrals deferrals = new Deferrals(sqs, resolved.queueUrl(), resolved.deferSeconds(), clock);
    MessageClassifier classifier = new MessageClassifier(
        s3,
        deferrals,
        inference,
        new ResultsTable(dynamo, resolved.tableName()),
        resolved,
        clock,
        outcomes);
    UsageLedger usage = new UsageLedger(dynamo, resolved.usage(), clock, outcomes);
    RetryPace pace = new RetryPace(sqs, resolved.queueUrl(), resolved.retrySeconds(), outcomes);
    this.batches =
        new BatchProcessor(classifier, outcomes, resolved.batchConcurrency(), usage, pace);
    this.priming = new Priming(this, s3, pace, deferrals, dynamo, inference, usage, resolved);
  }

  /** {@code context} gives the invocation's deadline; without one (tools, tests) there is none. */
  @Override
  public void handleRequest(InputStream event, OutputStream response, Context context)
      throws IOException {
    SqsEvents.writeResponse(
        batches.process(
            SqsEvents.read(event),
            context == null ? BatchScope.NO_DEADLINE : () -> context.getRemainingTimeInMillis()),
        response);
  }

  /** SnapStart: runs once when a version is published, before the snapshot is taken. */
  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    prime();
  }

  /** What the SnapStart hook runs; returns how many of its calls got an answer ({@link Priming#prime}). */
  int prime() {
    return priming.prime();
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    // nothing to renew: the clients resolve credentials and connections on their next call
  }
}
