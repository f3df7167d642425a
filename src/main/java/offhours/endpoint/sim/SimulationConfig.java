package offhours.endpoint.sim;

import static offhours.aws.EnvironmentVariables.defaultOf;
import static offhours.aws.EnvironmentVariables.whole;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.WaitBudget;
import offhours.stack.FunctionVariables;
import offhours.stack.Hosting;
import offhours.units.Decimals;

/**
 * What a {@link Simulation} simulates: the schedule, the simulated endpoint (wake, stop, drain rate), the controller
 * settings it runs with, the trace's seed and the instance price.
 *
 * @param start the first local day (the default week, from Monday 2026-03-23, crosses the spring DST change)
 * @param idleStopMinutes tuned to 15 by default (the function's default is 30): an office trace is bursty, and every
 *     idle minute inside working hours is paid
 * @param createFailures how many CreateEndpoint attempts end in Failed before one succeeds
 * @param createDelay the wake: CreateEndpoint to InService (AWS: 8-30 min; default 10)
 * @param deleteDelay the stop: DeleteEndpoint to gone (default 2 min)
 * @param imagesPerSecond the drain rate of one instance while the trigger polls: 5, the capacity of the bench's
 *     stand-in endpoint (2 slots of 400 ms), which its 'standin' line shows Classify keeps saturated
 * @param maxWait MAX_WAIT_MINUTES (default 60)
 * @param runTimer whether the controller also runs when a decision asks for it ({@code Decision.nextRunAt}), as the
 *     deployed controller does through its timer queue; without it only on ticks, schedule changes and endpoint events
 * @param hosting what the controller switches (HOSTING): {@code scheduled} (an endpoint created and deleted in {@code
 *     createDelay} and {@code deleteDelay}) or {@code scale-to-zero} (an inference component's copies on an endpoint
 *     that stays, taking the {@code component} times)
 * @param component what the inference component takes with the scale-to-zero hosting
 */
