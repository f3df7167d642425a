package offhours.chaos;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import offhours.aws.AwsClients.Service;
import offhours.local.LocalDeployment;
import offhours.local.lambda.LocalLambda;
import offhours.local.sagemaker.LocalSageMaker;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * The faults of a chaos run, at moments drawn from its seed: endpoint stops and starts (manual overrides through the
 * controller function, as {@code scripts/offhours endpoint stop|start} sends them, and the controller's own backlog
 * decisions after {@code auto}), model container crashes, bursts of 5xx and throttling from the runtime, Classify
 * invocations cut off mid-batch, overlapping controller runs and controller runs that die between two steps. A
 * watcher counts every endpoint start and stop, whoever caused it.
 */
final class ChaosFaults implements AutoCloseable {

  private final LocalDeployment stack;
  private final ChaosControllers controllers;
  private final Random random;
  private final PrintStream log;
  private final long started = System.nanoTime();
  private final LambdaClient lambda;
  private final SageMakerClient sageMaker;
  private final AtomicBoolean watching = new AtomicBoolean(true);
  private final Thread watcher;

  final AtomicInteger starts = new AtomicInteger();
  final AtomicInteger stops = new AtomicInteger();
  final AtomicInteger manualStops = new AtomicInteger();
  final AtomicInteger manualStarts = new AtomicInteger();
  final AtomicInteger autos = new AtomicInteger();
  final AtomicInteger stopsDuringDrain = new AtomicInteger();
  final AtomicInteger crashes = new AtomicInteger();
  final AtomicInteger bursts = new AtomicInteger();
  final AtomicInteger burstErrors = new AtomicInteger();
  final AtomicInteger cuts = new AtomicInteger();
  final AtomicInteger overlaps = new AtomicInteger();
  final AtomicInteger deaths = new AtomicInteger();
  final List<String> overlapActions = new CopyOnWriteArrayList<>();
  final List<String> deathSteps = new CopyOnWriteArrayList<>();

  ChaosFaults(LocalDeployment stack, ChaosControllers controllers, long seed, PrintStream log) {
    this.stack = stack;
    this.controllers = controllers;
    this.random = new Random(seed ^ 0x5DEECE66DL);
    this.log = log;
    this.lambda = stack.clients().build(Service.LAMBDA, LambdaClient.builder());
    this.sageMaker = stack.clients().build(Service.SAGEMAKER, SageMakerClient.builder());
    this.watcher = Thread.ofPlatform().daemon().name("chaos-endpoint-watcher").start(this::watch);
  }

  private enum Fault {
    CRASH,
    BURST,
    CUT,
    OVERLAP,
    DIE
  }

  private record Planned(double at, Fault fault) {}

  /** Runs the stop/start cycles and the other faults for {@code seconds}; returns when both are over. */
  void run(double seconds) throws InterruptedException {
    List<Planned> plan = new ArrayList<>();
    int scale = (int) Math.max(1, seconds / 30);
    add(plan, Fault.CRASH, 2 + scale, seconds);
    add(plan, Fault.BURST, 3 + scale, seconds);
    add(plan, Fault.CUT, 3 + scale, seconds);
    add(plan, Fault.OVERLAP, 2 + scale, seconds);
    add(plan, Fault.DIE, 2 + scale, seconds);
    plan.sort(Comparator.comparingDouble(Planned::at));
    long seed = random.nextLong();
    Thread cycles =
        Thread.ofPlatform().name("chaos-cycles").start(() -> cycles(seconds, new Random(seed)));
    for (Planned p : plan) {
      sleepUntil(p.at());
      fault(p.fault());
    }
    cycles.join();
  }

  private void add(List<Planned> plan, Fault fault, int count, double seconds) {
    for (int i = 0; i < count; i++) {
      plan.add(new Planned(random.nextDouble() * seconds, fault));
    }
  }

