package offhours.chaos;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import offhours.local.LocalDeployment;
import offhours.local.lambda.LocalLambda;
import offhours.local.sagemaker.LocalSageMaker;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;

/**
 * The faults of a chaos run, at moments drawn from its seed, beside the endpoint's stop/start cycles ({@link
 * ChaosCycles}; the first cycle's batches held at the model in {@link ChaosMidBatch}): model container crashes, bursts
 * of 5xx and throttling from the runtime, Classify invocations cut off mid-batch, overlapping controller runs and
 * controller runs that die between two steps. The schedule is here, and the top-up that follows it until every kind
 * of fault has happened. A watcher ({@link ChaosWatcher}) counts every endpoint start and stop, whoever caused it.
 *
 * <p>No step waits and hopes: a fault at a drawn moment is counted as what the services say happened (a crash with no
 * container to kill, a cut-off the batch outran, a dying run with nothing to change count as such), the faults the
 * table must show are made to happen by construction (a batch held at the model while it is cut off or the stop lands),
 * and every wait is for the state that proves its step, bounded by {@link ChaosWatcher#PATIENCE} only against a hang,
 * failing the run with what was not seen.
 */
final class ChaosFaults implements AutoCloseable {

  /** The ceiling of the top-up after the timed faults ({@link #atLeast}). */
  static final Duration TOP_UP = Duration.ofMinutes(10);

  private final LocalDeployment stack;
  private final ChaosControllers controllers;
  private final Random random;
  private final PrintStream log;
  private final long started = System.nanoTime();
  private final ChaosWatcher watcher;

  /** The stop/start cycles, with their counts. */
  final ChaosCycles cycles;

  /** Endpoint starts and stops, whoever made them: {@link ChaosWatcher}'s. */
  final AtomicInteger starts;

  final AtomicInteger stops;
  final AtomicInteger crashes = new AtomicInteger();
  final AtomicInteger bursts = new AtomicInteger();
  final AtomicInteger burstErrors = new AtomicInteger();
  /** Cut-offs asked for; what became of them is {@link LocalLambda#cuts}. */
  final AtomicInteger cutOffs = new AtomicInteger();
  /** Crashes drawn while the endpoint had no container to kill. */
  final AtomicInteger crashesMissed = new AtomicInteger();
  /** Dying controller runs that found nothing to change, so lived. */
  final AtomicInteger deathsMissed = new AtomicInteger();

  final AtomicInteger overlaps = new AtomicInteger();
  final AtomicInteger deaths = new AtomicInteger();
  final List<String> overlapActions = new CopyOnWriteArrayList<>();
  final List<String> deathSteps = new CopyOnWriteArrayList<>();

  /**
   * Held while the first cycle holds a batch at the model, from its cut-off to the check of its stop: a timed fault
   * due meanwhile waits, so none can cut off, crash under or stop the batch held for the stop.
   */
  private final ReentrantLock heldSection = new ReentrantLock();

  /** What failed the cycles' thread, to fail the run with. */
  private final AtomicReference<Throwable> failed = new AtomicReference<>();

