package offhours.endpoint.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
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
import offhours.endpoint.Schedule;

/**
 * A discrete-time simulation (one-second steps on a simulated clock) that drives the same {@link EndpointController}
 * as the Lambda function through in-memory ports, so a week of schedule and uploads runs in about a second. The
 * controller runs as it does on AWS: every {@code tick} (EventBridge Scheduler), at each schedule change, and on every
 * endpoint state change (the SageMaker "Endpoint State Change" EventBridge event).
 */
public final class Simulation {

  /**
   * @param start the first local day (the default week, from Monday 2026-03-23, crosses the spring DST change)
   * @param idleStopMinutes tuned to 15 by default (the function's default is 30): an office trace is bursty, and every
   *     idle minute inside working hours is paid
   * @param createFailures how many CreateEndpoint attempts end in Failed before one succeeds
   * @param imagesPerSecond the drain rate of one instance: 5, the capacity of the bench's stand-in endpoint (2 slots of
   *     400 ms), which its 'standin' line shows Classify keeps saturated
   */
  public record Config(ZoneId zone, String workingHours, LocalDate start, Duration tick, Duration createDelay,
      Duration deleteDelay, Duration mappingDelay, double imagesPerSecond, int idleStopMinutes,
      int drainTimeoutMinutes, int wakeBacklogMessages, int wakeBacklogAgeMinutes, int createFailures, long seed,
      String instanceType, double hourlyPriceUsd) {

    public static Config defaults() {
      return new Config(ZoneId.of("Europe/Berlin"), "Mon-Fri 08:00-19:00", LocalDate.parse("2026-03-23"),
          Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ofSeconds(20), 5.0, 15, 10,
          0, 0, 0, 42L, "ml.m5.large", 0.115);
    }

    public Config withCreateFailures(int n) {
      return new Config(zone, workingHours, start, tick, createDelay, deleteDelay, mappingDelay, imagesPerSecond,
          idleStopMinutes, drainTimeoutMinutes, wakeBacklogMessages, wakeBacklogAgeMinutes, n, seed, instanceType,
          hourlyPriceUsd);
    }

    public Config withIdleStopMinutes(int minutes) {
      return new Config(zone, workingHours, start, tick, createDelay, deleteDelay, mappingDelay, imagesPerSecond,
          minutes, drainTimeoutMinutes, wakeBacklogMessages, wakeBacklogAgeMinutes, createFailures, seed,
          instanceType, hourlyPriceUsd);
    }

    public Config withSeed(long s) {
      return new Config(zone, workingHours, start, tick, createDelay, deleteDelay, mappingDelay, imagesPerSecond,
          idleStopMinutes, drainTimeoutMinutes, wakeBacklogMessages, wakeBacklogAgeMinutes, createFailures, s,
          instanceType, hourlyPriceUsd);
    }

    ControllerConfig controllerConfig(Map<String, String> settings) {
      Map<String, String> env = new HashMap<>();
      env.put("ENDPOINT_NAME", "offhours-endpoint");
      env.put("ENDPOINT_CONFIG_NAME", "offhours-endpoint-config");
      env.put("STACK_ID", "simulated");
      env.put("MAPPING_UUID", "simulated");
      env.put("QUEUE_URL", "simulated");
      env.put("CONTROL_TABLE_NAME", "simulated");
      env.put("TIME_ZONE", zone.getId());
      env.put("WORKING_HOURS", workingHours);
      env.put("IDLE_STOP_MINUTES", Integer.toString(idleStopMinutes));
      env.put("DRAIN_TIMEOUT_MINUTES", Integer.toString(drainTimeoutMinutes));
      env.put("WAKE_BACKLOG_MESSAGES", Integer.toString(wakeBacklogMessages));
      env.put("WAKE_BACKLOG_AGE_MINUTES", Integer.toString(wakeBacklogAgeMinutes));
      env.put("INSTANCE_TYPE", instanceType);
      env.put("INSTANCE_HOURLY_PRICE_USD", Double.toString(hourlyPriceUsd));
      env.putAll(settings);
      return ControllerConfig.fromEnvironment(env);
    }
  }

  private Simulation() {}

  public static SimulationReport run(Config config, Trace trace, int days) {
    if (days < 1 || days > 366) {
      throw new IllegalArgumentException("days is " + days + "; simulate 1..366 days");
    }
    return run(config, trace.label(), trace.uploads(config.start(), days, config.zone(), config.seed()), days,
        new TreeMap<>());
  }

