package offhours.endpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.endpoint.sim.MemoryControlTable;
import offhours.stack.StackSpec;

/**
 * A controller over scripted fakes: each test sets what AWS would answer, runs, and reads what was called. Public for
 * the stack-delete cleanup's tests ({@code offhours.endpoint.cfn}), which run the controller after it.
 */
public final class Rig {
  static final Map<String, String> ENV = Map.of(
      "ENDPOINT_NAME",
      "offhours-endpoint",
      "ENDPOINT_CONFIG_NAME",
      "offhours-endpoint-config",
      "STACK_ID",
      "arn:aws:cloudformation:eu-central-1:123456789012:stack/offhours/guid",
      "MAPPING_UUID",
      "uuid-1",
      "QUEUE_URL",
      "http://q",
      "CONTROL_TABLE_NAME",
      "offhours-control",
      "TIME_ZONE",
      "Europe/Berlin",
      "WORKING_HOURS",
      "Mon-Fri 08:00-19:00",
      "IDLE_STOP_MINUTES",
      "30",
      "MAX_WAIT_MINUTES",
      "0");

  /** The settings the template gives the controller with Hosting scale-to-zero: its inference component, its model. */
  static final Map<String, String> SCALE_TO_ZERO = Map.of(
      "HOSTING",
      "scale-to-zero",
      "INFERENCE_COMPONENT_NAME",
      "offhours-component",
      "MODEL_NAME",
      "offhours-model");

  public final List<String> calls = new ArrayList<>();
  final List<String> metrics = new ArrayList<>();
  public Endpoint.Status endpoint = Endpoint.Status.ABSENT;
  public Mapping.TriggerState mapping = Mapping.TriggerState.DISABLED;
  Backlog.Snapshot queue = Backlog.Snapshot.EMPTY;
  Endpoint.Probe probe = new Endpoint.Probe(true, "5 class probabilities");
  public RuntimeException createError;
  /** Thrown by every DescribeEndpoint while set: a read the run's deadline cut, say. */
  RuntimeException describeError;
  /** The endpoint this run saw absent was created since by an overlapping run: create() answers false. */
  boolean createdByAnotherRun;
  /** Thrown right after CreateEndpoint succeeded: the run dies there (its timeout, say), uncaught. */
  Error dieAfterCreate;

  RuntimeException deleteError;
  RuntimeException enableError;
  RuntimeException disableError;
  /** What setting the container's log retention reports (after a wake it is called as "retention"). */
  List<String> retentionProblems = List.of();
  /** What AWS answered the retention's failed calls, as {@link ContainerLogs} hands it to the run's log line. */
  List<String> retentionSaid = List.of();
  /** Runs that found the endpoint serving and asked for the container's log retention. */
  int servingRetentions;
  /** Runs once right after the next EnableEventSourceMapping call: an overlapping run, say. */
  Runnable onEnable;
  /** Runs once during the next test invocation, before it answers: an overlapping run, say. */
  Runnable onProbe;
  /**
   * Runs once at the next create, delete, enable or disable, before it lands: an overlapping run that claimed the
   * same step after this one and whose call landed first.
   */
  Runnable onCall;
  /**
   * Calls on what is already changing that way are refused, as AWS may refuse them (the controller cannot tell): a
   * delete of a Deleting endpoint, a create (the component's copies set again) of a Creating one, a disable of a
   * Disabling trigger, an enable of an Enabling one.
   */
  boolean refusesRepeats;

  public Instant now = Instant.parse("2026-01-14T09:00:00Z"); // Wednesday 10:00 in Berlin
  public final MemoryControlTable table;
  final EndpointController controller;

  public Rig() {
    this(Map.of());
  }

  Rig(Map<String, String> extraEnv) {
    this(extraEnv, new MemoryControlTable());
  }

  Rig(Map<String, String> extraEnv, MemoryControlTable table) {
    Map<String, String> env = new HashMap<>(ENV);
    // As the stack sets it: with HOSTING=serverless the probe's invocations go to the ledger at
    // this memory.
    env.put("SERVERLESS_MEMORY_MB", "2048");
    env.putAll(extraEnv);
    this.table = table;
    this.controller = controller(ControllerConfig.fromEnvironment(env), table);
  }

  EndpointController controller(ControllerConfig config, ControlStore store) {
    return controller(config, store, table);
  }