  ChaosFaults(
      LocalDeployment stack,
      ChaosControllers controllers,
      long seed,
      PrintStream log,
      Runnable backlog) {
    this.stack = stack;
    this.controllers = controllers;
    this.random = new Random(seed ^ 0x5DEECE66DL);
    this.log = log;
    this.watcher = new ChaosWatcher(stack, this::note);
    ChaosMidBatch heldBatches =
        new ChaosMidBatch(stack, watcher, this::cutOff, cutOffs, this::note);
    this.cycles = new ChaosCycles(
        stack,
        controllers,
        watcher,
        heldBatches,
        backlog,
        heldSection,
        this::died,
        () -> deaths.get() == 0,
        this::note);
    this.starts = watcher.starts;
    this.stops = watcher.stops;
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
    Thread cycling = Thread.ofPlatform().name("chaos-cycles").start(() -> {
      try {
        cycles(seconds, new Random(seed));
      } catch (RuntimeException | Error e) {
        failed.set(e);
      }
    });
    for (Planned p : plan) {
      sleepUntil(p.at());
      heldSection.lock();
      try {
        fault(p.fault());
      } finally {
        heldSection.unlock();
      }
    }
    cycling.join();
    if (failed.get() != null) {
      throw new IllegalStateException(failed.get().getMessage(), failed.get());
    }
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
        sleep(1 + r.nextDouble() * 3); // pacing: how long the endpoint serves, drawn
        // The first cycle cuts a batch off mid-way and stops during a drain, both by construction;
        // every other cycle ends in auto (the backlog restarts it).
        cycles.cycle(r, cycle == 0, cycle % 2 == 0, false);
        cycle++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * More stop/start cycles until the endpoint has been started and stopped at least {@code min} times each, and
   * until every kind of fault the table must show happened: a crash, an auto restart, a dying run, an overlap. Fails
   * the run, naming what is missing, when {@link #TOP_UP} is not enough.
   */
  void atLeast(int min) throws InterruptedException {
    Random r = new Random(random.nextLong());
    long deadline = System.nanoTime() + TOP_UP.toNanos();
    while (!missing(min).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("chaos: after " + TOP_UP.toMinutes()
            + " minutes of top-up cycles, still missing: " + missing(min) + "; " + watcher.state());
      }
      if (crashes.get() == 0) {
        watcher.awaitServing();
        if (!crash()) {
          throw new IllegalStateException(
              "chaos: the serving endpoint had no container to crash; " + watcher.state());
        }
      }
      if (overlaps.get() == 0) {
        fault(Fault.OVERLAP);
      }
      // Back to automatic while uploads still wait, so the controller starts the endpoint on the
      // backlog itself; once it has, started by hand.
      cycles.cycle(r, false, cycles.autos.get() > 0, true);
    }
  }

  private List<String> missing(int min) {
    List<String> missing = new ArrayList<>();
    if (starts.get() < min || stops.get() < min) {
      missing.add(starts.get() + " starts / " + stops.get() + " stops of " + min);
    }
    if (cycles.autos.get() == 0) {
      missing.add("a start by the controller after auto");
    }
    if (deaths.get() == 0) {
      missing.add("a controller run that died");
    }
    if (overlaps.get() == 0) {
      missing.add("overlapping controller runs");
    }
    if (crashes.get() == 0) {
      missing.add("a container crash");
    }
    return missing;
  }

  private void cutOff(Duration after) {
    stack.services().lambda().cutNextInvocation(stack.names().classifyFunction(), after);
    cutOffs.incrementAndGet();
    note("next Classify invocation cut off after " + after.toMillis() + " ms");
  }

  /** Kills the model's container if the endpoint has one; whether it did. */
  private boolean crash() {
    if (sageMaker()
        .crashContainer(stack.names().endpoint(), Duration.ofMillis(500 + random.nextInt(2500)))) {
      crashes.incrementAndGet();
      note("model container crashed");
      return true;
    }
    crashesMissed.incrementAndGet();
    note("crash drawn while the endpoint had no container");
    return false;
  }

  private LocalSageMaker sageMaker() {
    return stack.services().sageMaker();
  }

  private void fault(Fault fault) {
    switch (fault) {
      case CRASH -> crash();
      case BURST -> {
        // Pending until invoked: the next calls answer it, a Classify batch's or the start's probe.
        int count = 5 + random.nextInt(26);
        String[][] kinds = {
          {"503", "ServiceUnavailable", "Service unavailable (injected by the chaos run)."},
          {"500", "InternalFailure", "An internal failure occurred (injected by the chaos run)."},
          {"400", "ThrottlingException", "Rate exceeded (injected by the chaos run)."},
          {"429", "ModelNotReadyException", "Model is not ready (injected by the chaos run)."}
        };
        String[] kind = kinds[random.nextInt(kinds.length)];
        sageMaker().failNextInvocations(count, Integer.parseInt(kind[0]), kind[1], kind[2]);
        bursts.incrementAndGet();
        burstErrors.addAndGet(count);
        note("burst of " + count + " x " + kind[1]);
      }
      case CUT -> cutOff(Duration.ofMillis(50 + random.nextInt(1500)));
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
      case DIE -> die();
    }
  }

  /** A controller run that dies after its first change, if it has one to make now; else it lives (counted). */
  private void die() {
    Optional<String> death = controllers.dying();
    if (death.isPresent()) {
      died(death.get());
      note(death.get());
    } else {
      deathsMissed.incrementAndGet();
      note("a dying controller run had nothing to change");
    }
  }

  /** Counts a controller run that died, with the step it died after. */
  private void died(String death) {
    deaths.incrementAndGet();
    deathSteps.add(death.replace("controller run died right after ", ""));
  }

  /** A manual override through the controller function, as {@code scripts/offhours endpoint stop|start|auto}. */
  void override(String action) {
    cycles.override(action);
  }

  /** The endpoint's status, empty when it does not exist. */
  Optional<EndpointStatus> status() {
    return watcher.status();
  }

  /** What a failed wait saw last. */
  String state() {
    return watcher.state();
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

  @Override
  public void close() {
    watcher.close();
    cycles.close();
  }
}
