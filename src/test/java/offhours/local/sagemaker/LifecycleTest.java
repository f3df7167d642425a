package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import offhours.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointRequest;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/** The asynchronous endpoint life cycle and its failure injection, observed through DescribeEndpoint. */
class LifecycleTest {
  private final List<FakeContainer> launched = new CopyOnWriteArrayList<>();
  private final CountDownLatch createGate = new CountDownLatch(1);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-10-25T00:59:00Z"));
  private Fixture f;

  @AfterEach
  void close() {
    createGate.countDown();
    if (f != null) {
      f.close();
    }
  }

  private Fixture start(LocalSageMakerBuilder builder) {
    f = new Fixture(builder.clock(clock).container(Fixture.IMAGE, spec -> {
      FakeContainer container = new FakeContainer();
      launched.add(container);
      return container;
    }));
    return f;
  }

  @Test
  void endpointGoesCreatingInServiceDeleting() throws Exception {
    // The gate holds the endpoint in Creating (a launcher that has not returned yet) so the test
    // can see it, and the deleting delay holds it in Deleting: one of 300 ms was over before the
    // describe after the delete was answered on a loaded machine. What comes after the delay
    // (absent, its container closed) anEndpointIsDeletedOnlyOnceItsContainerHasStarted shows.
    start(LocalSageMaker.builder()
        .creatingDelay(Duration.ZERO)
        .deletingDelay(Duration.ofHours(1))
        .container("test/gated", spec -> {
          createGate.await(20, TimeUnit.SECONDS);
          FakeContainer container = new FakeContainer();
          launched.add(container);
          return container;
        }));
    Instant created = clock.instant();
    f.createEndpoint("life", "test/gated", Map.of());

    DescribeEndpointResponse creating = f.control.describeEndpoint(r -> r.endpointName("life"));
    assertThat(creating.endpointStatus()).isEqualTo(EndpointStatus.CREATING);
    assertThat(creating.endpointArn())
        .isEqualTo("arn:aws:sagemaker:eu-central-1:123456789012:endpoint/life");
    assertThat(creating.endpointConfigName()).isEqualTo("life-config");
    assertThat(creating.creationTime()).isEqualTo(created);
    assertThat(creating.productionVariants()).isEmpty();
    assertThat(creating.failureReason()).isNull();

    clock.advance(Duration.ofMinutes(8));
    createGate.countDown();
    DescribeEndpointResponse inService = f.awaitStatus("life", EndpointStatus.IN_SERVICE);
    assertThat(inService.creationTime()).isEqualTo(created);
    assertThat(inService.lastModifiedTime()).isEqualTo(created.plus(Duration.ofMinutes(8)));
    assertThat(inService.productionVariants()).singleElement().satisfies(v -> {
      assertThat(v.variantName()).isEqualTo("AllTraffic");
      assertThat(v.currentInstanceCount()).isEqualTo(1);
      assertThat(v.desiredInstanceCount()).isEqualTo(1);
      assertThat(v.deployedImages())
          .singleElement()
          .satisfies(i -> assertThat(i.specifiedImage()).isEqualTo("test/gated"));
    });

    f.control.deleteEndpoint(r -> r.endpointName("life"));
    assertThat(f.control.describeEndpoint(r -> r.endpointName("life")).endpointStatus())
        .isEqualTo(EndpointStatus.DELETING);
    assertThat(launched)
        .as("its container, until the deleting delay is over")
        .singleElement()
        .satisfies(c -> assertThat(c.closed).isFalse());
  }

  @Test
  void injectedFailuresFailTheNextCreatesThenCreationWorksAgain() {
    start(LocalSageMaker.builder().creatingDelay(Duration.ZERO).deletingDelay(Duration.ZERO));
    f.sageMaker.failNextCreates(1, "Insufficient capacity for ml.m5.large (injected).");

    f.createEndpoint("flaky", Fixture.IMAGE, Map.of());
    DescribeEndpointResponse failed = f.awaitStatus("flaky", EndpointStatus.FAILED);
    assertThat(failed.failureReason())
        .isEqualTo("Insufficient capacity for ml.m5.large (injected).");
    assertThat(launched).isEmpty();

    f.control.deleteEndpoint(r -> r.endpointName("flaky"));
    f.awaitAbsent("flaky");
    f.control.createEndpoint(r -> r.endpointName("flaky").endpointConfigName("flaky-config"));
    assertThat(f.awaitStatus("flaky", EndpointStatus.IN_SERVICE).failureReason())
        .isNull();
  }

