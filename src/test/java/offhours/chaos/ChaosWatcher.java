package offhours.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import offhours.aws.AwsClients.Service;
import offhours.local.LocalDeployment;
import offhours.local.lambda.MappingStats;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What the chaos run sees of the stack: the endpoint, the Classify trigger, the queue, and waits for a state of them
 * that fail the run naming what was not seen. It counts the endpoint's incarnations (starts) and their ends (stops), whoever created or deleted it, from
 * DescribeEndpoint every 100 ms. An incarnation lives for seconds at least (the creating and deleting delays, the
 * model's load), and one replaced between two looks is told by its creation time, so a slow look can only miss a
 * whole incarnation, never count one that was not: the counts are never above the truth.
 */
final class ChaosWatcher implements AutoCloseable {

  /** The ceiling of every wait for a state: generous, as it costs nothing unless the state never comes. */
  static final Duration PATIENCE = Duration.ofMinutes(3);

  final AtomicInteger starts = new AtomicInteger();
  final AtomicInteger stops = new AtomicInteger();

  private final LocalDeployment stack;
  private final Consumer<String> note;
  private final SageMakerClient sageMaker;
  private final AtomicBoolean watching = new AtomicBoolean(true);
  private final Thread thread;

  ChaosWatcher(LocalDeployment stack, Consumer<String> note) {
    this.stack = stack;
    this.note = note;
    this.sageMaker = stack.clients().build(Service.SAGEMAKER, SageMakerClient.builder());
    this.thread = Thread.ofPlatform().daemon().name("chaos-endpoint-watcher").start(this::watch);
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

  /** Waits until the endpoint is InService and the trigger enabled: batches reach the model. */
  void awaitServing() throws InterruptedException {
    await(
        "the endpoint InService with its trigger enabled",
        () -> status().filter(s -> s == EndpointStatus.IN_SERVICE).isPresent()
            && "Enabled".equals(classify().state()));
  }

  /** The Classify trigger's counters. */
  MappingStats classify() {
    return stack.services().lambda().stats(stack.mappingUuid());
  }

  /** Uploads waiting in the queue to be taken (received ones not counted). */
  long visible() {
    return Long.parseLong(stack
        .sqs()
        .getQueueAttributes(r -> r.queueUrl(stack.resources().queueUrl())
            .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributes()
        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
  }

  /** What a failed wait saw last: the endpoint, the trigger, batches in flight, the queue. */
  String state() {
    MappingStats c = classify();
    return "endpoint " + status().map(Object::toString).orElse("absent") + ", trigger " + c.state()
        + ", " + c.invoking() + " batches in flight, " + visible() + " uploads waiting";
  }

  /** Waits for {@code what} (up to {@link #PATIENCE}), or fails the run saying it was not seen and what was. */
  void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "chaos: not seen within " + PATIENCE.toSeconds() + " s: " + what + "; " + state());
      }
      Thread.sleep(100);
    }
  }

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
        note.accept("endpoint created (" + created + ")");
      }
      if (leaving && current != null) {
        stops.incrementAndGet();
        note.accept("endpoint deleted");
        current = null;
      }
      try {
        Thread.sleep(100); // a sampling period, not a wait for a step
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    watching.set(false);
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sageMaker.close();
  }
}
