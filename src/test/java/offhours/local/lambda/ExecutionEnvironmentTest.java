package offhours.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An execution environment that ends closes every client built from its clients, whoever built it: the function's
 * init, as Classify's and the API's do, or the handler through a view of its own, as the controller builds its clients
 * (ControllerHandler's run deadline, {@link AwsClients#sharing}). A late call of either fails at once, refused. And
 * what its handler writes to the environment's standard output shows no more.
 */
class ExecutionEnvironmentTest {

  // Nothing listens there: no call here is meant to be sent.
  private final AwsClients stack =
      AwsClients.local(Region.US_EAST_1, Map.of(Service.SQS, URI.create("http://127.0.0.1:1")));
  private final List<SqsClient> built = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    built.forEach(SqsClient::close);
    stack.close();
  }

  @Test
  void anEndedEnvironmentClosesTheClientsItsInitAndItsHandlersOwnViewBuilt() {
    ExecutionEnvironment.Pool pool = new ExecutionEnvironment.Pool("offhours-controller", env -> {
      AwsClients own = env.clients(stack);
      built.add(own.build(Service.SQS, SqsClient.builder()));
      built.add(own.sharing(new ExecutionInterceptor() {}).build(Service.SQS, SqsClient.builder()));
      return (in, out, context) -> {};
    });
    ExecutionEnvironment environment = pool.take();
    assertThat(built).hasSize(2).noneMatch(ExecutionEnvironmentTest::closed);

    pool.end(environment);

    assertThat(built)
        .as("the init's client, and the view's")
        .allMatch(ExecutionEnvironmentTest::closed);
    for (SqsClient late : built) {
      assertThatThrownBy(() -> late.listQueues())
          .isInstanceOf(SdkClientException.class)
          .hasMessageStartingWith(
              "the local Lambda ended this execution environment of offhours-controller");
    }
  }

  @Test
  void anEnvironmentsStandardOutputPassesWholeLinesUntilItEndsThenNothing() {
    ExecutionEnvironment.Pool pool =
        new ExecutionEnvironment.Pool("offhours-classify", env -> (in, out, context) -> {});
    ExecutionEnvironment environment = pool.take();
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    PrintStream jvm = System.out;
    System.setOut(new PrintStream(shown, true, StandardCharsets.UTF_8));
    try {
      environment.stdout().println("{\"outcome\":\"CLASSIFIED\"}");
      environment.stdout().print("{\"outcome\":");
      assertThat(shown.toString(StandardCharsets.UTF_8))
          .as("a line shows once it ends")
          .isEqualTo("{\"outcome\":\"CLASSIFIED\"}" + System.lineSeparator());

      pool.end(environment);
      environment.stdout().println("\"RETRY\"}");
      environment.stdout().println("{\"outcome\":\"RETRY\"}");
    } finally {
      System.setOut(jvm);
    }
    assertThat(shown.toString(StandardCharsets.UTF_8))
        .as("what an ended environment writes")
        .isEqualTo("{\"outcome\":\"CLASSIFIED\"}" + System.lineSeparator());
  }

  /** Whether {@code client} was closed: closing shuts its timer down, which a closed client's call would need. */
  private static boolean closed(SqsClient client) {
    return client
        .serviceClientConfiguration()
        .overrideConfiguration()
        .scheduledExecutorService()
        .orElseThrow()
        .isShutdown();
  }
}
