package offhours.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import offhours.aws.AwsClients.Service;
import offhours.local.LocalDeployment;
import offhours.local.lambda.LocalLambda;
import offhours.local.lambda.MappingStats;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The bench's images and its steps on a local stack: queue uploads while the endpoint is off, start it, count. */
final class BenchStack {

  static final Path DEMO_IMAGES = Path.of("src/demo/images");
  /** Valid photos only: every queued copy must end CLASSIFIED. */
  static final List<String> DRAIN_IMAGES =
      List.of("chelsea.png", "coffee.png", "horse.png", "rocket.jpg");

  private BenchStack() {}

  /**
   * Uploads {@code images} objects (key and bytes of the i-th from {@code object}) while the endpoint is off and waits
   * until their notifications are queued beside the {@code queuedBefore} already there.
   */
  static void queueUploads(
      LocalDeployment stack,
      int images,
      int queuedBefore,
      PrintStream log,
      java.util.function.IntFunction<Map.Entry<String, byte[]>> object)
      throws Exception {
    S3Client s3 = stack.s3();
    String bucket = stack.resources().bucket();
    log.println("bench: uploading " + images + " images while the endpoint is off ...");
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<?>> puts = new ArrayList<>();
      for (int i = 0; i < images; i++) {
        Map.Entry<String, byte[]> o = object.apply(i);
        puts.add(pool.submit(() -> s3.putObject(
            r -> r.bucket(bucket).key(o.getKey()), RequestBody.fromBytes(o.getValue()))));
      }
      for (Future<?> f : puts) {
        f.get();
      }
    }
    SqsClient sqs = stack.sqs();
    String queue = stack.resources().queueUrl();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (visible(sqs, queue) < queuedBefore + images) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "only " + visible(sqs, queue) + " of " + images + " notifications queued");
      }
      Thread.sleep(200);
    }
  }

  /** A drain begun: the mapping's count of deleted messages before it, and when the start command was sent. */
  record Drain(LocalLambda lambda, String uuid, long deletedBefore, long startNanos) {
    MappingStats stats() {
      return lambda.stats(uuid);
    }

    /** Messages the mapping deleted since the drain began, by {@code s}. */
    long done(MappingStats s) {
      return s.deleted() - deletedBefore;
    }
  }

  /** Notes the mapping's deleted count, then starts the endpoint on the queued backlog of {@code images}. */
  static Drain startDrain(LocalDeployment stack, int images, PrintStream log) throws Exception {
    LocalLambda lambda = stack.services().lambda();
    String uuid = stack.mappingUuid();
    long before = lambda.stats(uuid).deleted();
    log.println("bench: " + images + " messages queued; starting the endpoint ...");
    long start = System.nanoTime();
    startEndpoint(stack);
    return new Drain(lambda, uuid, before, start);
  }

  static void startEndpoint(LocalDeployment stack) throws Exception {
    try (LambdaClient lambda = stack.clients().build(Service.LAMBDA, LambdaClient.builder())) {
      InvokeResponse r = lambda.invoke(i -> i.functionName(LocalDeployment.CONTROLLER_FUNCTION)
          .payload(SdkBytes.fromUtf8String("{\"action\":\"start\"}")));
      if (r.functionError() != null) {
        throw new IllegalStateException(
            "controller start failed: " + r.payload().asUtf8String());
      }
    }
  }

  static void awaitInService(LocalDeployment stack) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (System.nanoTime() < deadline) {
      if ("Enabled".equals(stack.services().lambda().stats(stack.mappingUuid()).state())) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the mapping was not enabled within 2 minutes");
  }

  static int visible(SqsClient sqs, String queue) {
    return Integer.parseInt(sqs.getQueueAttributes(r ->
            r.queueUrl(queue).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributes()
        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }
}
