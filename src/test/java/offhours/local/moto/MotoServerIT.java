package offhours.local.moto;

// Needs: moto_server (pip install "moto[server]") on PATH or in ~/.pyenv/shims.

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.process.ProcessRecorder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.s3.S3Client;

class MotoServerIT {

  @Test
  void startsOnAFreeLoopbackPortResetsAndStops() throws Exception {
    Path log = Files.createTempFile("moto", ".log");
    List<String> told = new CopyOnWriteArrayList<>();
    MotoServer moto = MotoServer.start(log, (name, builder) -> {
      Process process = builder.start();
      told.add(name + " " + process.pid());
      return process;
    });
    try (AwsClients clients =
            AwsClients.local(Region.US_EAST_1, Map.of(Service.S3, moto.endpoint()));
        S3Client s3 = clients.build(Service.S3, S3Client.builder().forcePathStyle(true))) {
      assertThat(moto.endpoint().getHost()).isEqualTo("127.0.0.1");
      assertThat(told)
          .as("the recorder, which started it")
          .containsExactly("moto_server " + moto.pid());
      // Behind pyenv's shim the recorded process is bash, then pyenv, then python, each exec'ing
      // the next: the id recorded at the start is the server's, which forked nothing that runs.
      assertThat(moto.process().info().commandLine().orElse(""))
          .as("the recorded process, once it listens")
          .contains("python", "moto_server", "-p " + moto.endpoint().getPort());
      assertThat(moto.process().descendants().filter(ProcessHandle::isAlive))
          .as("what it forked")
          .isEmpty();
      s3.createBucket(b -> b.bucket("moto-it"));
      assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).containsExactly("moto-it");

      moto.reset();

      assertThat(s3.listBuckets().buckets()).isEmpty();
    } finally {
      moto.close();
    }
    assertThat(ProcessHandle.of(moto.pid()).map(ProcessHandle::isAlive).orElse(false))
        .isFalse();
  }

  /**
   * A stack stopped while moto_server starts ends it (so it exits before it listens) and starts nothing more: the start
   * fails at once, without the attempts on other ports that a port taken meanwhile gets.
   */
  @Test
  void aStartEndedByTheStackStoppingIsNotRetried() throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicBoolean stopping = new AtomicBoolean();
    List<ProcessHandle> processes = new CopyOnWriteArrayList<>();
    ProcessRecorder stack = (name, builder) -> {
      if (stopping.get()) {
        throw new ProcessRecorder.StartRefused(name);
      }
      Process process = builder.start();
      started.incrementAndGet();
      processes.add(process.toHandle());
      // The stop comes now: it refuses what is started later, and ends what runs.
      stopping.set(true);
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      return process;
    };
    try {
      assertThatThrownBy(() -> MotoServer.start(null, stack))
          .isInstanceOf(ProcessRecorder.StartRefused.class)
          .hasMessage("the local stack is stopping: moto_server was not started");
      assertThat(started).as("moto_server processes started").hasValue(1);
    } finally {
      processes.forEach(ProcessHandle::destroyForcibly); // only what this test started
    }
  }

  /** A web page on another origin must not read local data: moto's global CORS is off. */
  @Test
  void answersNoCorsHeadersToAnotherOrigin() throws Exception {
    MotoServer moto = MotoServer.start(null);
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<Void> get = http.send(
          HttpRequest.newBuilder(moto.endpoint().resolve("/?Action=ListQueues"))
              .header("Origin", "http://attacker.example")
              .GET()
              .build(),
          HttpResponse.BodyHandlers.discarding());
      HttpResponse<Void> preflight = http.send(
          HttpRequest.newBuilder(moto.endpoint().resolve("/"))
              .header("Origin", "http://attacker.example")
              .header("Access-Control-Request-Method", "POST")
              .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
              .build(),
          HttpResponse.BodyHandlers.discarding());

      assertThat(get.headers().firstValue("Access-Control-Allow-Origin"))
          .as("GET with an Origin")
          .isEmpty();
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin"))
          .as("preflight")
          .isEmpty();
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
          .as("preflight")
          .isEmpty();
    } finally {
      moto.close();
    }
  }

  /**
   * DynamoDB's transactions are atomic; moto's are not: a TransactWriteItems whose condition fails puts back a copy of
   * its table taken before it began, undoing a write to any item that landed meanwhile (how CI once lost a manual
   * stop: a controller run's claim failed as the stop was written). MotoServer's moto_server answers DynamoDB one
   * request at a time, so here every write of one writer, beside a stream of failing transactions on another item of
   * the same table, is kept. Without that, 1 to 3 in 100 were undone here (a larger table copies longer, so more are).
   */
  @Test
  void aFailedTransactionDoesNotUndoAWriteThatLandedWhileItRan() throws Exception {
    try (MotoServer moto = MotoServer.start(Files.createTempFile("moto", ".log"));
        AwsClients clients =
            AwsClients.local(Region.US_EAST_1, Map.of(Service.DYNAMODB, moto.endpoint()));
        DynamoDbClient dynamo = clients.build(Service.DYNAMODB, DynamoDbClient.builder())) {
      dynamo.createTable(t -> t.tableName("t")
          .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH))
          .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
          .billingMode(BillingMode.PAY_PER_REQUEST));
      for (int first = 0; first < 500; first += 25) {
        List<WriteRequest> puts = new java.util.ArrayList<>();
        for (int i = first; i < first + 25; i++) {
          Map<String, AttributeValue> filler =
              Map.of("pk", s("filler " + i), "x", s("y".repeat(100)));
          puts.add(WriteRequest.builder().putRequest(p -> p.item(filler)).build());
        }
        dynamo.batchWriteItem(b -> b.requestItems(Map.of("t", puts)));
      }
      dynamo.putItem(p -> p.tableName("t").item(Map.of("pk", s("counted"), "v", n(0))));
      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger failed = new AtomicInteger();
      Thread failing = Thread.ofPlatform().start(() -> {
        while (!done.get()) {
          try {
            dynamo.transactWriteItems(t -> t.transactItems(TransactWriteItem.builder()
                .put(p -> p.tableName("t")
                    .item(Map.of("pk", s("absent")))
                    .conditionExpression("attribute_exists(pk)"))
                .build()));
          } catch (TransactionCanceledException e) {
            failed.incrementAndGet(); // as meant: the item is absent
          }
        }
      });
      int written = 0;
      try {
        for (int i = 0; i < 300; i++) {
          int v = version(dynamo);
          dynamo.putItem(p -> p.tableName("t")
              .item(Map.of("pk", s("counted"), "v", n(v + 1)))
              .conditionExpression("v = :v")
              .expressionAttributeValues(Map.of(":v", n(v))));
          written++;
        }
      } finally {
        done.set(true);
        failing.join();
      }
      assertThat(failed.get()).as("failed transactions meanwhile").isPositive();
      assertThat(version(dynamo))
          .as("the item's count of the %d writes", written)
          .isEqualTo(written);
    }
  }

  private static int version(DynamoDbClient dynamo) {
    return Integer.parseInt(dynamo
        .getItem(g -> g.tableName("t").consistentRead(true).key(Map.of("pk", s("counted"))))
        .item()
        .get("v")
        .n());
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(int value) {
    return AttributeValue.fromN(Integer.toString(value));
  }
}
