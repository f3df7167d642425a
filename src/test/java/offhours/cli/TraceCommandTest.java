package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code offhours trace} without AWS: what it refuses before it lists; the listing is {@code TraceCommandIT}'s. */
class TraceCommandTest {

  @TempDir
  Path cache;

  @Test
  void withoutARegionTheMessageNamesBucketAndPrintsNothing() {
    CliRun run = CliRun.run(
        cache,
        CliRun.CLOCK,
        () -> {
          throw CliException.failure(Targets.NO_REGION);
        },
        List.of(new TraceCommand()),
        "trace",
        "--bucket",
        "photos");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo("offhours: --bucket needs the bucket's AWS region and none is set: export"
            + " AWS_DEFAULT_REGION=REGION (or AWS_REGION), or run 'aws configure'\n");
  }

  @Test
  void aBadDaysOrAnEmptyBucketIsAUsageErrorBeforeAnyClientIsBuilt() {
    assertThat(CliRun.offline(cache, "trace", "--days", "1.5").err())
        .isEqualTo(
            "offhours: --days needs a positive whole number in digits 0-9, got '1.5'; see 'offhours trace"
                + " --help'\n");
    assertThat(CliRun.offline(cache, "trace", "--bucket", " ").err())
        .isEqualTo("offhours: --bucket needs a bucket name; see 'offhours trace --help'\n");
  }
}