  @Test
  void aStalledCreateStaysCreatingAndCannotBeDeleted() throws Exception {
    start(LocalSageMaker.builder().creatingDelay(Duration.ZERO).deletingDelay(Duration.ZERO));
    f.sageMaker.stallNextCreates(1);
    f.createEndpoint("stuck", Fixture.IMAGE, Map.of());
    f.createEndpoint("fine", Fixture.IMAGE, Map.of());

    f.awaitStatus("fine", EndpointStatus.IN_SERVICE);
    assertThat(f.control.describeEndpoint(r -> r.endpointName("stuck")).endpointStatus())
        .isEqualTo(EndpointStatus.CREATING);

    assertThatThrownBy(() -> f.control.deleteEndpoint(r -> r.endpointName("stuck")))
        .isInstanceOf(SageMakerException.class)
        .hasMessageStartingWith("Cannot delete in-progress endpoint"
            + " \"arn:aws:sagemaker:eu-central-1:123456789012:endpoint/stuck\" while it is Creating;"
            + " delete it once it is InService or Failed.");
    assertThat(f.control.describeEndpoint(r -> r.endpointName("stuck")).endpointStatus())
        .isEqualTo(EndpointStatus.CREATING);
    assertThat(launched).hasSize(1);
  }

  /** A test lets an endpoint that a long creating delay holds Creating start at once; that one alone. */
  @Test
  void finishCreatingNowEndsTheCreatingDelayOfThatEndpointAlone() {
    start(LocalSageMaker.builder().creatingDelay(Duration.ofHours(1)).deletingDelay(Duration.ZERO));
    f.createEndpoint("held", Fixture.IMAGE, Map.of());
    f.createEndpoint("other", Fixture.IMAGE, Map.of());
    f.sageMaker.stallNextCreates(1);
    f.createEndpoint("stuck", Fixture.IMAGE, Map.of());

    assertThat(f.sageMaker.finishCreatingNow("held")).isTrue();
    f.awaitStatus("held", EndpointStatus.IN_SERVICE);
    assertThat(f.sageMaker.finishCreatingNow("held")).as("InService now").isFalse();
    assertThat(f.sageMaker.finishCreatingNow("stuck")).as("a stalled creation").isFalse();
    assertThat(f.sageMaker.finishCreatingNow("absent")).as("no such endpoint").isFalse();
    assertThat(f.control.describeEndpoint(r -> r.endpointName("other")).endpointStatus())
        .isEqualTo(EndpointStatus.CREATING);
    assertThat(f.control.describeEndpoint(r -> r.endpointName("stuck")).endpointStatus())
        .isEqualTo(EndpointStatus.CREATING);
    assertThat(launched).as("the container of the endpoint let go").hasSize(1);
  }

  @Test
  void aContainerThatNeverPassesPingFailsTheEndpointAndIsStopped() {
    FakeContainer sick = new FakeContainer();
    sick.pingStatus.set(503);
    start(LocalSageMaker.builder()
        .creatingDelay(Duration.ZERO)
        .pingTimeout(Duration.ofMillis(500))
        .container("test/sick", spec -> sick));

    f.createEndpoint("sick", "test/sick", Map.of());

    assertThat(f.awaitStatus("sick", EndpointStatus.FAILED).failureReason())
        .startsWith(
            "The primary container for production variant AllTraffic did not pass the ping health check."
                + " Please check CloudWatch logs for this endpoint. Local detail: no 200 from "
                + sick.baseUri()
                + "/ping within 0.5 s (GET " + sick.baseUri() + "/ping answered 503)");
    assertThat(sick.closed).isTrue();
  }

  @Test
  void aLauncherThatThrowsFailsTheEndpointWithItsMessage() {
    start(LocalSageMaker.builder().creatingDelay(Duration.ZERO).container("test/broken", spec -> {
      throw new IllegalStateException("model file /m/model.onnx is missing");
    }));

    f.createEndpoint("broken", "test/broken", Map.of());

    assertThat(f.awaitStatus("broken", EndpointStatus.FAILED).failureReason())
        .isEqualTo(
            "Failed to launch the primary container (image test/broken) for production variant AllTraffic:"
                + " model file /m/model.onnx is missing");
  }

