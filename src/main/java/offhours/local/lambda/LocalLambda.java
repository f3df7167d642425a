package offhours.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import offhours.local.invocation.FunctionInvoker;
import offhours.units.Shown;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Lambda's SQS event source mappings on one machine: an HTTP server speaking the Lambda API's event
 * source mapping operations (so code toggles a mapping with the real {@code LambdaClient}, exactly as
 * on AWS) and, for every enabled mapping, a poller that receives from the queue and runs the
 * registered handler in-process.
 *
 * <p>Why not moto's own mapping API: moto receives an enabled mapping's messages on every SendMessage,
 * fails to run the function (it needs Docker) and makes them visible again, spending receive counts
 * and walking messages toward the DLQ. This poller receives like Lambda's does.
 *
 * <p>MaximumConcurrency: Lambda scales to 1,250 concurrent batches per mapping when it is not set
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html); on a laptop that would
 * only thrash, so an unset value means 2 ({@code LocalLambdaBuilder.defaultConcurrency}).
 * Batches run concurrently, up to that many at a time, each in an execution environment of its own, as on Lambda
 * ({@link ExecutionEnvironment}).
 */
public final class LocalLambda implements AutoCloseable {

  private final SqsClient sqs;
  private final String region;
  private final String accountId;
  private final Duration transitionDelay;
  private final Duration pollWait;
  private final int defaultConcurrency;
  private final Clock clock;
  private final Map<String, LocalFunction> functions = new ConcurrentHashMap<>();
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private final Map<String, EventSourceMapping> mappings = new ConcurrentHashMap<>();
  /** Its threads' names start with this: one prefix per instance, so a test can tell its own threads apart. */
  private final String threadPrefix = "offhours-lambda-" + INSTANCES.incrementAndGet();

  private final Set<Thread> started = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;
  private final ExecutorService pollers;
  private final ExecutorService invoker;
  private final ExecutorService http;
  private final HttpServer server;
  private final AwsBasicCredentials credentials;

  LocalLambda(LocalLambdaBuilder b) {
    this.sqs = b.sqs;
    this.region = b.region;
    this.accountId = b.accountId;
    this.transitionDelay = b.transitionDelay;
    this.pollWait = b.pollWait;
    this.defaultConcurrency = b.defaultConcurrency;
    this.clock = b.clock;
    this.timer = Executors.newSingleThreadScheduledExecutor(threads(threadPrefix + "-timer"));
    this.pollers = Executors.newCachedThreadPool(threads(threadPrefix + "-poller"));
    this.invoker = Executors.newCachedThreadPool(threads(threadPrefix + "-invoke"));
    this.http = Executors.newFixedThreadPool(2, threads(threadPrefix + "-api"));
    try {
      server = (b.api != null ? b.api : LambdaApiSocket.bind()).take();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a loopback port for the local Lambda API", e);
    }
    this.credentials = b.credentials;
    LambdaRoutes.serve(
        server,
        credentials,
        region,
        new ApiBackend(),
        name -> functions.containsKey(name) ? functions.get(name).invoker(timer) : null);
    server.setExecutor(http);
    server.start();
  }

  /** Starts configuring a local Lambda that polls queues through {@code sqs} (which the caller keeps and closes). */
  public static LocalLambdaBuilder builder(SqsClient sqs) {
    return new LocalLambdaBuilder(sqs);
  }

  /** The endpoint to give {@code LambdaClient.builder().endpointOverride(...)}, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The ARN of the function named {@code name} on this local Lambda, registered or not. */
  public String functionArn(String name) {
    return "arn:aws:lambda:" + region + ":" + accountId + ":function:" + name;
  }

  /** The only credentials the API accepts: clients sign every request with them (SigV4). */
  public AwsBasicCredentials credentials() {
    return credentials;
  }

  /**
   * Registers a function that mappings can target by name or ARN, and returns its ARN
   * ({@code arn:aws:lambda:REGION:ACCOUNT:function:NAME}). {@code init} starts an execution environment: it builds
   * the handler, with its clients from {@link ExecutionEnvironment#clients}, as the handler class's constructor does on
   * Lambda. The first environment starts here, so an init that fails fails the registration; more start as batches
   * run concurrently, and after an invocation that outlived its time ({@link ExecutionEnvironment}). {@code timeout} is
   * the function timeout (1 s to 900 s): a handler still running then is interrupted, its environment ended, and its
   * batch counts as failed.
   */
  public String registerFunction(String name, ExecutionEnvironment.Init init, Duration timeout) {
    String arn = functionArn(name);
    LocalFunction function = new LocalFunction(name, arn, init, timeout);
    if (functions.putIfAbsent(name, function) != null) {
      throw new IllegalStateException("function " + name + " is already registered");
    }
    try {
      function.environments().warm();
    } catch (RuntimeException | Error e) {
      functions.remove(name);
      throw e;
    }
    return arn;
  }