  /** Stop, then start or auto, again and again until {@code seconds} have passed. */
  private void cycles(double seconds, Random r) {
    try {
      int cycle = 0;
      while (elapsed() < seconds) {
        sleep(1 + r.nextDouble() * 3);
        // The first stop waits for a batch in flight; every other cycle ends in auto (the backlog
        // restarts it).
        cycle(r, cycle == 0, cycle % 2 == 0);
        cycle++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** More stop/start cycles until the endpoint has been started and stopped at least {@code min} times each. */
  void atLeast(int min) throws InterruptedException {
    Random r = new Random(random.nextLong());
    while (starts.get() < min
        || stops.get() < min
        || autos.get() == 0
        || deaths.get() == 0
        || overlaps.get() == 0) {
      // Back to automatic while uploads still wait, so the controller starts the endpoint on the
      // backlog itself.
      cycle(r, false, autos.get() > 0);
      if (deaths.get() == 0) {
        die(Duration.ofSeconds(10));
      }
      if (overlaps.get() == 0) {
        fault(Fault.OVERLAP);
      }
    }
  }

  /** {@code restart}: start by hand, else back to auto (then the controller starts it once uploads wait). */
  private void cycle(Random r, boolean duringDrain, boolean restart) throws InterruptedException {
    awaitUpTo(
        Duration.ofSeconds(60),
        () -> status().filter(s -> s == EndpointStatus.IN_SERVICE).isPresent());
    LocalLambda.Stats stats = stack.services().lambda().stats(stack.mappingUuid());
    if (duringDrain || r.nextInt(3) == 0) {
      // Stop while a batch is being processed: the controller must pause, drain, then delete.
      inFlight(Duration.ofSeconds(20));
      stats = stack.services().lambda().stats(stack.mappingUuid());
    }
    // Now and then the override's own controller run dies right after its first step, before
    // recording it.
    if (!dyingOverride(false, r.nextInt(3) == 0 || deaths.get() == 0 && !duringDrain)) {
      override("stop");
    }
    manualStops.incrementAndGet();
    if (stats.invoking() > 0) {
      stopsDuringDrain.incrementAndGet();
    }
    awaitUpTo(Duration.ofSeconds(90), () -> status().isEmpty());
    sleep(0.5 + r.nextDouble() * 3);
    if (restart) {
      if (!dyingOverride(true, r.nextInt(3) == 0)) {
        override("start");
      }
      manualStarts.incrementAndGet();
    } else {
      // Automatic again: the controller starts the endpoint by itself once the backlog asks for it.
      override("auto");
      autos.incrementAndGet();
    }
  }

  private void fault(Fault fault) throws InterruptedException {
    LocalSageMaker local = stack.services().sageMaker();
    String endpoint = stack.names().endpoint();
    switch (fault) {
      case CRASH -> {
        inFlight(
            Duration.ofSeconds(10)); // a crash that drops requests in flight, when there are any
        if (awaitUpTo(
            Duration.ofSeconds(20),
            () -> local.crashContainer(endpoint, Duration.ofMillis(500 + random.nextInt(2500))))) {
          crashes.incrementAndGet();
          note("model container crashed");
        }
      }
      case BURST -> {
        inFlight(Duration.ofSeconds(
            10)); // so the burst meets the Classify function, not only the controller's probe
        int count = 5 + random.nextInt(26);
        String[][] kinds = {
          {"503", "ServiceUnavailable", "Service unavailable (injected by the chaos run)."},
          {"500", "InternalFailure", "An internal failure occurred (injected by the chaos run)."},
          {"400", "ThrottlingException", "Rate exceeded (injected by the chaos run)."},
          {"429", "ModelNotReadyException", "Model is not ready (injected by the chaos run)."}
        };
        String[] kind = kinds[random.nextInt(kinds.length)];
        local.failNextInvocations(count, Integer.parseInt(kind[0]), kind[1], kind[2]);
        bursts.incrementAndGet();
        burstErrors.addAndGet(count);
        note("burst of " + count + " x " + kind[1]);
      }
      case CUT -> {
        Duration after = Duration.ofMillis(50 + random.nextInt(1500));
        stack.services().lambda().cutNextInvocation(stack.names().classifyFunction(), after);
        cuts.incrementAndGet();
        note("next Classify invocation cut off after " + after.toMillis() + " ms");
      }
      case OVERLAP -> {
        try {
          List<String> actions = controllers.overlapping();
          overlaps.incrementAndGet();
          overlapActions.add(String.join("+", actions));
          note("two overlapping controller runs: " + actions);
        } catch (Exception e) {
          note("overlapping controller runs failed: " + e);
        }
      }
      case DIE -> die(Duration.ofSeconds(10));
    }
  }

  /** Controller runs that die after their first change, until one has something to change (or {@code within}). */
  private void die(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> died = controllers.dying();
      if (died.isPresent()) {
        deaths.incrementAndGet();
        deathSteps.add(died.get().replace("controller run died right after ", ""));
        note(died.get());
        return;
      }
      Thread.sleep(100); // the scheduled controller runs every second: be there before it
    }
  }

  /** Waits up to {@code timeout} for a Classify batch in flight; whether there is one. */
  private boolean inFlight(Duration timeout) throws InterruptedException {
    return awaitUpTo(
        timeout, () -> stack.services().lambda().stats(stack.mappingUuid()).invoking() > 0);
  }

  /** When {@code now}: a manual stop or start whose controller run dies after its step; whether it did. */
  private boolean dyingOverride(boolean start, boolean now) {
    if (!now) {
      return false;
    }
    Optional<String> died = controllers.dyingOverride(start);
    note("manual " + (start ? "start" : "stop") + ": "
        + died.orElse("the run had nothing to change"));
    died.ifPresent(d -> {
      deaths.incrementAndGet();
      deathSteps.add(d.replace("controller run died right after ", ""));
    });
    return true;
  }

  /** A manual override through the controller function, as {@code scripts/offhours endpoint stop|start|auto}. */
  void override(String action) {
    InvokeResponse r = lambda.invoke(i -> i.functionName(LocalDeployment.CONTROLLER_FUNCTION)
        .payload(SdkBytes.fromUtf8String("{\"action\":\"" + action + "\"}")));
    note("manual " + action
        + (r.functionError() != null ? " failed: " + r.payload().asUtf8String() : ""));
  }

  /** The endpoint's status, empty when it does not exist. */
  Optional<EndpointStatus> status() {
    try {
      DescribeEndpointResponse d =
          sageMaker.describeEndpoint(r -> r.endpointName(stack.names().endpoint()));
      return Optional.of(d.endpointStatus());
    } catch (SageMakerException e) {
      return Optional.empty();
    }
  }

  /** Counts incarnations (starts) and their ends (stops) of the endpoint, whoever created or deleted it. */
  private void watch() {
    Instant current = null; // the incarnation alive now
    Instant last = null; // the latest incarnation seen, alive or on its way out
    while (watching.get()) {
      Instant created;
      boolean leaving;
      try {
        DescribeEndpointResponse d =
            sageMaker.describeEndpoint(r -> r.endpointName(stack.names().endpoint()));
        created = d.creationTime();
        leaving = d.endpointStatus() == EndpointStatus.DELETING;
      } catch (SageMakerException e) {
        created = null;
        leaving = true;
      } catch (RuntimeException e) {
        continue; // the service is closing
      }
      if (created != null && !created.equals(last)) {
        if (current != null) {
          stops.incrementAndGet(); // replaced between two looks
        }
        current = created;
        last = created;
        starts.incrementAndGet();
        note("endpoint created (" + created + ")");
      }
      if (leaving && current != null) {
        stops.incrementAndGet();
        note("endpoint deleted");
        current = null;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void note(String what) {
    log.printf(Locale.ROOT, "chaos %6.1f s: %s%n", elapsed(), what);
  }

  private double elapsed() {
    return (System.nanoTime() - started) / 1e9;
  }

  private void sleepUntil(double at) throws InterruptedException {
    double wait = at - elapsed();
    if (wait > 0) {
      sleep(wait);
    }
  }

  private static void sleep(double seconds) throws InterruptedException {
    Thread.sleep((long) (seconds * 1000));
  }

  /** Polls {@code condition} every 100 ms for up to {@code timeout}; whether it held. */
  static boolean awaitUpTo(Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(100);
    }
    return true;
  }

  @Override
  public void close() {
    watching.set(false);
    watcher.interrupt();
    try {
      watcher.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lambda.close();
    sageMaker.close();
  }
}
