// Needs moto_server on the PATH (or in ~/.pyenv/shims), and node/npm for the first conversion of
// the default model into
// the shared cache (the user's offhours cache, see StackFixture.sharedCache).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosting scale-to-zero against the whole local stack (moto_server, the local SageMaker with inference components, the
 * local Lambda and the real controller on a 1 s timer): while the component has no copy, uploads wait in SQS without
 * spending their receive count; a start creates the endpoint once and the component, and every upload is classified
 * once; a stop puts the copies (and the instances) to 0 while the endpoint stays; the next start wakes the same
 * endpoint; {@code offhours endpoint status} tells the component's copies at each step, though the endpoint is
 * InService throughout. Every assertion reads the results table, the queues or the local SageMaker over the wire.
 */
class ScaleToZeroLifecycleIT {
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final String COMPONENT_LINE = "inference component offhours-component: ";

  @TempDir
  Path cliCache;

  @Test
  void uploadsWaitWhileAsleepAreClassifiedOnceAfterTheWakeAndTheEndpointStaysWhenTheCopiesGo()
      throws Exception {
    LocalDeployment.Options options = StackFixture.options(
            Duration.ofSeconds(2), StackFixture.OFF_UNLESS_STARTED)
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
    }
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