public record SimulationConfig(
    ZoneId zone,
    String workingHours,
    LocalDate start,
    Duration tick,
    Duration createDelay,
    Duration deleteDelay,
    Duration mappingDelay,
    double imagesPerSecond,
    int idleStopMinutes,
    int drainTimeoutMinutes,
    int wakeBacklogMessages,
    int wakeBacklogAgeMinutes,
    int createFailures,
    long seed,
    String instanceType,
    double hourlyPriceUsd,
    WaitBudget maxWait,
    boolean runTimer,
    Hosting hosting,
    ComponentTimes component) {

  /** The endpoint config the simulated endpoint runs, the stack's: the controller never sees it stale. */
  static final String ENDPOINT_CONFIG = "offhours-endpoint-config";

  /** The inference component and the model it runs, with the scale-to-zero hosting. */
  private static final String COMPONENT = "offhours-component";

  private static final String MODEL = "offhours-model";

  public SimulationConfig {
    java.util.Objects.requireNonNull(component, "component");
    if (hosting != Hosting.SCHEDULED && hosting != Hosting.SCALE_TO_ZERO) {
      throw new IllegalArgumentException("the simulation switches a scheduled or a scale-to-zero"
          + " endpoint, not " + (hosting == null ? "none" : hosting.value())
          + " (a serverless endpoint is never switched)");
    }
  }

  /**
   * As deployed: the controller's settings at their defaults ({@link FunctionVariables#CONTROLLER_ENV}, the one place
   * they are written: MAX_WAIT_MINUTES=60, working hours Mon-Fri 08:00-19:00 Europe/Berlin, ...), a run every minute,
   * and the run timer: the deployed controller arms its timer queue for the instant each decision names
   * ({@code offhours.endpoint.TimerArming}), and so does the simulation.
   */
  public static SimulationConfig defaults() {
    Map<String, String> d = FunctionVariables.CONTROLLER_ENV;
    return new SimulationConfig(
        ZoneId.of(defaultOf(d, "TIME_ZONE")),
        defaultOf(d, "WORKING_HOURS"),
        LocalDate.parse("2026-03-23"),
        Duration.ofMinutes(1),
        Duration.ofMinutes(10),
        Duration.ofMinutes(2),
        Duration.ofSeconds(20),
        5.0,
        whole(Map.of(), d, "IDLE_STOP_MINUTES", 0, ControllerConfig.MAX_IDLE_STOP_MINUTES),
        whole(Map.of(), d, "DRAIN_TIMEOUT_MINUTES", 0, Integer.MAX_VALUE),
        whole(Map.of(), d, "WAKE_BACKLOG_MESSAGES", 0, Integer.MAX_VALUE),
        whole(Map.of(), d, "WAKE_BACKLOG_AGE_MINUTES", 0, Integer.MAX_VALUE),
        0,
        42L,
        defaultOf(d, "INSTANCE_TYPE"),
        Decimals.parse(defaultOf(d, "INSTANCE_HOURLY_PRICE_USD")),
        WaitBudget.parse("MAX_WAIT_MINUTES", defaultOf(d, "MAX_WAIT_MINUTES")),
        true,
        Hosting.parse(defaultOf(d, "HOSTING")),
        ComponentTimes.DEFAULTS);
  }

  /** A copy of these settings with what {@code change} sets on them ({@link Draft}). */
  private SimulationConfig with(java.util.function.Consumer<Draft> change) {
    Draft c = new Draft(this);
    change.accept(c);
    return c.build();
  }

  public SimulationConfig withMaxWait(WaitBudget budget) {
    return with(c -> c.maxWait = budget);
  }

  /** What the simulated inference component takes (the scale-to-zero hosting and its comparison rows). */
  public SimulationConfig withComponent(ComponentTimes times) {
    return with(c -> c.component = java.util.Objects.requireNonNull(times, "component times"));
  }

  /** Scheduled (as deployed by default) or scale-to-zero. */
  public SimulationConfig withHosting(Hosting h) {
    return with(c -> c.hosting = h);
  }

  public SimulationConfig withRunTimer(boolean on) {
    return with(c -> c.runTimer = on);
  }

  /** The drain rate, wake and stop the simulated endpoint takes. */
  public SimulationConfig withEndpoint(double drainPerSecond, Duration wake, Duration stop) {
    if (!(drainPerSecond > 0) || wake.isNegative() || stop.isNegative()) {
      throw new IllegalArgumentException(
          "drain rate must be positive and wake and stop not negative");
    }
    return with(c -> {
      c.createDelay = wake;
      c.deleteDelay = stop;
      c.imagesPerSecond = drainPerSecond;
    });
  }

  /** The schedule's zone, its first day, and its working hours. */
  public SimulationConfig withCalendar(ZoneId z, LocalDate first, String hours) {
    return with(c -> {
      c.zone = z;
      c.workingHours = hours;
      c.start = first;
    });
  }

  public SimulationConfig withCreateFailures(int n) {
    return with(c -> c.createFailures = n);
  }

  public SimulationConfig withIdleStopMinutes(int minutes) {
    return with(c -> c.idleStopMinutes = minutes);
  }

  public SimulationConfig withSeed(long s) {
    return with(c -> c.seed = s);
  }

  /** The instance type the ledger names and the price of its instance-hour. */
  public SimulationConfig withInstance(String type, double hourUsd) {
    return with(c -> {
      c.instanceType = java.util.Objects.requireNonNull(type, "instance type");
      c.hourlyPriceUsd = hourUsd;
    });
  }

  /** The controller's settings as the simulation sets them, {@code settings} over them. */
  ControllerConfig controllerConfig(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>();
    env.put("ENDPOINT_NAME", "offhours-endpoint");
    env.put("ENDPOINT_CONFIG_NAME", ENDPOINT_CONFIG);
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
    env.put("INSTANCE_HOURLY_PRICE_USD", Decimals.plain(hourlyPriceUsd));
    env.put(
        "MAX_WAIT_MINUTES",
        maxWait.nextOpening() ? "next-opening" : Long.toString(maxWait.max().toMinutes()));
    env.put("BATCHING_WINDOW_SECONDS", "0"); // the simulated trigger takes what waits at once
    if (hosting == Hosting.SCALE_TO_ZERO) {
      env.put("HOSTING", hosting.value());
      env.put("INFERENCE_COMPONENT_NAME", COMPONENT);
      env.put("MODEL_NAME", MODEL);
    }
    env.putAll(settings);
    return ControllerConfig.fromEnvironment(env);
  }

  /** The settings, to change a few of them: each wither copies, sets and builds. */
  private static final class Draft {
    ZoneId zone;
    String workingHours;
    LocalDate start;
    Duration tick;
    Duration createDelay;
    Duration deleteDelay;
    Duration mappingDelay;
    double imagesPerSecond;
    int idleStopMinutes;
    int drainTimeoutMinutes;
    int wakeBacklogMessages;
    int wakeBacklogAgeMinutes;
    int createFailures;
    long seed;
    String instanceType;
    double hourlyPriceUsd;
    WaitBudget maxWait;
    boolean runTimer;
    Hosting hosting;
    ComponentTimes component;

    Draft(SimulationConfig c) {
      zone = c.zone;
      workingHours = c.workingHours;
      start = c.start;
      tick = c.tick;
      createDelay = c.createDelay;
      deleteDelay = c.deleteDelay;
      mappingDelay = c.mappingDelay;
      imagesPerSecond = c.imagesPerSecond;
      idleStopMinutes = c.idleStopMinutes;
      drainTimeoutMinutes = c.drainTimeoutMinutes;
      wakeBacklogMessages = c.wakeBacklogMessages;
      wakeBacklogAgeMinutes = c.wakeBacklogAgeMinutes;
      createFailures = c.createFailures;
      seed = c.seed;
      instanceType = c.instanceType;
      hourlyPriceUsd = c.hourlyPriceUsd;
      maxWait = c.maxWait;
      runTimer = c.runTimer;
      hosting = c.hosting;
      component = c.component;
    }

    SimulationConfig build() {
      return new SimulationConfig(
          zone,
          workingHours,
          start,
          tick,
          createDelay,
          deleteDelay,
          mappingDelay,
          imagesPerSecond,
          idleStopMinutes,
          drainTimeoutMinutes,
          wakeBacklogMessages,
          wakeBacklogAgeMinutes,
          createFailures,
          seed,
          instanceType,
          hourlyPriceUsd,
          maxWait,
          runTimer,
          hosting,
          component);
    }
  }
}
