package offhours.classify;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.results.ResultsTable;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
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

  private ClassifyHandler(ClassifyConfig config, AwsClients aws) {
    this(aws.build(Service.S3, S3Client.builder()), aws.build(Service.SQS, SqsClient.builder()),
        aws.build(Service.DYNAMODB, DynamoDbClient.builder()),
        aws.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder()), config, Clock.systemUTC());
    Core.getGlobalContext().register(this); // a no-op where the JVM has no CRaC (everywhere but SnapStart)
  }

  /** Every collaborator given: local mode and tests. Labels from LABELS_S3_URI are loaded here, once. */
  public ClassifyHandler(S3Client s3, SqsClient sqs, DynamoDbClient dynamo, SageMakerRuntimeClient runtime,
      ClassifyConfig config, Clock clock) {
    this(s3, sqs, dynamo, runtime, config, clock, System.out);
  }

  /** As above with the outcome log going to {@code log} (the consumer benchmark discards it). */
  ClassifyHandler(S3Client s3, SqsClient sqs, DynamoDbClient dynamo, SageMakerRuntimeClient runtime,
      ClassifyConfig config, Clock clock, PrintStream log) {
    ClassifyConfig resolved = Labels.resolve(config, s3);
    MessageClassifier classifier = new MessageClassifier(s3, sqs, runtime,
        new ResultsTable(dynamo, resolved.tableName()), resolved, clock, new OutcomeLog(log));
    this.batches = new BatchProcessor(classifier, resolved.batchConcurrency());
    this.priming = new Priming(this, dynamo, runtime, resolved);
  }

  @Override
  public void handleRequest(InputStream event, OutputStream response, Context context) throws IOException {
    SqsEvents.writeResponse(batches.process(SqsEvents.read(event)), response);
  }

  /** SnapStart: runs once when a version is published, before the snapshot is taken. */
  @Override
  public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
    priming.prime();
  }

  @Override
  public void afterRestore(org.crac.Context<? extends Resource> context) {
    // nothing to renew: the clients resolve credentials and connections on their next call
  }
}