  /** With explicit uploads and manual actions ({@code scripts/offhours endpoint start|stop}) at given instants. */
  static SimulationReport run(Config config, String label, List<Instant> uploads, int days,
      NavigableMap<Instant, ControlState.Override> manual) {
    return run(config, label, uploads, days, manual, Map.of()).report();
  }

  /**
   * The same controller with further controller settings over the simulation's own ({@code MAX_WAIT_MINUTES=60},
   * say), keeping what happened: every result and the billed periods.
   */
  public static SimulatedRun record(Config config, String label, List<Instant> uploads, int days,
      Map<String, String> controllerSettings) {
    if (days < 1 || days > 366) {
      throw new IllegalArgumentException("days is " + days + "; simulate 1..366 days");
    }
    return run(config, label, uploads, days, new TreeMap<>(), controllerSettings);
  }

  private static SimulatedRun run(Config config, String label, List<Instant> uploads, int days,
      NavigableMap<Instant, ControlState.Override> manual, Map<String, String> controllerSettings) {
    ControllerConfig cc = config.controllerConfig(controllerSettings);
    Schedule schedule = cc.schedule();
    ZoneId zone = config.zone();
    Instant start = config.start().atStartOfDay(zone).toInstant();
    Instant end = config.start().plusDays(days).atStartOfDay(zone).toInstant();

    World world = new World(config, start);
    MemoryControlTable table = new MemoryControlTable();
    List<String> metricLines = new ArrayList<>();
    EndpointController controller = new EndpointController(cc, world.endpoint(), world.mapping(), world.backlog(),
        table, table, metricLines::add);

    long tickSeconds = config.tick().toSeconds();
    Instant nextChange = schedule.nextChange(start).orElse(null);
    int next = 0;
    int runs = 0;
    int outsideScheduleRuns = 0;
    int createFailureMetrics = 0;
    while (world.now.isBefore(end)) {
      // Nothing moves between events while the consumer is idle: jump to the next one. A transition at T is applied
      // by the step that reaches T, so jump to just before it.
      if (world.quiet()) {
        long t = world.now.getEpochSecond();
        long nextEvent = Math.min(end.getEpochSecond(), (t + tickSeconds - 1) / tickSeconds * tickSeconds);
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
        nextEvent = Math.min(nextEvent,
            world.nextTransition().map(i -> i.getEpochSecond() - 1).orElse(Long.MAX_VALUE));
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
        controller.override(action.mode(), action.until(), world.now);
        runs++;
      }
      if (world.now.getEpochSecond() % tickSeconds == 0 || boundary || world.endpointEvent) {
        world.endpointEvent = false;
        Decision d = controller.reconcile(world.now);
        runs++;
        outsideScheduleRuns += d.runningOutsideSchedule() ? 1 : 0;
        createFailureMetrics += metricLines.getLast().contains("\"EndpointCreateFailures\":1.0") ? 1 : 0;
      }
      world.step();
    }

    // Waits, and the promise: classified within an hour of max(upload, next opening).
    List<Long> waits = new ArrayList<>();
    Map<LocalDate, Long> imagesPerDay = new TreeMap<>();
    long worstAfterOpening = 0;
    int late = 0;
    for (Instant[] r : world.results) {
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
      Optional<Instant> due = schedule.nextOpening(u);
      if (due.isPresent() && due.get().plusSeconds(3600).isBefore(end)) {
        late++; // overdue and still waiting
      }
    }
    waits.sort(null);

    CostReport ledger = CostReport.compute(table.days(config.start(), config.start().plusDays(days - 1)),
        imagesPerDay, config.start(), config.start().plusDays(days - 1), zone, config.instanceType(), 1,
        config.hourlyPriceUsd());
    SimulationReport report = new SimulationReport(label, days, config, uploads.size(), world.results.size(), pending, late,
        world.dead, world.deferrals, ledger.total().endpointHours(), world.billedSeconds / 3600.0,
        ledger.total().alwaysOnHours(), ledger.total().savedPercent(), ledger.total().starts(),
        createFailureMetrics, outsideScheduleRuns, runs, percentile(waits, 50), percentile(waits, 90),
        percentile(waits, 99), waits.isEmpty() ? Duration.ZERO : Duration.ofSeconds(waits.getLast()),
        Duration.ofSeconds(worstAfterOpening), ledger);
    return new SimulatedRun(report, List.copyOf(uploads), List.copyOf(world.results), List.copyOf(world.billed), end);
  }

  private static Duration percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return Duration.ZERO;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return Duration.ofSeconds(sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))));
  }
}
