package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemakerruntime.model.InternalFailureException;
import software.amazon.awssdk.services.sagemakerruntime.model.InvokeEndpointResponse;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;
import software.amazon.awssdk.services.sagemakerruntime.model.ServiceUnavailableException;

/**
 * The chaos run's faults in the local SageMaker: a burst of runtime errors (and how many were answered), a crashed
 * container replaced, and calls held at the service.
 */
class InjectedFaultsTest {

  private final List<FakeContainer> launched = new CopyOnWriteArrayList<>();
  private final CountDownLatch replacementMayStart = new CountDownLatch(1);
  private final Fixture f = new Fixture(LocalSageMaker.builder()
      .creatingDelay(Duration.ZERO)
      .deletingDelay(Duration.ZERO)
      .container(Fixture.IMAGE, spec -> {
        if (!launched.isEmpty()) {
          replacementMayStart.await(20, TimeUnit.SECONDS);
        }
        FakeContainer c = new FakeContainer();
        launched.add(c);
        return c;
      }));

  @AfterEach
  void close() {
    replacementMayStart.countDown();
    f.close();
    launched.forEach(FakeContainer::close);
  }

  private InvokeEndpointResponse invoke(String endpoint) {
    return f.runtime.invokeEndpoint(r -> r.endpointName(endpoint)
        .contentType("application/x-image")
        .body(SdkBytes.fromString("x", StandardCharsets.UTF_8)));
  }

  @Test
  void aBurstAnswersItsErrorExactlyAsOftenAsAskedThenTheContainerAnswersAgain() {
    f.createEndpoint("burst", Fixture.IMAGE, Map.of());
    f.awaitStatus("burst", EndpointStatus.IN_SERVICE);

    f.sageMaker.failNextInvocations(2, 500, "InternalFailure", "injected");

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> invoke("burst"))
          .isInstanceOfSatisfying(
              InternalFailureException.class,
              e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("injected"));
    }
    assertThat(invoke("burst").body().asUtf8String()).contains("\"bytes\":1");
    assertThat(launched.getFirst().invocations).hasValue(1);
    assertThat(f.sageMaker.injectedErrorsAnswered()).isEqualTo(2);
  }

  @Test
  void aBurstReplacedBeforeItWasAnsweredCountsOnlyTheErrorsAnswered() {
    f.createEndpoint("replaced", Fixture.IMAGE, Map.of());
    f.awaitStatus("replaced", EndpointStatus.IN_SERVICE);

    f.sageMaker.failNextInvocations(5, 503, "ServiceUnavailable", "first");
    assertThatThrownBy(() -> invoke("replaced")).isInstanceOf(ServiceUnavailableException.class);
    f.sageMaker.failNextInvocations(1, 500, "InternalFailure", "second");
    assertThatThrownBy(() -> invoke("replaced")).isInstanceOf(InternalFailureException.class);
    invoke("replaced");

    assertThat(f.sageMaker.injectedErrorsAnswered()).isEqualTo(2);
  }

  @Test
  void aHeldInvocationWaitsAtTheServiceUntilTheHoldIsReleased() throws Exception {
    f.createEndpoint("held", Fixture.IMAGE, Map.of());
    f.awaitStatus("held", EndpointStatus.IN_SERVICE);
    CompletableFuture<InvokeEndpointResponse> answer;
    try (InvocationHold hold = f.sageMaker.holdInvocations()) {
      assertThatThrownBy(f.sageMaker::holdInvocations)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("invocations are held already");
      answer = CompletableFuture.supplyAsync(() -> invoke("held"));
      Fixture.await(() -> hold.waiting() == 1 ? true : null, "the call waiting at the hold");
      assertThat(answer).isNotDone();
      assertThat(launched.getFirst().invocations).hasValue(0);
    }
    assertThat(answer.get(20, TimeUnit.SECONDS).body().asUtf8String()).contains("\"bytes\":1");
    assertThat(launched.getFirst().invocations).hasValue(1);
    invoke("held"); // released: the calls from now on pass
    assertThat(launched.getFirst().invocations).hasValue(2);
  }

  @Test
  void throttlingIsAnsweredWithTheCodeTheSdkTakesForThrottling() {
    f.createEndpoint("throttled", Fixture.IMAGE, Map.of());
    f.awaitStatus("throttled", EndpointStatus.IN_SERVICE);

    f.sageMaker.failNextInvocations(1, 400, "ThrottlingException", "Rate exceeded");

    assertThatThrownBy(() -> invoke("throttled"))
        .isInstanceOfSatisfying(
            SageMakerRuntimeException.class,
            e -> assertThat(e.isThrottlingException()).isTrue());
  }

  @Test
  void aCrashedContainerIsStoppedAndReplacedWhileTheEndpointStaysInService() throws Exception {
    f.createEndpoint("crashy", Fixture.IMAGE, Map.of());
    f.awaitStatus("crashy", EndpointStatus.IN_SERVICE);

    assertThat(f.sageMaker.crashContainer("crashy", Duration.ZERO)).isTrue();

    assertThat(launched.getFirst().closed).isTrue();
    assertThatThrownBy(() -> invoke("crashy")).isInstanceOf(ServiceUnavailableException.class);
    assertThat(f.control.describeEndpoint(r -> r.endpointName("crashy")).endpointStatus())
        .isEqualTo(EndpointStatus.IN_SERVICE);
    replacementMayStart.countDown();
    Fixture.await(() -> launched.size() == 2 ? true : null, "a replacement container");
    Fixture.await(
        () -> {
          try {
            return invoke("crashy");
          } catch (ServiceUnavailableException notYet) {
            return null;
          }
        },
        "the replacement answering");
    assertThat(launched.get(1).invocations).hasValue(1);
  }

  @Test
  void anEndpointWithoutARunningContainerHasNothingToCrash() {
    assertThat(f.sageMaker.crashContainer("absent", Duration.ZERO)).isFalse();
  }
}
