package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.StateFile;
import offhours.testing.StubHttpServer;
import offhours.testing.StubHttpServer.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;

/**
 * {@code offhours trace} without AWS: what it refuses before it lists, and a bucket that does not exist, on a stub S3;
 * the listing is {@code TraceCommandIT}'s.
 */
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
            "offhours: --days needs a whole number from 1 to 365 in digits 0-9, got '1.5'; see"
                + " 'offhours trace --help'\n");
    assertThat(CliRun.offline(cache, "trace", "--bucket", " ").err())
        .isEqualTo("offhours: --bucket needs a bucket name; see 'offhours trace --help'\n");
  }

  /**
   * A bucket that does not exist is said as every command says one: the stack's naming the output it came from and
   * what to do, --bucket's as given, with what to check (it has no stack output); trace said "bucket X does not exist;
   * check its name" for both, in words of its own.
   */
  @Test
  void aBucketThatDoesNotExistIsSaidAsEveryCommandSaysOneGivenOrTheStacks() throws IOException {
    try (StubHttpServer s3 = StubHttpServer.start(request -> new Reply(
        404,
        Map.of("Content-Type", "application/xml"),
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchBucket</Code>"
                + "<Message>The specified bucket does not exist</Message></Error>")
            .getBytes(StandardCharsets.UTF_8)))) {
      CliRun given = CliRun.run(
          cache,
          CliRun.CLOCK,
          () -> AwsClients.local(Region.US_EAST_1, Map.of(Service.S3, s3.uri())),
          List.of(new TraceCommand()),
          "trace",
          "--bucket",
          "no-such-bucket");
      assertThat(given.exitCode()).isEqualTo(1);
      assertThat(given.out()).isEmpty();
      assertThat(given.err())
          .isEqualTo(
              "offhours: bucket no-such-bucket (given to --bucket) does not exist; check that --bucket"
                  + " names the bucket you mean\n");

      TestStateFiles.state(ProcessHandle.current().pid(), TestStateFiles.endpoints(s3.uri()))
          .write(StateFile.path(cache));
      CliRun stacks = CliRun.run(
          cache,
          CliRun.CLOCK,
          () -> {
            throw new AssertionError("the local stack's clients, not the user's");
          },
          List.of(new TraceCommand()),
          "trace");
      assertThat(stacks.exitCode()).isEqualTo(1);
      assertThat(stacks.err())
          .isEqualTo(
              "offhours: bucket offhours-images (BucketName of the local stack) does not exist; restart"
                  + " the local stack ('scripts/offhours local stop', then 'scripts/offhours local start'), which"
                  + " creates its bucket again\n");
    }
  }

  /** The header's period is in whole seconds, as every command prints an instant, not the clock's nanoseconds. */
  @Test
  void thePeriodIsSaidInWholeSecondsEndingAtTheSecondAfterTheCommandsStart() throws IOException {
    try (StubHttpServer s3 = StubHttpServer.start(request -> new Reply(
        200,
        Map.of("Content-Type", "application/xml"),
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListVersionsResult"
                + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>photos</Name>"
                + "<IsTruncated>false</IsTruncated><Version><Key>cat.jpg</Key><VersionId>v1</VersionId>"
                + "<IsLatest>true</IsLatest><LastModified>2026-11-30T13:49:58.100Z</LastModified>"
                + "<ETag>\"e\"</ETag><Size>1</Size><StorageClass>STANDARD</StorageClass></Version>"
                + "</ListVersionsResult>")
            .getBytes(StandardCharsets.UTF_8)))) {
      CliRun run = CliRun.run(
          cache,
          Clock.fixed(Instant.parse("2026-11-30T13:49:58.585071828Z"), ZoneOffset.UTC),
          () -> AwsClients.local(Region.US_EAST_1, Map.of(Service.S3, s3.uri())),
          List.of(new TraceCommand()),
          "trace",
          "--bucket",
          "photos",
          "--days",
          "7");

      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(run.outLines())
          .contains(
              "# period: 2026-11-23T13:49:59Z to 2026-11-30T13:49:59Z (the last 7 days)",
              "2026-11-30T13:49:58.100Z");
    }
  }
}
