package offhours.endpoint.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import offhours.endpoint.Backlog;
import offhours.endpoint.ControllerConfig;
import offhours.endpoint.Endpoint;
import offhours.endpoint.Mapping;
import offhours.stack.Hosting;

/**
 * The simulated AWS side, advanced one second at a time: a SageMaker endpoint with create/delete delays and injectable
 * failures, an event source mapping with enable/disable delays, an SQS queue (visible, in flight, delayed) and the
 * Classify consumer, which processes {@code imagesPerSecond} while the mapping polls and defers a message (a delayed
 * copy, receive count untouched) when the endpoint does not answer, exactly as the consumer contract says.
 *
 * <p>With the scale-to-zero hosting the endpoint is the deployed adapter, {@code ComponentEndpoint}, over an in-memory
 * control plane ({@link SimulatedSageMaker}, {@link SimulatedComponent}); only its test invocation is the world's
 * (it answers while a copy serves). Its copies and instance change without an "Endpoint State Change" event (the
 * endpoint stays InService, and EventBridge carries no inference component event), so the controller sees them on
 * its next tick or timer run.
 */
final class World {
  /**
   * The DLQ's maxReceiveCount. No simulated receive fails: the consumer contract fails a message only for an
   * unexpected error (then it comes back after its retry pause, Classify's RetryPace), never for an unavailable
   * endpoint, which it defers.
   */
  private static final int MAX_RECEIVES = 5;

  private static final Duration DEFER = Duration.ofSeconds(60);
  private static final Duration PROCESSING = Duration.ofSeconds(2);
  /**
   * An upload's shortest way to a result on a serving endpoint: polled at the next step, then one batch. An upload
   * made less than this before its due time cannot be classified by it; it is late only after this.
   */
  static final Duration SHORTEST_WAIT = PROCESSING.plusSeconds(1);

  record Message(Instant uploadedAt, int receives, Instant availableAt) {}

  private final SimulationConfig config;
  Instant now;

  // endpoint
  private Endpoint.State endpointState = Endpoint.State.ABSENT;
  private Instant endpointCreatedAt;
  private Instant endpointChangeAt;
  private int failuresToInject;
  long billedSeconds;
  /** The billed periods [from, to), merged when contiguous: the endpoint-on bands of the timeline. */
  final List<Instant[]> billed = new ArrayList<>();

  boolean endpointEvent; // an "Endpoint State Change" EventBridge event is pending

  // mapping
  private Mapping.TriggerState mappingState = Mapping.TriggerState.DISABLED;
  private Instant mappingChangeAt;

  // the scale-to-zero hosting; null: the scheduled one
  final SimulatedComponent component;
  private final Endpoint componentEndpoint;

  // queue
  final ArrayDeque<Message> visible = new ArrayDeque<>();
  final List<Message> inFlight = new ArrayList<>();
  private final List<Instant> inFlightDoneAt = new ArrayList<>();
  final PriorityQueue<Message> delayed =
      new PriorityQueue<>((a, b) -> a.availableAt().compareTo(b.availableAt()));
  long dead;
  long deferrals;
  private double consumeCredit;

  // results: upload instant -> result instant
  final List<Instant[]> results = new ArrayList<>();
  /** The instants of uploads that found the endpoint not serving. */
  final java.util.Set<Instant> uploadedWhileOff = new java.util.HashSet<>();

  /** The world {@code cc} controls, whose hosting it simulates; the endpoint exists before {@code start}. */
  World(SimulationConfig config, Instant start, ControllerConfig cc) {
    this.config = config;
    this.now = start;
    this.failuresToInject = config.createFailures();
    if (cc.hosting() == Hosting.SCALE_TO_ZERO) {
      component = new SimulatedComponent(config.component(), config.createFailures());
      componentEndpoint = SimulatedSageMaker.endpoint(component, () -> now, start, cc);
    } else {
      component = null;
      componentEndpoint = null;
    }
  }

  void upload(Instant at) {
    visible.add(new Message(at, 0, at));
    if (endpointState != Endpoint.State.IN_SERVICE) {
      uploadedWhileOff.add(at);
    }
  }

  /** Advances everything to {@code now + 1s}. */
  void step() {
    bill(1);
    now = now.plusSeconds(1);
    if (component != null) {
      component.advance(now);
    } else if (endpointChangeAt != null && !now.isBefore(endpointChangeAt)) {
      endpointChangeAt = null;
      endpointEvent = true;
      switch (endpointState) {
        case CREATING -> {
          if (failuresToInject > 0) {
            failuresToInject--;
            endpointState = Endpoint.State.FAILED;
          } else {
            endpointState = Endpoint.State.IN_SERVICE;
          }
        }
        case DELETING -> endpointState = Endpoint.State.ABSENT;
        default -> {}
      }
    }
    if (mappingChangeAt != null && !now.isBefore(mappingChangeAt)) {
      mappingChangeAt = null;
      mappingState = mappingState == Mapping.TriggerState.ENABLING
          ? Mapping.TriggerState.ENABLED
          : Mapping.TriggerState.DISABLED;
    }
    while (!delayed.isEmpty() && !delayed.peek().availableAt().isAfter(now)) {
      visible.add(delayed.poll());
    }
    finishBatches();
    if (mappingState == Mapping.TriggerState.ENABLED) {
      consumeCredit += config.imagesPerSecond();
      while (consumeCredit >= 1 && !visible.isEmpty()) {
        consumeCredit--;
        Message m = visible.poll();
        inFlight.add(new Message(m.uploadedAt(), m.receives() + 1, m.availableAt()));
        inFlightDoneAt.add(now.plus(PROCESSING));
      }
      consumeCredit = Math.min(consumeCredit, config.imagesPerSecond());
    } else {
      consumeCredit = 0;
    }
  }

