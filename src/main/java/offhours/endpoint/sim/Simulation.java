package offhours.endpoint.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import offhours.endpoint.ControlState;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.CostReport;
import offhours.endpoint.Decision;
import offhours.endpoint.EndpointController;
import offhours.endpoint.LearnedTimes;
import offhours.endpoint.Schedule;
import offhours.endpoint.WaitBudget;
import offhours.stack.Hosting;

/**
 * A discrete-time simulation (one-second steps on a simulated clock) that drives the same {@link EndpointController}
 * as the Lambda function through in-memory ports, so a week of schedule and uploads runs in about a second. The
 * controller runs as it does on AWS: every {@code tick} (EventBridge Scheduler), at each schedule change, and on every
 * endpoint state change (the SageMaker "Endpoint State Change" EventBridge event).
 */
public final class Simulation {

  private Simulation() {}

  public static SimulationReport run(SimulationConfig config, Trace trace, int days) {
    if (days < 1 || days > 366) {
      throw new IllegalArgumentException("days is " + days + "; simulate 1..366 days");
    }
    return run(
        config,
        trace.label(),
        trace.uploads(config.start(), days, config.zone(), config.seed()),
        days,
        new TreeMap<>());
  }

  /**
   * A recorded trace ({@link TraceFile}): the period covers the local days (in the config's zone) from the first
   * upload's to the last one's.
   */
  public static SimulationReport run(SimulationConfig config, String label, List<Instant> uploads) {
    SimulationConfig c = calendarOf(config, uploads);
    return run(c, label, uploads, daysOf(c, uploads), new TreeMap<>());
  }

  /** {@code config} starting on the local day of a recorded trace's first upload. */
  public static SimulationConfig calendarOf(SimulationConfig config, List<Instant> uploads) {
    if (uploads.isEmpty()) {
      throw new IllegalArgumentException("the trace has no uploads");
    }
    return config.withCalendar(
        config.zone(),
        LocalDate.ofInstant(uploads.getFirst(), config.zone()),
        config.workingHours());
  }

  /** The local days from the first upload's to the last one's (at most 366). */
  public static int daysOf(SimulationConfig config, List<Instant> uploads) {
    LocalDate first = LocalDate.ofInstant(uploads.getFirst(), config.zone());
    LocalDate last = LocalDate.ofInstant(uploads.getLast(), config.zone());
    long days = java.time.temporal.ChronoUnit.DAYS.between(first, last) + 1;
    if (days > 366) {
      throw new IllegalArgumentException("the trace spans " + days + " days; simulate at most 366");
    }
    return (int) days;
  }

  /** With explicit uploads and manual actions ({@code scripts/offhours endpoint start|stop}) at given instants. */
  static SimulationReport run(
      SimulationConfig config,
      String label,
      List<Instant> uploads,
      int days,
      NavigableMap<Instant, ControlState.Override> manual) {
    return run(config, label, uploads, days, manual, Map.of()).report();
  }

  /**
   * The same controller with further controller settings over the simulation's own ({@code MAX_WAIT_MINUTES=60},
   * say), keeping what happened: every result and the billed periods.
   */
  public static SimulatedRun record(
      SimulationConfig config,
      String label,
      List<Instant> uploads,
      int days,
      Map<String, String> controllerSettings) {
    if (days < 1 || days > 366) {
      throw new IllegalArgumentException("days is " + days + "; simulate 1..366 days");
    }
    return run(config, label, uploads, days, new TreeMap<>(), controllerSettings);
  }

  /** How many days of the trace the warm-up pass runs (see {@link #learned}). */
  private static final int WARM_UP_DAYS = 2;

  private static SimulatedRun run(
      SimulationConfig config,
      String label,
      List<Instant> uploads,
      int days,
      NavigableMap<Instant, ControlState.Override> manual,
      Map<String, String> controllerSettings) {
    ControlState learned = learned(config, uploads, controllerSettings);
    return pass(config, label, uploads, days, manual, controllerSettings, learned, true)
        .run();
  }

  /** One pass over the period (null for the warm-up, which reports nothing) and the control state it ends with. */
  private record Pass(SimulatedRun run, ControlState last) {}

  /**
   * What a controller that has run for a while knows: the period is simulated after a warm-up pass over the trace's
   * first {@link #WARM_UP_DAYS} days, from a fresh stack's state, whose learned wake and stop times and drain rate
   * the measured pass starts with (nothing else: the override, the backlog and the billing start fresh). A trace with
   * no wake or stop in those days starts the measured pass as a fresh stack would ({@code LearnedTimes.DEFAULT_WAKE},
   * {@code LearnedTimes.DEFAULT_STOP}).
   */
  static ControlState learned(
      SimulationConfig config, List<Instant> uploads, Map<String, String> controllerSettings) {
    int days = WARM_UP_DAYS;
    Instant end = config.start().plusDays(days).atStartOfDay(config.zone()).toInstant();
    List<Instant> first = uploads.stream().filter(u -> u.isBefore(end)).toList();
    ControlState last = pass(
            config,
            "warm-up",
            first,
            days,
            new TreeMap<>(),
            controllerSettings,
            ControlState.learnedFrom(ControlState.INITIAL),
            false)
        .last();
    return ControlState.learnedFrom(last);
  }

