// Needs moto_server on the PATH (or in ~/.pyenv/shims), and node/npm for the first conversion of
// the default model into
// the shared cache (the user's offhours cache, see StackFixture.sharedCache).
package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import offhours.results.ResultItem;
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
  private static final Map<String, String> OFF_UNLESS_STARTED =
      Map.of("WORKING_HOURS", "", "WAKE_BACKLOG_MESSAGES", "0");
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final String COMPONENT_LINE = "inference component offhours-component: ";

  @TempDir
  Path cliCache;

  @Test
  void uploadsWaitWhileAsleepAreClassifiedOnceAfterTheWakeAndTheEndpointStaysWhenTheCopiesGo()
      throws Exception {
    LocalDeployment.Options options = StackFixture.options(
            Duration.ofSeconds(2), OFF_UNLESS_STARTED)
        .withModelSettings(Map.of("HOSTING", "scale-to-zero"));
    try (StackFixture f = StackFixture.start(options)) {
      LocalCli cli = new LocalCli(f.stack, cliCache);
      List<Path> images;
      try (var files = Files.list(StackFixture.DEMO_IMAGES)) {
        images = files
            .filter(p -> !p.getFileName().toString().endsWith(".md"))
            .sorted()
            .toList();
      }
      int n = images.size();
      for (Path image : images) {
        f.upload(image.getFileName().toString(), image);
      }
      f.await(
          n + " notifications visible in the queue", DEADLINE, () -> f.queue().visible() == n);
      for (int run = 0; run < 3; run++) {
        JsonNode decision = f.reconcile();
        assertThat(decision.get("want").asText())
            .as("controller run %d while off: %s", run, decision)
            .isEqualTo("OFF");
        assertThat(decision.get("action").asText())
            .as("controller run %d while off: %s", run, decision)
            .isEqualTo("NONE");
      }
      assertThat(f.results()).as("results while nothing serves").isEmpty();
      assertThat(f.queue())
          .as("the queue while nothing serves")
          .isEqualTo(new StackFixture.Queue(n, 0, 0, 0));
      assertThat(f.consumer().delivered())
          .as("messages the consumer received while off")
          .isZero();
      assertThat(status(cli))
          .as("endpoint status before the first wake")
          .contains(
              "hosting: scale-to-zero (the endpoint stays; the controller switches the inference"
                  + " component's copies)\n",
              COMPONENT_LINE + "absent (nothing answers; uploads wait in the queue until the"
                  + " controller creates it)\n");

      f.override("start");
      f.await(
          "a result for each of the " + n + " uploads",
          DEADLINE,
          () -> f.results().size() == n);
      f.await("an empty queue", DEADLINE, () -> f.queue().total() == 0);
      List<ResultItem> results = f.results();
      assertThat(results)
          .extracting(ResultItem::key)
          .containsExactlyInAnyOrderElementsOf(
              images.stream().map(p -> p.getFileName().toString()).toList());
      assertThat(results)
          .allSatisfy(
              r -> assertThat(r.attempts()).as("attempts of %s", r.key()).isEqualTo(1));
      assertThat(results)
          .filteredOn(r -> r.status() == ResultItem.Verdict.CLASSIFIED)
          .extracting(ResultItem::key)
          .as("the real photos are classified by the default model through the component")
          .contains("chelsea.png", "coffee.png", "horse.png", "rocket.jpg");
      assertThat(f.queue().dlq()).as("DLQ after the drain").isZero();
      assertThat(f.consumer().failed()).as("batch item failures").isZero();
      assertThat(f.componentStatus()).isEqualTo("InService 1/1 copies, 1 instances");
      assertThat(status(cli))
          .as("endpoint status once awake")
          .startsWith("endpoint offhours-endpoint: InService since ")
          .contains(COMPONENT_LINE + "InService, 1 of 1 copies (1 copy serving)\n")
          .as("the controller's wake times as numbers, not the SDK's toString")
          .containsPattern("wakeToPollingSeconds=\\[\\d+(, \\d+)*\\]");
      JsonNode awake = statusJson(cli);
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
      assertThat(status(cli))
          .as("endpoint status asleep: the endpoint is InService, nothing answers")
          .startsWith("endpoint offhours-endpoint: InService since ")
          .contains(COMPONENT_LINE + "InService, 0 of 0 copies (0 copies: nothing answers;"
              + " uploads wait in the queue)\n");
      JsonNode asleep = statusJson(cli);
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

  private static String status(LocalCli cli) {
    LocalCli.Ran run = cli.run("endpoint", "status");
    assertThat(run.exitCode()).as(run.err()).isZero();
    return run.out();
  }

  private static JsonNode statusJson(LocalCli cli) throws IOException {
    LocalCli.Ran run = cli.run("endpoint", "status", "--json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    return new ObjectMapper().readTree(run.out());
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