  /** No message can move until something external happens (an upload, a transition, a delayed message). */
  boolean quiet() {
    return inFlight.isEmpty()
        && (visible.isEmpty() || mappingState != Mapping.TriggerState.ENABLED)
        && !endpointEvent;
  }

  /** The next endpoint, mapping or delayed-message transition, if any. */
  Optional<Instant> nextTransition() {
    Instant t = null;
    for (Instant c : new Instant[] {
      component == null ? endpointChangeAt : component.nextChange().orElse(null),
      mappingChangeAt,
      delayed.isEmpty() ? null : delayed.peek().availableAt()
    }) {
      if (c != null && (t == null || c.isBefore(t))) {
        t = c;
      }
    }
    return Optional.ofNullable(t);
  }

  /** Advances {@code seconds} during which nothing transitions (see {@link #quiet()}). */
  void skip(long seconds) {
    bill(seconds);
    now = now.plusSeconds(seconds);
    consumeCredit = 0;
  }

  private void bill(long seconds) {
    boolean billing = component != null
        ? component.billing()
        : endpointState == Endpoint.State.CREATING
            || endpointState == Endpoint.State.IN_SERVICE
            || endpointState == Endpoint.State.DELETING;
    if (!billing) {
      return;
    }
    billedSeconds += seconds;
    Instant until = now.plusSeconds(seconds);
    if (!billed.isEmpty() && billed.getLast()[1].equals(now)) {
      billed.getLast()[1] = until;
    } else {
      billed.add(new Instant[] {now, until});
    }
  }

  private void finishBatches() {
    Iterator<Message> messages = inFlight.iterator();
    Iterator<Instant> done = inFlightDoneAt.iterator();
    while (messages.hasNext()) {
      Message m = messages.next();
      Instant at = done.next();
      if (at.isAfter(now)) {
        continue;
      }
      messages.remove();
      done.remove();
      if (serving()) {
        results.add(new Instant[] {m.uploadedAt(), now});
      } else {
        // The consumer's deferral: a delayed copy with a fresh receive count; the original is
        // reported processed.
        deferrals++;
        delayed.add(new Message(m.uploadedAt(), 0, now.plus(DEFER)));
      }
      if (m.receives() > MAX_RECEIVES) {
        dead++; // unreachable by the consumer contract; counted so the report proves it
      }
    }
  }

  /** The endpoint answers an invocation: InService, or with the scale-to-zero hosting a copy is up. */
  private boolean serving() {
    return component != null ? component.serving() : endpointState == Endpoint.State.IN_SERVICE;
  }

  // ---- the ports over this world ----

  Endpoint endpoint() {
    return componentEndpoint != null ? componentEndpoint : scheduledEndpoint();
  }

  private Endpoint scheduledEndpoint() {
    return new Endpoint() {
      @Override
      public Status describe() {
        return endpointState == State.ABSENT
            ? Status.ABSENT
            : Status.of(
                endpointState,
                endpointState == State.FAILED ? "simulated capacity error" : null,
                endpointCreatedAt,
                now);
      }

      @Override
      public boolean create() {
        if (endpointState != State.ABSENT) {
          throw new IllegalStateException(
              "ValidationException: Cannot create already existing endpoint");
        }
        endpointState = State.CREATING;
        endpointCreatedAt = now;
        endpointChangeAt = now.plus(config.createDelay());
        return true;
      }

      @Override
      public void delete() {
        if (endpointState == State.CREATING) {
          throw new IllegalStateException(
              "ValidationException: Cannot delete an endpoint in Creating status");
        }
        if (endpointState != State.ABSENT && endpointState != State.DELETING) {
          endpointState = State.DELETING;
          endpointChangeAt = now.plus(config.deleteDelay());
        }
      }

      @Override
      public Probe probe() {
        return endpointState == State.IN_SERVICE
            ? new Probe(true, "5 class probabilities")
            : new Probe(false, "ValidationException: endpoint is " + endpointState);
      }
    };
  }

  Mapping mapping() {
    return new Mapping() {
      @Override
      public TriggerState state() {
        return mappingState;
      }

      @Override
      public void enable() {
        if (mappingState.transitional()) {
          throw new IllegalStateException("ResourceInUseException: mapping is " + mappingState);
        }
        if (mappingState != TriggerState.ENABLED) {
          mappingState = TriggerState.ENABLING;
          mappingChangeAt = now.plus(config.mappingDelay());
        }
      }

      @Override
      public void disable() {
        if (mappingState.transitional()) {
          throw new IllegalStateException("ResourceInUseException: mapping is " + mappingState);
        }
        if (mappingState != TriggerState.DISABLED) {
          mappingState = TriggerState.DISABLING;
          mappingChangeAt = now.plus(config.mappingDelay());
        }
      }
    };
  }

  Backlog backlog() {
    return () -> new Backlog.Snapshot(visible.size(), inFlight.size(), delayed.size(), dead);
  }
}
