package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What README says of the wake's plan, from WakePolicy. */
class WakePolicyTest {

  /** README's latency budget gives the first batch's own time beyond the batching window as WakePolicy keeps it. */
  @Test
  void readmeQuotesTheFirstBatchsOwnTime() throws IOException {
    String readme = Files.readString(Path.of("README.md")).replaceAll("\\s+", " ");
    assertThat(readme)
        .contains("a backlog under a batch waits all of it) and "
            + WakePolicy.FIRST_BATCH.toSeconds() + " s for Classify's first invocation");
  }
}
