// Needs moto_server on the PATH (or in ~/.pyenv/shims), and node/npm for the first conversion of
// the default model into the user's offhours cache, which the stacks' own cache links to (see
// StackFixture.cache).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import offhours.testing.FunctionLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosting scale-to-zero against the whole local stack (moto_server, the local SageMaker with inference components, the
 * local Lambda and the real controller on a 1 s timer): while the component has no copy, uploads wait in SQS without
 * spending their receive count; a start creates the endpoint once and the component, and every upload is classified
 * once; a stop puts the copies (and the instances) to 0 while the endpoint stays; the next start wakes the same
 * endpoint; {@code offhours endpoint status} tells the component's copies at each step, though the endpoint is
 * InService throughout. A start while a stop is half done (copies at 0, the instances not yet removed by managed
 * instance scaling) sets the copies back on those instances at once: the controller's log shows that step, never a
 * wait for the instances to go. Every assertion reads the results table, the queues, the local SageMaker over the wire
 * or the controller's log.
 */
class ScaleToZeroLifecycleIT {
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final Duration CREATING = Duration.ofSeconds(2);
  /** Local mode's deleting delay, which the instances of a component with no copy outlast it by. */
  private static final Duration DELETING = DeploymentWiring.DELETING_DELAY;
  /** An endpoint's creating delay longer than the whole test: the test ends it (finishCreatingNow). */
  private static final Duration HELD_CREATING = Duration.ofHours(1);
  /**
   * How long the instances outlast the copies in the half-done stop: longer than the whole test, so the upload and the
   * start made in between are awaited as events, never raced against the instances' removal however slow the machine.
   */
  private static final Duration INSTANCES_LINGER = Duration.ofHours(1);

  private static final String COMPONENT_LINE = "inference component offhours-component: ";
  private static final String RESUME_WHY =
      "copies at 0 on instances not yet removed; setting them back wakes it on those";

  @TempDir
  Path cliCache;

