package offhours.local.sagemaker;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import offhours.local.sagemaker.ContainerSupervisor.ContainerStart;

/**
 * Notices that the container serving an InService endpoint has ended, or ends it for a chaos run, and starts another
 * while the endpoint stays InService, as SageMaker replaces an instance whose container stops answering its health
 * checks
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html#your-algorithms-inference-algo-ping-requests).
 *
 * <p>The endpoints' state stays in {@link Endpoints}: what this class reads and changes there, it reads and changes
 * under that object's monitor, so a crash or a replacement never settles an endpoint deleted, updated or closed
 * meanwhile. Container starts and stops run outside it.
 */
final class ContainerReplacer {
  /** Endpoints' logger, whose name the replacement warning kept when it moved here: local start's log names it. */
  private static final System.Logger LOG = System.getLogger(Endpoints.class.getName());

  private final Endpoints endpoints;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ContainerSupervisor containers;

  ContainerReplacer(
      Endpoints endpoints,
      Clock clock,
      ScheduledExecutorService scheduler,
      ContainerSupervisor containers) {
    this.endpoints = endpoints;
    this.clock = clock;
    this.scheduler = scheduler;
    this.containers = containers;
  }

  /**
   * Watches {@code container}, which now serves {@code incarnation}. A {@code --container-command} process that ends
   * on its own (a crash, the OOM killer, {@code kill}) is replaced at once; left alone, every invocation would answer
   * 503 under an InService endpoint until each upload's deferrals ran out and it went to the DLQ. One stopped here
   * (delete, update, injected crash) is no longer the incarnation's.
   */
  void watch(HostedEndpoint incarnation, ModelContainer container) {
    Runnable replace = () -> {
      if (crash(incarnation.name(), container, Duration.ZERO)) {
        LOG.log(Level.WARNING, ContainerSupervisor.replacing(incarnation.name(), container));
      }
    };
    container.exited().thenRunAsync(replace, scheduler);
  }

  /**
   * Takes down the container of InService endpoint {@code name} when it is {@code expected} (any, when null) and
   * starts another after {@code restartAfter}; false, doing nothing, when the endpoint has no such container.
   */
  boolean crash(String name, ModelContainer expected, Duration restartAfter) {
    HostedEndpoint crashed;
    ModelContainer killed;
    synchronized (endpoints) {
      HostedEndpoint e = endpoints.current(name);
      if (e == null
          || !endpoints.isCurrent(e, "InService")
          || e.container() == null
          || expected != null && e.container() != expected) {
        return false;
      }
      killed = e.container();
      // Until the replacement runs, invocations go where nothing listens; whoever retires it later
      // has nothing to stop.
      crashed = e.with(
          "InService",
          e.modified(),
          e.failureReason(),
          ModelContainer.of(killed.baseUri(), () -> {}));
      endpoints.settle(crashed);
    }
    killed.close();
    scheduler.schedule(() -> replace(crashed), restartAfter.toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  /** A new container for an incarnation whose container crashed; the endpoint keeps its status. */
  private void replace(HostedEndpoint crashed) {
    if (!endpoints.isCurrent(crashed, "InService")) {
      return;
    }
    ContainerStart started = containers.start(crashed.spec(), crashed.variant().variantName());
    if (started.container() == null) {
      scheduler.schedule(
          () -> replace(crashed), 1, TimeUnit.SECONDS); // SageMaker keeps trying to replace it
      return;
    }
    synchronized (endpoints) {
      HostedEndpoint now = endpoints.current(crashed.name());
      if (endpoints.isCurrent(crashed, "InService") && now.container() == crashed.container()) {
        endpoints.settle(
            now.with("InService", clock.instant(), now.failureReason(), started.container()));
        watch(crashed, started.container());
        return;
      }
    }
    started.container().close(); // deleted (or updated) while the new container started
  }
}