  /** A controller over this rig's endpoint, trigger and queue, keeping its state and ledger where told. */
  EndpointController controller(ControllerConfig config, ControlStore store, Ledger ledger) {
    Endpoint ep = new Endpoint() {
      @Override
      public Status describe() {
        if (describeError != null) {
          throw describeError;
        }
        return endpoint;
      }

      @Override
      public boolean create() {
        calls.add("create");
        overlap();
        if (createError != null) {
          throw createError;
        }
        if (refusesRepeats && endpoint.state() == State.CREATING) {
          throw new IllegalStateException("ValidationException: Cannot update inference component"
              + " offhours-endpoint-component while it is Updating; wait until it is InService.");
        }
        if (createdByAnotherRun) {
          // As SageMaker: "Cannot create already existing endpoint", which the adapter answers
          // false.
          return false;
        }
        endpoint = Status.of(State.CREATING, null, now, now);
        if (dieAfterCreate != null) {
          throw dieAfterCreate;
        }
        return true;
      }

      @Override
      public void delete() {
        calls.add("delete");
        overlap();
        if (deleteError != null) {
          throw deleteError;
        }
        if (refusesRepeats && endpoint.state() == State.DELETING) {
          throw new IllegalStateException(
              "ValidationException: Cannot update in-progress endpoint offhours-endpoint");
        }
        endpoint = Status.of(State.DELETING, null, endpoint.createdAt(), now);
      }

      @Override
      public Probe probe() {
        calls.add("probe");
        Runnable overlapping = onProbe;
        onProbe = null;
        if (overlapping != null) {
          overlapping.run();
        }
        return probe;
      }
    };
    Mapping mp = new Mapping() {
      @Override
      public TriggerState state() {
        return mapping;
      }

      @Override
      public void enable() {
        calls.add("enable");
        overlap();
        if (enableError != null) {
          throw enableError;
        }
        refuseRepeat(TriggerState.ENABLING);
        mapping = TriggerState.ENABLING;
        Runnable overlapping = onEnable;
        onEnable = null;
        if (overlapping != null) {
          overlapping.run();
        }
      }

      @Override
      public void disable() {
        calls.add("disable");
        overlap();
        if (disableError != null) {
          throw disableError;
        }
        refuseRepeat(TriggerState.DISABLING);
        mapping = TriggerState.DISABLING;
      }
    };
    ContainerLogs logs = new ContainerLogs() {
      @Override
      public List<String> afterWake(List<String> awsSaid) {
        calls.add("retention");
        awsSaid.addAll(retentionSaid);
        return retentionProblems;
      }

      @Override
      public List<String> whileServing(List<String> awsSaid) {
        servingRetentions++;
        awsSaid.addAll(retentionSaid);
        return retentionProblems;
      }
    };
    return new EndpointController(config, ep, mp, () -> queue, store, ledger, metrics::add, logs);
  }

  private void overlap() {
    Runnable overlapping = onCall;
    onCall = null;
    if (overlapping != null) {
      overlapping.run();
    }
  }

  /** As Lambda: ResourceInUseException while the mapping changes state. */
  private void refuseRepeat(Mapping.TriggerState changing) {
    if (refusesRepeats && mapping == changing) {
      throw new IllegalStateException("ResourceInUseException: Cannot update the event source"
          + " mapping uuid-1 because it is in state " + changing);
    }
  }

  Decision run() {
    return controller.reconcile(now);
  }

  public Decision runAt(String instant) {
    now = Instant.parse(instant);
    return run();
  }

  public void inService() {
    endpoint = Endpoint.Status.of(Endpoint.State.IN_SERVICE, null, now.minusSeconds(3600), now);
  }

  /** Saves {@code s} as the first state, one this rig's controller has run on: learned with its hosting. */
  void seed(ControlState s) {
    StateCopy c = new StateCopy(s);
    c.hosting = controller.config().hosting();
    table.save(c.build(), 0);
  }

  /** A claim that counts (billed seconds, a start, a stop), made some other way than the table's: cut, or overtaken. */
  interface CountingClaim {
    boolean save(ControlState next, long expectedVersion, List<Ledger.Day> counted);
  }

  /** A controller over this rig's table whose claims that count go through {@code claim}. */
  EndpointController countingThrough(CountingClaim claim) {
    return controller(controller.config(), new ControlStore() {
      @Override
      public java.util.Optional<ControlState> load() {
        return table.load();
      }

      @Override
      public boolean save(ControlState next, long expectedVersion) {
        return table.save(next, expectedVersion);
      }

      @Override
      public boolean save(ControlState next, long expectedVersion, List<Ledger.Day> counted) {
        return claim.save(next, expectedVersion, counted);
      }
    });
  }

  public ControlState state() {
    return table.load().orElseThrow();
  }

  /** ControllerStepFailures of the last run's metrics line. */
  double stepFailures() {
    return EndpointControllerTest.metric(
        metrics.getLast(), StackSpec.METRICS.controllerStepFailures());
  }
}