  @Test
  void uploadsWaitWhileAsleepAreClassifiedOnceAfterTheWakeAndTheEndpointStaysWhenTheCopiesGo()
      throws Exception {
    LocalDeployment.Options options = StackFixture.options(
            CREATING, StackFixture.OFF_UNLESS_STARTED)
        .withModelSettings(Map.of("HOSTING", "scale-to-zero"));
    try (StackFixture f = StackFixture.start(options)) {
      LocalCli cli = new LocalCli(f.stack, cliCache);
      List<Path> images = StackFixture.demoImages();
      int n = images.size();
      for (Path image : images) {
        f.upload(image.getFileName().toString(), image);
      }
      f.assertUploadsWaitWhileOff(n, DEADLINE);
      assertThat(cli.out("endpoint", "status"))
          .as("endpoint status before the first wake")
          .contains(
              "hosting: scale-to-zero (the endpoint stays; the controller switches the inference"
                  + " component's copies)\n",
              COMPONENT_LINE + "absent (nothing answers; uploads wait in the queue until the"
                  + " controller creates it)\n");

      f.override("start");
      StackFixture.assertEachDemoImageClassifiedOnce(f.awaitEachResult(n, DEADLINE), images);
      f.assertNoDeadLetterNorFailure("after the drain");
      assertThat(f.componentStatus()).isEqualTo("InService 1/1 copies, 1 instances");
      assertThat(cli.out("endpoint", "status"))
          .as("endpoint status once awake")
          .startsWith("endpoint offhours-endpoint: InService since ")
          .contains(COMPONENT_LINE + "InService, 1 of 1 copies (1 copy serving)\n")
          .as("the controller's wake times as numbers, not the SDK's toString")
          .containsPattern("wakeToPollingSeconds=\\[\\d+(, \\d+)*\\]");
      JsonNode awake = cli.json("endpoint", "status", "--json");
      assertThat(awake.get("hosting").asText()).isEqualTo("scale-to-zero");
      assertThat(awake.get("inferenceComponent").get("currentCopies").asInt()).isEqualTo(1);
      assertThat(awake.get("inferenceComponent").get("desiredCopies").asInt()).isEqualTo(1);

      f.override("stop");
      f.await(
          "no copy and no instance left",
          DEADLINE,
          () -> f.componentStatus().equals("InService 0/0 copies, 0 instances"));
      assertThat(f.endpointStatus()).as("the endpoint stays").isEqualTo("InService");
      f.await(
          "the controller sees it asleep (no copy: ABSENT, nothing to do)",
          DEADLINE,
          () -> asleep(f));
      assertThat(cli.out("endpoint", "status"))
          .as("endpoint status asleep: the endpoint is InService, nothing answers")
          .startsWith("endpoint offhours-endpoint: InService since ")
          .contains(COMPONENT_LINE + "InService, 0 of 0 copies (0 copies: nothing answers;"
              + " uploads wait in the queue)\n");
      JsonNode asleep = cli.json("endpoint", "status", "--json");
      assertThat(asleep.get("status").asText()).isEqualTo("InService");
      assertThat(asleep.get("inferenceComponent").get("currentCopies").asInt()).isZero();
      assertThat(asleep.get("inferenceComponent").get("meaning").asText())
          .isEqualTo("0 copies: nothing answers; uploads wait in the queue");

      f.upload("late.png", images.getFirst());
      f.await("the late upload visible", DEADLINE, () -> f.queue().visible() == 1);
      assertThat(f.results()).hasSize(n);
      Instant wokenFromSleep = Instant.now();
      f.override("start");
      f.await(
          "the late upload classified after the wake",
          DEADLINE,
          () -> f.results().size() == n + 1);
      assertThat(f.results())
          .filteredOn(r -> r.key().equals("late.png"))
          .singleElement()
          .satisfies(r -> assertThat(r.attempts()).isEqualTo(1));
      assertThat(f.queue().dlq()).isZero();
      long[] startsAndStops = f.ledgerStartsAndStops();
      assertThat(startsAndStops[1]).as("stops in the ledger (copies set to 0)").isEqualTo(1);

      wakeWhileTheInstancesOutlastTheCopies(f, images.getFirst(), n + 2);
      assertTwoWakesLearnedEachShorterThanTheComponentsAge(
          cli, Duration.between(componentCreated(f), wokenFromSleep));
    }
  }

  /**
   * A stop while the endpoint is being created, before its component exists: the endpoint comes up with its
   * InitialInstanceCount instance, which SageMaker keeps while no component is on it, so the controller creates the
   * component with 0 copies rather than wait, and the instance goes; the controller then sees it asleep. The endpoint
   * is held Creating until the stop is made, whatever the machine's speed, then comes up at once; the component it
   * creates then takes the short creating delay.
   */
  @Test
  void aStopBeforeTheComponentExistsCreatesItWithNoCopySoTheInstancesGo() throws Exception {
    LocalDeployment.Options options = StackFixture.options(
            HELD_CREATING, StackFixture.OFF_UNLESS_STARTED)
        .withModelSettings(Map.of("HOSTING", "scale-to-zero"));
    try (StackFixture f = StackFixture.start(options)) {
      try (FunctionLog log = new FunctionLog(LocalDeployment.CONTROLLER_FUNCTION)) {
        assertThat(f.override("start").get("action").asText()).isEqualTo("CREATE_ENDPOINT");
        f.override("stop");
        f.stack.services().sageMaker().delays(CREATING, DELETING);
        assertThat(
                f.stack.services().sageMaker().finishCreatingNow(f.stack.names().endpoint()))
            .as("the stack's endpoint, held Creating until the stop")
            .isTrue();
        f.await(
            "the component with no copy, its instance gone",
            DEADLINE,
            () -> f.componentStatus().equals("InService 0/0 copies, 0 instances"));
        f.await("the controller sees it asleep", DEADLINE, () -> asleep(f));
        assertThat(log.lines())
            .as("the controller's runs")
            .anySatisfy(run -> assertThat(run)
                .contains("-> DELETE_ENDPOINT: stop: instances without an inference component"));
      }
      assertThat(f.endpointStatus()).as("the endpoint stays").isEqualTo("InService");
      assertThat(f.results()).isEmpty();
    }
  }