  @Test
  void closingWhileAContainerStartsWaitsForItAndStopsIt() throws Exception {
    // A launcher an interrupt does not stop, as a native model load: close() must not return (and
    // let the JVM exit) under it.
    CountDownLatch entered = new CountDownLatch(1);
    start(LocalSageMaker.builder().creatingDelay(Duration.ZERO).container("test/native", spec -> {
      entered.countDown();
      boolean interrupted = false;
      while (createGate.getCount() > 0) {
        try {
          createGate.await();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      FakeContainer container = new FakeContainer();
      launched.add(container);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return container;
    }));
    f.createEndpoint("native", "test/native", Map.of());
    assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();

    int[] launchedWhenClosed = {-1};
    Thread closer = new Thread(() -> {
      f.close();
      launchedWhenClosed[0] = launched.size();
    });
    closer.start();
    Fixture.await(
        () -> closer.getState() == Thread.State.TIMED_WAITING
                || closer.getState() == Thread.State.TERMINATED
            ? Boolean.TRUE
            : null,
        "close() waiting or done");
    createGate.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(60));
    f = null; // closed

    assertThat(launchedWhenClosed[0])
        .as("close() returned after the starting container was launched")
        .isEqualTo(1);
    assertThat(launched).singleElement().satisfies(c -> assertThat(c.closed).isTrue());
  }

  @Test
  void anEndpointIsDeletedOnlyOnceItsContainerHasStarted() throws Exception {
    start(LocalSageMaker.builder()
        .creatingDelay(Duration.ZERO)
        .deletingDelay(Duration.ZERO)
        .container("test/gated", spec -> {
          createGate.await(20, TimeUnit.SECONDS);
          FakeContainer container = new FakeContainer();
          launched.add(container);
          return container;
        }));
    f.createEndpoint("race", "test/gated", Map.of());

    assertThatThrownBy(() -> f.control.deleteEndpoint(r -> r.endpointName("race")))
        .isInstanceOf(SageMakerException.class)
        .hasMessageContaining("while it is Creating");
    createGate.countDown();
    f.awaitStatus("race", EndpointStatus.IN_SERVICE);

    f.control.deleteEndpoint(r -> r.endpointName("race"));
    f.awaitAbsent("race");
    // Forgotten first, then its container closed, on the lifecycle's thread: waited for.
    FakeContainer container = launched.getFirst();
    Fixture.await(
        () -> container.closed ? Boolean.TRUE : null, "the deleted endpoint's container closed");
    assertThat(launched).hasSize(1);
    assertThat(f.control.listEndpoints(r -> r.nameContains("race")).endpoints()).isEmpty();
  }

  @Test
  void updateServesFromTheOldContainerUntilTheNewOneIsHealthy() throws Exception {
    start(LocalSageMaker.builder()
        .creatingDelay(Duration.ZERO)
        .deletingDelay(Duration.ZERO)
        .container("test/gated", spec -> {
          createGate.await(20, TimeUnit.SECONDS);
          FakeContainer container = new FakeContainer();
          launched.add(container);
          return container;
        }));
    f.createEndpoint("upd", Fixture.IMAGE, Map.of());
    f.awaitStatus("upd", EndpointStatus.IN_SERVICE);
    f.createEndpoint(
        "next",
        "test/gated",
        Map.of()); // creates next-model and next-config; "next" stays Creating

    f.control.updateEndpoint(r -> r.endpointName("upd").endpointConfigName("next-config"));

    DescribeEndpointResponse updating = f.control.describeEndpoint(r -> r.endpointName("upd"));
    assertThat(updating.endpointStatus()).isEqualTo(EndpointStatus.UPDATING);
    assertThat(updating.endpointConfigName()).isEqualTo("upd-config");
    assertThat(f.runtime
            .invokeEndpoint(r -> r.endpointName("upd").body(SdkBytes.fromUtf8String("x")))
            .invokedProductionVariant())
        .isEqualTo("AllTraffic");
    FakeContainer old = launched.get(0);
    assertThat(old.invocations.get()).isEqualTo(1);
    assertThatThrownBy(() ->
            f.control.updateEndpoint(r -> r.endpointName("upd").endpointConfigName("next-config")))
        .hasMessageStartingWith("Cannot update in-progress endpoint"
            + " \"arn:aws:sagemaker:eu-central-1:123456789012:endpoint/upd\".");

    createGate.countDown();
    assertThat(f.awaitStatus("upd", EndpointStatus.IN_SERVICE).endpointConfigName())
        .isEqualTo("next-config");
    Fixture.await(() -> old.closed ? Boolean.TRUE : null, "the old container to stop");
  }

  @Test
  void aFailedUpdateRollsBackToTheServingContainer() {
    start(LocalSageMaker.builder()
        .creatingDelay(Duration.ZERO)
        .deletingDelay(Duration.ZERO)
        .container("test/broken", spec -> {
          throw new IllegalStateException("cannot load model v2");
        }));
    f.createEndpoint("keep", Fixture.IMAGE, Map.of());
    f.awaitStatus("keep", EndpointStatus.IN_SERVICE);
    f.createEndpoint("v2", "test/broken", Map.of());
    f.awaitStatus("v2", EndpointStatus.FAILED);

    f.control.updateEndpoint(r -> r.endpointName("keep").endpointConfigName("v2-config"));

    DescribeEndpointResponse rolledBack = Fixture.await(
        () -> {
          DescribeEndpointResponse d = f.control.describeEndpoint(r -> r.endpointName("keep"));
          return d.failureReason() != null ? d : null;
        },
        "the update to fail");
    assertThat(rolledBack.endpointStatus()).isEqualTo(EndpointStatus.IN_SERVICE);
    assertThat(rolledBack.endpointConfigName()).isEqualTo("keep-config");
    assertThat(rolledBack.failureReason())
        .isEqualTo("Failed to launch the primary container (image test/broken)"
            + " for production variant AllTraffic: cannot load model v2");
    assertThat(f.runtime
            .invokeEndpoint(r -> r.endpointName("keep").body(SdkBytes.fromUtf8String("x")))
            .body()
            .asUtf8String())
        .contains("\"bytes\":1");
    assertThatThrownBy(() ->
            f.control.updateEndpoint(r -> r.endpointName("v2").endpointConfigName("keep-config")))
        .hasMessageStartingWith(
            "Cannot update failed endpoint \"arn:aws:sagemaker:eu-central-1:123456789012:endpoint/v2\";"
                + " DeleteEndpoint is the only operation that can be performed on a failed endpoint.");
  }

  @Test
  void delaysChangedAtRunTimeApplyToEndpointsCreatedAfterwards() {
    start(LocalSageMaker.builder().creatingDelay(Duration.ZERO).deletingDelay(Duration.ZERO));
    f.sageMaker.delays(Duration.ofHours(1), Duration.ZERO);
    f.createEndpoint("slow", Fixture.IMAGE, Map.of());
    f.sageMaker.delays(Duration.ZERO, Duration.ZERO);
    f.createEndpoint("quick", Fixture.IMAGE, Map.of());

    f.awaitStatus("quick", EndpointStatus.IN_SERVICE);

    assertThat(f.control.describeEndpoint(r -> r.endpointName("slow")).endpointStatus())
        .isEqualTo(EndpointStatus.CREATING);
    assertThatThrownBy(() -> f.sageMaker.delays(Duration.ofSeconds(-1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("creating delay must be zero or positive, was PT-1S");
  }

  @Test
  void theSdkWaitersSeeTheLifeCycle() {
    start(LocalSageMaker.builder()
        .creatingDelay(Duration.ofMillis(200))
        .deletingDelay(Duration.ofMillis(200)));
    WaiterOverrideConfiguration fast = WaiterOverrideConfiguration.builder()
        .backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(50)))
        .maxAttempts(400)
        .build();
    DescribeEndpointRequest waited =
        DescribeEndpointRequest.builder().endpointName("waited").build();
    f.createEndpoint("waited", Fixture.IMAGE, Map.of());

    var inService = f.control.waiter().waitUntilEndpointInService(waited, fast);
    assertThat(inService.matched().response())
        .hasValueSatisfying(
            d -> assertThat(d.endpointStatus()).isEqualTo(EndpointStatus.IN_SERVICE));

    f.control.deleteEndpoint(r -> r.endpointName("waited"));
    var deleted = f.control.waiter().waitUntilEndpointDeleted(waited, fast);
    assertThat(deleted.matched().exception())
        .hasValueSatisfying(e -> assertThat(e).hasMessageStartingWith("Could not find endpoint"));
  }
}
