package offhours.local.lambda;

// Needs: moto_server. Run:
//   mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
//   java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
//       offhours.local.lambda.LocalLambdaBench [messages]

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.moto.MotoServer;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Prints how fast the local poller drains a backlog against moto_server (no-op handler), and how long
 * a disable takes to reach Disabled while batches are in flight. A benchmark, not a test.
 */
public final class LocalLambdaBench {

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    try (MotoServer moto = MotoServer.start(Files.createTempFile("moto-bench", ".log"));
        AwsClients clients =
            AwsClients.local(Region.US_EAST_1, Map.of(Service.SQS, moto.endpoint()));
        SqsClient sqs = clients.build(Service.SQS, SqsClient.builder())) {
      System.out.printf(
          "%-10s %-12s %10s %12s %14s%n",
          "batchSize", "concurrency", "messages", "seconds", "messages/s");
      double raw = rawLoop(sqs, messages);
      System.out.printf(
          "%-23s %10d %12.2f %14.0f%n", "raw receive+delete (10)", messages, raw, messages / raw);
      for (int[] run : new int[][] {{1, 2}, {10, 2}, {10, 4}}) {
        double seconds = drain(sqs, messages, run[0], run[1]);
        System.out.printf(
            "%-10d %-12d %10d %12.2f %14.0f%n",
            run[0], run[1], messages, seconds, messages / seconds);
      }
    }
  }

  /** The baseline: one thread receiving 10 and deleting them with DeleteMessageBatch, no Lambda shim. */
  private static double rawLoop(SqsClient sqs, int messages) {
    String queueUrl = filledQueue(sqs, messages);
    long start = System.nanoTime();
    int deleted = 0;
    while (deleted < messages) {
      var received = sqs.receiveMessage(r -> r.queueUrl(queueUrl)
              .maxNumberOfMessages(10)
              .waitTimeSeconds(1)
              .messageSystemAttributeNamesWithStrings("All")
              .messageAttributeNames("All"))
          .messages();
      if (!received.isEmpty()) {
        List<software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry> entries =
            new ArrayList<>();
        for (int i = 0; i < received.size(); i++) {
          entries.add(
              software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                  .id("d" + i)
                  .receiptHandle(received.get(i).receiptHandle())
                  .build());
        }
        deleted += sqs.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries))
            .successful()
            .size();
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static String filledQueue(SqsClient sqs, int messages) {
    String queueUrl =
        sqs.createQueue(r -> r.queueName("bench-" + UUID.randomUUID())).queueUrl();
    for (int from = 0; from < messages; from += 10) {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int i = from; i < Math.min(messages, from + 10); i++) {
        entries.add(SendMessageBatchRequestEntry.builder()
            .id("m" + i)
            .messageBody("message " + i)
            .build());
      }
      sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
    }
    return queueUrl;
  }

  private static double drain(SqsClient sqs, int messages, int batchSize, int concurrency)
      throws Exception {
    String queueUrl = filledQueue(sqs, messages);
    String queueArn = sqs.getQueueAttributes(
            r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes()
        .get(QueueAttributeName.QUEUE_ARN);
    try (LocalLambda local =
            LocalLambda.builder(sqs).transitionDelay(Duration.ZERO).start();
        AwsClients clients = AwsClients.local(
            Region.US_EAST_1, local.credentials(), Map.of(Service.LAMBDA, local.endpoint()));
        LambdaClient lambda = clients.build(Service.LAMBDA, LambdaClient.builder())) {
      local.registerFunction(
          "noop", (in, out, context) -> in.readAllBytes(), Duration.ofSeconds(30));
      long start = System.nanoTime();
      String uuid = lambda
          .createEventSourceMapping(r -> r.functionName("noop")
              .eventSourceArn(queueArn)
              .batchSize(batchSize)
              .scalingConfig(s -> s.maximumConcurrency(Math.max(2, concurrency))))
          .uuid();
      local.await(uuid, s -> s.deleted() == messages, Duration.ofMinutes(10));
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