  /**
   * A stop, and a start while its second half runs (copies at 0 and settled, the instance not yet removed): the
   * controller sets the copies back on that instance at once, and the upload made meanwhile is classified; the
   * component is the same one, and no run saw it ABSENT nor waited for the instances to go.
   */
  private static void wakeWhileTheInstancesOutlastTheCopies(
      StackFixture f, Path image, int resultsAfter) throws InterruptedException {
    Instant componentCreated = componentCreated(f);
    f.stack.services().sageMaker().delays(CREATING, CREATING, INSTANCES_LINGER);
    try (FunctionLog log = new FunctionLog(LocalDeployment.CONTROLLER_FUNCTION)) {
      f.override("stop");
      f.await(
          "copies at 0 while the instance is still up (DescribeEndpoint)",
          DEADLINE,
          () -> f.componentStatus().equals("InService 0/0 copies, 1 instances"));
      f.upload("resumed.png", image);
      f.await("the upload visible", DEADLINE, () -> f.queue().visible() == 1);
      f.override("start");
      f.await(
          "the upload classified after the wake on the instance still up",
          DEADLINE,
          () -> f.results().size() == resultsAfter);

      List<String> runs = log.lines();
      assertThat(runs)
          .as("the controller's runs from the stop to the result")
          .anySatisfy(run -> assertThat(run)
              .contains("; endpoint DELETING, ")
              .contains("-> CREATE_ENDPOINT: " + RESUME_WHY + " [ok]"))
          .noneSatisfy(run -> assertThat(run).contains("endpoint deleting; create once it is gone"))
          .noneSatisfy(run -> assertThat(run).contains("; endpoint ABSENT, "));
    }
    assertThat(f.results())
        .filteredOn(r -> r.key().equals("resumed.png"))
        .singleElement()
        .satisfies(r -> assertThat(r.attempts()).isEqualTo(1));
    f.assertNoDeadLetterNorFailure("after the wake on the instance still up");
    assertThat(f.componentStatus()).isEqualTo("InService 1/1 copies, 1 instances");
    assertThat(componentCreated(f))
        .as("the same component woke: none deleted nor created")
        .isEqualTo(componentCreated);
    assertThat(f.ledgerStartsAndStops()[1]).as("stops in the ledger").isEqualTo(2);
  }

  /**
   * The wakes the controller learned: the first (the component created) and the wake from sleep (copies set back on
   * no instance), each from the run that issued it, though the component's CreationTime is the first deployment's: a
   * wake measured from that would be longer than the component's age when it was woken from sleep ({@code
   * ageAtWake}). The resume on the instance still up is no wake and is not learned.
   */
  private static void assertTwoWakesLearnedEachShorterThanTheComponentsAge(
      LocalCli cli, Duration ageAtWake) {
    JsonNode wake = cli.json("endpoint", "status", "--json").get("outlook").get("expectedWake");
    assertThat(wake.get("wakes").asInt()).as(wake.toString()).isEqualTo(2);
    assertThat(wake.get("seconds").asLong())
        .as("the slower of the two wakes, against the component's age at the wake from sleep")
        .isLessThan(ageAtWake.toSeconds());
  }

  private static Instant componentCreated(StackFixture f) {
    return f.sageMaker
        .describeInferenceComponent(
            r -> r.inferenceComponentName(FunctionEnvironments.INFERENCE_COMPONENT))
        .creationTime();
  }

  private static boolean asleep(StackFixture f) {
    try {
      JsonNode d = f.reconcile();
      return d.get("endpoint").asText().equals("ABSENT")
          && d.get("action").asText().equals("NONE");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