  /**
   * As {@link #registerFunction(String, ExecutionEnvironment.Init, Duration)} with one handler instance for every
   * environment (tests' handlers): an environment's end discards nothing of it, and the next environment runs the same
   * instance.
   */
  public String registerFunction(String name, RequestStreamHandler handler, Duration timeout) {
    Objects.requireNonNull(handler, "handler");
    return registerFunction(name, environment -> handler, timeout);
  }

  /**
   * Registers a function that takes a JSON object (the endpoint controller), as {@link #registerFunction}: {@code
   * init} builds an environment's {@code RequestHandler<Map<String, Object>, ?>}, which gets each event as a map, as
   * Lambda's runtime deserializes it, and whose answer goes back as JSON. An event source mapping's batch reaches it as
   * the SQS event, the Invoke API's payload as it is, the scheduler's input as its target's Input.
   */
  public String registerJsonFunction(
      String name, ExecutionEnvironment.JsonInit init, Duration timeout) {
    return registerFunction(name, JsonFunction.of(init), timeout);
  }

  /** As {@link #registerJsonFunction(String, ExecutionEnvironment.JsonInit, Duration)} with one handler instance. */
  public String registerJsonFunction(
      String name, RequestHandler<Map<String, Object>, ?> handler, Duration timeout) {
    Objects.requireNonNull(handler, "handler");
    return registerJsonFunction(name, environment -> handler, timeout);
  }

  /**
   * Function {@code name}'s new configuration, as Lambda's UpdateFunctionConfiguration gives it new environment
   * variables: one environment starts here with {@code init}, while invocations run the function as it was; then every
   * invocation runs in an environment that {@code init} starts, while those in flight finish in theirs, which then end.
   * An init that fails is thrown here, and the function keeps its previous init. Returns that previous init, which a
   * later update may give it back.
   */
  public ExecutionEnvironment.Init updateFunction(String name, ExecutionEnvironment.Init init) {
    return registered(name).environments().replace(init);
  }

  /** As {@link #updateFunction(String, ExecutionEnvironment.Init)}, for a function of {@link #registerJsonFunction}. */
  public ExecutionEnvironment.Init updateJsonFunction(
      String name, ExecutionEnvironment.JsonInit init) {
    return updateFunction(name, JsonFunction.of(init));
  }

  /**
   * Function {@code name} as a caller in this JVM invokes it synchronously (the HTTP API's front, the scheduler): each
   * invocation in an execution environment of its own, ended at the function's timeout, as every other invocation.
   */
  public FunctionInvoker invoker(String name) {
    return registered(name).invoker(timer);
  }

  private LocalFunction registered(String name) {
    LocalFunction function = functions.get(name);
    if (function == null) {
      throw new IllegalArgumentException("no function " + name + " is registered");
    }
    return function;
  }

  /**
   * For chaos runs: the next invocation of function {@code name} ends after {@code after},
   * as a Lambda timeout or a crashed worker ends it: the handler is interrupted and its batch counts as failed, so
   * nothing of it is deleted and every message comes back after the queue's visibility timeout, whatever the handler
   * had done already. Calls add up: each cuts one invocation. In-process only.
   */
  public void cutNextInvocation(String name, Duration after) {
    LocalFunction function = registered(name);
    if (after == null || after.isNegative()) {
      throw new IllegalArgumentException("the cut-off must be zero or positive, was " + after);
    }
    function.cutOffs().add(after);
  }

  /**
   * What became of function {@code name}'s cut-offs ({@link #cutNextInvocation}): still pending, those that ended
   * their invocation while its handler ran ({@code cut}), and those whose handler returned first ({@code outrun}).
   */
  public record Cuts(int pending, long cut, long outrun) {}

  /** The {@link Cuts} of function {@code name}; for chaos runs. */
  public Cuts cuts(String name) {
    LocalFunction.CutOffs c = registered(name).cutOffs();
    return new Cuts(c.pending(), c.fired.get(), c.outrun.get());
  }

