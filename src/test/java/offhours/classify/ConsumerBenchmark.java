package offhours.classify;

import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import offhours.classify.Fakes.FakeSqs;
import offhours.inference.InferenceClient;
import offhours.inference.InvocationUsage;
import offhours.results.ResultsTable;
import offhours.testing.LambdaSqsJson;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointRequest;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;

/**
 * JMH benchmark, not a test: the Classify consumer's own CPU per SQS record with in-memory clients (parse the
 * S3 notification, decode the key, size verdict, GetObject through the SDK's response types, label mapping of
 * the endpoint's answer, result item building, the outcome log line). Network time is not in it: the fakes
 * answer at once. Run through {@code offhours.bench.Bench} or JMH's own main.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConsumerBenchmark {

  static final List<String> LABELS = List.of("Drawing", "Hentai", "Neutral", "Porn", "Sexy");

  /**
   * Size of the object body GetObject returns: 112525 is the whole of rocket.jpg (the one copy of the body into
   * the array handed to InvokeEndpoint is then in the figure); 1024 is its first KiB, which still passes the
   * JPEG signature check, for the consumer's own work (parse, key, verdict, labels, item, log line) alone.
   */
  @Param({"1024", "112525"})
  public int bodyBytes;

  MessageClassifier classifier;
  ClassifyHandler handler;
  QueueMessage message;
  byte[] single;
  byte[] batch;

  /** Accepts every put (each record has a new key, as in a real backlog) and keeps nothing. */
  static final class NullDynamoDb implements DynamoDbClient {
    final AtomicLong puts = new AtomicLong();

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
      puts.incrementAndGet();
      return PutItemResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "dynamodb";
    }

    @Override
    public void close() {}
  }

  /** The object for every GetObject, without recording requests (the test fakes keep each one). */
  static final class NullS3 implements S3Client {
    final byte[] bytes;
    final String eTag;

    NullS3(byte[] bytes, String eTag) {
      this.bytes = bytes;
      this.eTag = eTag;
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getObject(GetObjectRequest request) {
      return new ResponseInputStream<>(
          GetObjectResponse.builder()
              .contentLength((long) bytes.length)
              .eTag('"' + eTag + '"')
              .build(),
          AbortableInputStream.create(new ByteArrayInputStream(bytes)));
    }

    @Override
    public String serviceName() {
      return "s3";
    }

    @Override
    public void close() {}
  }

  /** The same probabilities for every InvokeEndpoint. */
  static final class NullRuntime implements SageMakerRuntimeClient {
    @Override
    public InvokeEndpointResponse invokeEndpoint(InvokeEndpointRequest request) {
      return InvokeEndpointResponse.builder()
          .contentType("application/json")
          .body(SdkBytes.fromUtf8String("[0.012, 0.003, 0.871, 0.004, 0.110]"))
          .build();
    }

    @Override
    public String serviceName() {
      return "runtime.sagemaker";
    }

    @Override
    public void close() {}
  }

  @Setup
  public void setUp() {
    byte[] image = java.util.Arrays.copyOf(Fakes.image("rocket.jpg"), bodyBytes);
    NullS3 s3 = new NullS3(image, "511130d2072cc744a1fa5015bc23557a");
    NullRuntime runtime = new NullRuntime();
    ClassifyConfig config =
        ClassifyHandlerTest.config("BATCH_CONCURRENCY", "8", "LABELS", String.join(",", LABELS));
    PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
    NullDynamoDb dynamo = new NullDynamoDb();
    FakeSqs sqs = new FakeSqs();
    classifier = new MessageClassifier(
        s3,
        new Deferrals(() -> sqs, config.queueUrl(), config.deferSeconds(), Clock.systemUTC()),
        new InferenceClient(runtime, config.endpointName(), config.model()),
        new ResultsTable(dynamo, config.tableName()),
        config,
        Clock.systemUTC(),
        new OutcomeLog(discard));
    handler =
        new ClassifyHandler(s3, new FakeSqs(), dynamo, runtime, config, Clock.systemUTC(), discard);
    SQSEvent one = Fakes.fixture("sqs-s3-put.json");
    single = LambdaSqsJson.toJson(one);
    message = ClassifyHandlerTest.queueMessage(one);
    List<SQSMessage> ten = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ten.add(one.getRecords().getFirst());
    }
    SQSEvent tenRecords = new SQSEvent();
    tenRecords.setRecords(ten);
    batch = LambdaSqsJson.toJson(tenRecords);
  }

  /** One record through MessageClassifier: the per-message work without the batch's thread hand-off. */
  @Benchmark
  public Object record() {
    BatchScope scope = new BatchScope(BatchScope.NO_DEADLINE, InvocationUsage.UNMETERED);
    return classifier.conclude(classifier.evaluate(message, scope), scope);
  }

  /** A one-record batch through the handler: the event JSON read, BatchProcessor's set-up, the response written. */
  @Benchmark
  public Object handlerOneRecord() throws IOException {
    return handle(single);
  }

  /** A ten-record batch through the handler, per record. */
  @Benchmark
  @OperationsPerInvocation(10)
  public Object handlerTenRecords() throws IOException {
    return handle(batch);
  }

  private Object handle(byte[] event) throws IOException {
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    handler.handleRequest(new ByteArrayInputStream(event), response, null);
    return response;
  }
}
