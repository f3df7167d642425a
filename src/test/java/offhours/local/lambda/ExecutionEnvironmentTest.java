package offhours.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

  /**
   * A new configuration (UpdateFunctionConfiguration's twin, which the local stack's model update uses): a free
   * environment ends at once, a busy one finishes its invocation with its clients open and ends when it comes back,
   * and the next invocation runs in an environment of the new init.
   */
  @Test
  void anUpdateEndsTheFreeEnvironmentsNowTheBusyOnesWhenTheyComeBackAndNewOnesRunTheNewInit() {
    List<String> inits = new CopyOnWriteArrayList<>();
    ExecutionEnvironment.Pool pool = new ExecutionEnvironment.Pool("offhours-classify", env -> {
      inits.add("old");
      built.add(env.clients(stack).build(Service.SQS, SqsClient.builder()));
      return (in, out, context) -> {};
    });
    ExecutionEnvironment busy = pool.take();
    ExecutionEnvironment idle = pool.take();
    pool.release(idle);
    SqsClient busyClient = built.get(0);
    SqsClient idleClient = built.get(1);

    pool.update(env -> {
      inits.add("new");
      return (in, out, context) -> {};
    });

    assertThat(idle.ended()).as("the free environment, once updated").isTrue();
    assertThat(closed(idleClient)).as("the free environment's client").isTrue();
    assertThat(busy.ended())
        .as("the busy environment, while its invocation runs")
        .isFalse();
    assertThat(closed(busyClient))
        .as("the busy environment's client, in flight")
        .isFalse();

    pool.release(busy);
    assertThat(busy.ended()).as("the busy environment, back after the update").isTrue();
    assertThat(closed(busyClient)).as("its client, back after the update").isTrue();

    ExecutionEnvironment next = pool.take();
    assertThat(next).isNotSameAs(busy).isNotSameAs(idle);
    assertThat(inits).as("the inits that ran").containsExactly("old", "old", "new");
    pool.release(next);
    assertThat(pool.take()).as("an environment of the new init, reused").isSameAs(next);
  }

  /**
   * A new configuration whose first environment fails to start (a model update's init that cannot build its handler)
   * is not kept: the failure is thrown, and the function's next environments start with the init it had before.
   */
  @Test
  void aReplacementWhoseInitFailsLeavesTheFunctionOnItsPreviousInit() {
    List<String> inits = new CopyOnWriteArrayList<>();
    ExecutionEnvironment.Init old = env -> {
      inits.add("old");
      return (in, out, context) -> {};
    };
    ExecutionEnvironment.Pool pool = new ExecutionEnvironment.Pool("offhours-classify", old);
    pool.warm();

    assertThatThrownBy(() -> pool.replace(env -> {
          inits.add("new");
          throw new IllegalStateException("the new labels cannot be read");
        }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the new labels cannot be read");

    pool.release(pool.take());
    assertThat(inits)
        .as(
            "the inits that ran: the start's and the failed one's; the start's environment serves on")
        .containsExactly("old", "new");
    assertThat(pool.replace(env -> (in, out, context) -> {}))
        .as("the init the function had, given back by the next replacement")
        .isSameAs(old);
  }

  /**
   * While a replacement's environment starts, the function's invocations run its configuration as it was, as Lambda's
   * do while an update is in progress; once it has started, the next invocation runs in it.
   */
  @Test
  void invocationsDuringAReplacementRunTheFunctionAsItWasUntilTheNewEnvironmentHasStarted()
      throws Exception {
    RequestStreamHandler oldHandler = (in, out, context) -> {};
    RequestStreamHandler newHandler = (in, out, context) -> {};
    ExecutionEnvironment.Pool pool =
        new ExecutionEnvironment.Pool("offhours-classify", env -> oldHandler);
    CountDownLatch starting = new CountDownLatch(1);
    CountDownLatch mayFinish = new CountDownLatch(1);
    ExecutorService updater = Executors.newSingleThreadExecutor();
    try {
      AtomicBoolean first = new AtomicBoolean(true);
      Future<ExecutionEnvironment.Init> replaced = updater.submit(() -> pool.replace(env -> {
        if (!first.getAndSet(false)) {
          return newHandler; // a second environment with it starts at once
        }
        starting.countDown();
        try {
          mayFinish.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return newHandler;
      }));
      assertThat(starting.await(10, TimeUnit.SECONDS)).isTrue();

      ExecutionEnvironment during = pool.take();
      assertThat(during.handler())
          .as("an invocation while the new environment starts")
          .isSameAs(oldHandler);
      pool.release(during);
      mayFinish.countDown();
      replaced.get(10, TimeUnit.SECONDS);

      assertThat(pool.take().handler())
          .as("the next invocation, in the started environment")
          .isSameAs(newHandler);
    } finally {
      mayFinish.countDown();
      updater.shutdownNow();
    }
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