  /** The counters of mapping {@code uuid}; still readable after {@link #close()}, gone once the mapping is deleted. */
  public MappingStats stats(String uuid) {
    EventSourceMapping mapping = mappings.get(uuid);
    if (mapping == null) {
      throw new IllegalArgumentException(
          "no event source mapping " + uuid + " (never created, or deleted)");
    }
    return mapping.stats();
  }

  /**
   * Waits until mapping {@code uuid}'s counters satisfy {@code condition}, checking every 20 ms; returns
   * the satisfying stats, or throws {@link AssertionError} with the last stats when {@code timeout} passes.
   */
  public MappingStats await(String uuid, Predicate<MappingStats> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    MappingStats stats = stats(uuid);
    while (!condition.test(stats)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("mapping " + uuid + " did not reach the condition within "
            + timeout + "; last " + stats);
      }
      Thread.sleep(20);
      stats = stats(uuid);
    }
    return stats;
  }

  /**
   * Stops the API and every poller, lets the batches in flight finish (deleting their messages as
   * usual) for up to the longest function timeout, ends every execution environment, and returns when no thread of
   * this instance is left.
   */
  @Override
  public void close() {
    server.stop(0);
    http.shutdownNow();
    mappings.values().forEach(EventSourceMapping::close);
    pollers.shutdown();
    invoker.shutdown();
    long grace =
        functions.values().stream().mapToLong(f -> f.timeout().toMillis()).max().orElse(0) + 1000;
    try {
      pollers.awaitTermination(pollWait.toMillis() + 30_000, TimeUnit.MILLISECONDS);
      if (!invoker.awaitTermination(grace, TimeUnit.MILLISECONDS)) {
        invoker.shutdownNow();
        invoker.awaitTermination(5, TimeUnit.SECONDS);
      }
      timer.shutdownNow();
      timer.awaitTermination(5, TimeUnit.SECONDS);
      functions.values().forEach(f -> f.environments().endAll());
      http.awaitTermination(5, TimeUnit.SECONDS);
      // An executor counts as terminated when its workers have finished, a moment before their
      // threads have ended.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      for (Thread t : started) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      pollers.shutdownNow();
      invoker.shutdownNow();
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private EventSourceMapping mapping(String uuid) {
    EventSourceMapping mapping = mappings.get(uuid);
    if (mapping == null || !mapping.alive()) {
      throw LambdaError.mappingNotFound();
    }
    return mapping;
  }

  /** What the HTTP API does, kept off the public surface. */
  private final class ApiBackend implements MappingApi.Backend {

    @Override
    public EventSourceMapping create(
        LocalFunction function,
        String eventSourceArn,
        EventSourceMapping.MappingSettings config,
        boolean enabled) {
      String uuid = UUID.randomUUID().toString();
      String arn = "arn:aws:lambda:" + region + ":" + accountId + ":event-source-mapping:" + uuid;
      EventSourceMapping mapping = new EventSourceMapping(
          uuid,
          arn,
          function,
          eventSourceArn,
          config,
          enabled,
          clock,
          timer,
          transitionDelay,
          defaultConcurrency,
          () -> mappings.remove(uuid));
      mappings.put(uuid, mapping);
      pollers.execute(new SqsPoller(mapping, sqs, invoker, timer, region, pollWait));
      return mapping;
    }

    /** A function by name or ARN; unknown ones answer what Lambda answers. */
    @Override
    public LocalFunction function(String nameOrArn) {
      int at = nameOrArn.indexOf(":function:");
      String name =
          at < 0 ? nameOrArn : nameOrArn.substring(at + ":function:".length()).split(":")[0];
      LocalFunction function = functions.get(name);
      if (function == null) {
        throw LambdaError.notFound("Function not found: " + functionArn(Shown.value(name)));
      }
      return function;
    }

    @Override
    public EventSourceMapping mapping(String uuid) {
      return LocalLambda.this.mapping(uuid);
    }

    @Override
    public List<EventSourceMapping> mappings() {
      return mappings.values().stream().filter(EventSourceMapping::alive).toList();
    }
  }

  String threadPrefix() {
    return threadPrefix;
  }

  /** Daemon threads named {@code prefix-N}, each remembered so that {@link #close} can wait for it to end. */
  private ThreadFactory threads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      started.add(t);
      return t;
    };
  }
}
