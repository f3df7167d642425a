package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import offhours.aws.AwsClients.Service;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/** A client built on first use is built once, when first asked for, exactly as {@link AwsClients#build} builds it. */
class AwsClientsOnFirstUseTest {

  @Test
  void nothingIsBuiltUntilTheClientIsFirstAskedFor() throws Exception {
    AtomicInteger builders = new AtomicInteger();
    try (AwsClients clients = AwsClients.local(Region.EU_WEST_1, Map.of())) {
      Supplier<SqsClient> sqs = clients.buildOnFirstUse(Service.SQS, () -> {
        builders.incrementAndGet();
        return SqsClient.builder();
      });
      assertThat(builders).as("not built before it is asked for").hasValue(0);

      SqsClient client = sqs.get();

      assertThat(builders).hasValue(1);
      assertThat(sqs.get()).as("the same client every time").isSameAs(client);
      assertThat(builders).hasValue(1);
      assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
      assertThat(client.serviceClientConfiguration().overrideConfiguration().apiCallTimeout())
          .as("configured as build() configures it")
          .contains(AwsClients.CALL_TIMEOUT);
      client.close();
    }
  }

  @Test
  void threadsAskingAtOnceShareOneClient() throws Exception {
    AtomicInteger builders = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try (AwsClients clients = AwsClients.local(Region.EU_WEST_1, Map.of())) {
      Supplier<SqsClient> sqs = clients.buildOnFirstUse(Service.SQS, () -> {
        builders.incrementAndGet();
        SqsClientBuilder builder = SqsClient.builder();
        return builder;
      });
      CountDownLatch start = new CountDownLatch(1);
      List<Future<SqsClient>> asked = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        asked.add(pool.submit(() -> {
          start.await();
          return sqs.get();
        }));
      }
      start.countDown();
      SqsClient first = asked.getFirst().get();
      for (Future<SqsClient> other : asked) {
        assertThat(other.get()).isSameAs(first);
      }
      assertThat(builders).hasValue(1);
      first.close();
    } finally {
      pool.shutdownNow();
    }
  }
}