  private static Pass pass(
      SimulationConfig config,
      String label,
      List<Instant> uploads,
      int days,
      NavigableMap<Instant, ControlState.Override> manual,
      Map<String, String> controllerSettings,
      ControlState initial,
      boolean measured) {
    ControllerConfig cc = config.controllerConfig(controllerSettings);
    Schedule schedule = cc.schedule();
    ZoneId zone = config.zone();
    Instant start = config.start().atStartOfDay(zone).toInstant();
    Instant end = config.start().plusDays(days).atStartOfDay(zone).toInstant();

    World world = new World(config, start, cc);
    MemoryControlTable table = new MemoryControlTable();
    table.save(initial, 0);
    List<String> metricLines = new ArrayList<>();
    EndpointController controller = new EndpointController(
        cc, world.endpoint(), world.mapping(), world.backlog(), table, table, metricLines::add);

    long tickSeconds = config.tick().toSeconds();
    Instant nextChange = schedule.nextChange(start).orElse(null);
    int next = 0;
    int runs = 0;
    int outsideScheduleRuns = 0;
    int createFailureMetrics = 0;
    java.util.TreeSet<Instant> timers = new java.util.TreeSet<>();
    // The deployed timer: its arming rule over the same control table, each message due its
    // DelaySeconds later.
    offhours.endpoint.TimerArming arming = new offhours.endpoint.TimerArming(
        table, (runAt, delaySeconds) -> timers.add(world.now.plusSeconds(delaySeconds)));
    while (world.now.isBefore(end)) {
      // Nothing moves between events while the consumer is idle: jump to the next one. A transition
      // at T is applied by the step that reaches T, so jump to just before it.
      if (world.quiet()) {
        long t = world.now.getEpochSecond();
        long nextEvent =
            Math.min(end.getEpochSecond(), (t + tickSeconds - 1) / tickSeconds * tickSeconds);
        if (next < uploads.size()) {
          nextEvent = Math.min(nextEvent, uploads.get(next).getEpochSecond());
        }
        if (nextChange != null) {
          nextEvent = Math.min(nextEvent, nextChange.getEpochSecond());
        }
        Instant nextManual = manual.ceilingKey(world.now);
        if (nextManual != null) {
          nextEvent = Math.min(nextEvent, nextManual.getEpochSecond());
        }
        nextEvent = Math.min(
            nextEvent,
            world.nextTransition().map(i -> i.getEpochSecond() - 1).orElse(Long.MAX_VALUE));
        if (!timers.isEmpty()) {
          nextEvent = Math.min(nextEvent, Math.max(t, timers.first().getEpochSecond()));
        }
        if (nextEvent > t) {
          world.skip(nextEvent - t);
        }
      }
      while (next < uploads.size() && !uploads.get(next).isAfter(world.now)) {
        world.upload(uploads.get(next++));
      }
      boolean boundary = nextChange != null && !world.now.isBefore(nextChange);
      if (boundary) {
        nextChange = schedule.nextChange(world.now).orElse(null);
      }
      ControlState.Override action = manual.get(world.now);
      if (action != null) {
        Decision manualRun = controller.override(action.mode(), action.until(), world.now);
        if (config.runTimer()) {
          arming.arm(manualRun, world.now);
        }
        runs++;
      }
      boolean timerDue = !timers.isEmpty() && !world.now.isBefore(timers.first());
      if (world.now.getEpochSecond() % tickSeconds == 0
          || boundary
          || world.endpointEvent
          || timerDue) {
        world.endpointEvent = false;
        Decision d = controller.reconcile(world.now);
        // Each message armed is a delayed message on the timer queue: it fires even if a later run
        // no longer needs it.
        timers.headSet(world.now, true).clear();
        if (config.runTimer()) {
          arming.arm(d, world.now);
        }
        runs++;
        outsideScheduleRuns += d.runningOutsideSchedule() ? 1 : 0;
        createFailureMetrics +=
            metricLines.getLast().contains("\"EndpointCreateFailures\":1.0") ? 1 : 0;
      }
      world.step();
    }
    ControlState last = table.load().orElse(initial);
    if (!measured) { // the warm-up: its waits, ledger and lower bound are nobody's concern
      return new Pass(null, last);
    }

    // Waits, and the promise: classified within an hour of max(upload, next opening).
    List<Long> waits = new ArrayList<>();
    Map<LocalDate, Long> imagesPerDay = new TreeMap<>();
    long worstAfterOpening = 0;
    int late = 0;
    int misses = 0;
    int outOfReach = 0;
    WaitBudget budget = cc.maxWait();
    for (Instant[] r : world.results) {
      Optional<Instant> owed = budget.off() ? Optional.empty() : budget.due(schedule, r[0]);
      Instant soonest = r[0].plus(World.SHORTEST_WAIT);
      boolean missed = owed.isPresent() && r[1].isAfter(owed.get()) && r[1].isAfter(soonest);
      misses += missed ? 1 : 0;
      outOfReach += missed && outOfReach(world, config, r[0], owed.get()) ? 1 : 0;
      waits.add(Duration.between(r[0], r[1]).toSeconds());
      imagesPerDay.merge(LocalDate.ofInstant(r[1], zone), 1L, Long::sum);
      Optional<Instant> due = schedule.nextOpening(r[0]);
      if (due.isPresent()) {
        long after = Duration.between(due.get(), r[1]).toSeconds();
        worstAfterOpening = Math.max(worstAfterOpening, after);
        late += after > 3600 ? 1 : 0;
      }
    }
    int pending = uploads.size() - world.results.size();
    List<Instant> unclassified = new ArrayList<>();
    world.visible.forEach(m -> unclassified.add(m.uploadedAt()));
    world.inFlight.forEach(m -> unclassified.add(m.uploadedAt()));
    world.delayed.forEach(m -> unclassified.add(m.uploadedAt()));
    unclassified.addAll(uploads.subList(next, uploads.size()));
    for (Instant u : unclassified) {
      Optional<Instant> owed = budget.off() ? Optional.empty() : budget.due(schedule, u);
      boolean missed = owed.isPresent() && owed.get().isBefore(end);
      misses += missed ? 1 : 0;
      outOfReach += missed && outOfReach(world, config, u, owed.get()) ? 1 : 0;
      Optional<Instant> due = schedule.nextOpening(u);
      if (due.isPresent() && due.get().plusSeconds(3600).isBefore(end)) {
        late++; // overdue and still waiting
      }
    }
    waits.sort(null);

    CostReport ledger = CostReport.compute(
        table.days(config.start(), config.start().plusDays(days - 1)),
        imagesPerDay,
        config.start(),
        config.start().plusDays(days - 1),
        zone,
        config.instanceType(),
        1,
        config.hourlyPriceUsd());
    LowerBound.Optimum bound = budget.off() || cc.hosting() != Hosting.SCHEDULED
        ? new LowerBound.Optimum(Double.NaN, 0) // SimulationReport.NO_BOUND
        : LowerBound.plan(
            uploads,
            u -> budget.due(schedule, u),
            config.createDelay(),
            config.deleteDelay(),
            config.imagesPerSecond(),
            start,
            end);
    SimulationReport report = new SimulationReport(
        label,
        days,
        config,
        uploads.size(),
        world.results.size(),
        pending,
        late,
        world.dead,
        world.deferrals,
        ledger.total().endpointHours(),
        world.billedSeconds / 3600.0,
        ledger.total().alwaysOnHours(),
        ledger.total().savedPercent(),
        ledger.total().starts(),
        createFailureMetrics,
        outsideScheduleRuns,
        runs,
        percentile(waits, 50),
        percentile(waits, 90),
        percentile(waits, 99),
        waits.isEmpty() ? Duration.ZERO : Duration.ofSeconds(waits.getLast()),
        Duration.ofSeconds(worstAfterOpening),
        ledger,
        budget,
        misses,
        outOfReach,
        bound.hours(),
        bound.starts(),
        LearnedTimes.expectedWake(last.wakeSeconds()),
        LearnedTimes.expectedStop(last.stopSeconds()));
    return new Pass(
        new SimulatedRun(report, List.copyOf(world.results), List.copyOf(world.billed), end), last);
  }

  /**
   * A miss no controller that does not know the future could avoid: the upload found the endpoint not serving, less
   * than a wake up to a polling trigger and the shortest wait before its due time.
   */
  private static boolean outOfReach(
      World world, SimulationConfig config, Instant upload, Instant due) {
    Duration reach = config.createDelay().plus(config.mappingDelay()).plus(World.SHORTEST_WAIT);
    return world.uploadedWhileOff.contains(upload)
        && Duration.between(upload, due).compareTo(reach) < 0;
  }

  private static Duration percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return Duration.ZERO;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return Duration.ofSeconds(sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))));
  }
}
