package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import offhours.endpoint.sim.TraceFile;
import offhours.testing.AwsServicesExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Needs moto_server (started by {@link AwsServicesExtension}): {@code offhours trace} lists a versioned bucket of the
 * local stack ({@link OnMotoStack}) and one named with {@code --bucket}, with the command's clock set so that the period
 * holds some of the uploads and not others.
 */
class TraceCommandIT extends OnMotoStack {

  @TempDir
  Path dir;

  /** The first LastModified of the uploads made for the period: the period starts there. */
  private Instant first;

  @BeforeEach
  void uploadsBeforeAndInThePeriod() throws InterruptedException {
    moto.s3.putBucketVersioning(r -> r.bucket(moto.bucket)
        .versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
    put("cats/early.jpg");
    // LastModified has a resolution of a second: the uploads below come at least one later.
    Thread.sleep(1_100);
    put("cats/tom.jpg");
    put("cats/tom.jpg"); // overwritten: two versions, two uploads
    put("cats/gone.png");
    moto.s3.deleteObject(r -> r.bucket(moto.bucket).key("cats/gone.png")); // a delete marker
    put("cats/notes.txt");
    put("dogs/rex.png"); // under another prefix
    first = versions().stream()
        .filter(v -> !v.key().equals("cats/early.jpg"))
        .map(ObjectVersion::lastModified)
        .min(Comparator.naturalOrder())
        .orElseThrow();
  }

  private void put(String key) {
    moto.s3.putObject(r -> r.bucket(moto.bucket).key(key), RequestBody.fromBytes(new byte[] {1}));
  }

  private List<ObjectVersion> versions() {
    return moto.s3.listObjectVersions(r -> r.bucket(moto.bucket)).versions();
  }

  private List<Instant> lastModified(String... keys) {
    return versions().stream()
        .filter(v -> List.of(keys).contains(v.key()))
        .map(ObjectVersion::lastModified)
        .sorted()
        .toList();
  }

  /** A day after the period's first upload: {@code --days 1} starts there. */
  private Clock dayAfterFirst() {
    return Clock.fixed(first.plus(Duration.ofDays(1)), ZoneOffset.UTC);
  }

  @Test
  void
      theLocalStacksBucketUnderAPrefixGivesEachVersionOfAnImageKeyInThePeriodOldestFirstAndNoKey() {
    CliRun run = moto.run(dayAfterFirst(), "trace", "--prefix", "cats/", "--days", "1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(TraceFile.parse("trace", run.outLines()))
        .isEqualTo(lastModified("cats/tom.jpg", "cats/gone.png"))
        .hasSize(3);
    assertThat(run.outLines().stream().filter(l -> l.startsWith("#")))
        .contains(
            "# offhours trace: uploads to bucket " + moto.bucket + ", prefix 'cats/', that the"
                + " pipeline classifies (keys ending .jpg, .jpeg, .png in any case)",
            "# period: " + first + " to " + first.plus(Duration.ofDays(1)) + " (the last 1 day)",
            "# 3 uploads: the LastModified of each object version, an overwritten key once per"
                + " version",
            "# listed 5 object versions; left out: 1 delete marker (not uploads), 1 version of keys"
                + " the pipeline does not classify (not .jpg, .jpeg, .png), 1 upload before the period");
    // Keys are the bucket's users' words: none is printed, so none needs escaping.
    assertThat(run.out()).doesNotContain("tom", "gone", "early", "notes", "rex");
  }

  @Test
  void aNamedBucketIsTracedWithTheUsersCredentialsAndEveryPrefix() {
    CliRun run = moto.run(dayAfterFirst(), "trace", "--bucket", moto.bucket, "--days", "1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(TraceFile.parse("trace", run.outLines()))
        .isEqualTo(lastModified("cats/tom.jpg", "cats/gone.png", "dogs/rex.png"));
  }

  @Test
  void theReadmesPipelineSimulatesEveryHostingOptionOnTheTrace() throws IOException {
    // scripts/offhours trace --bucket my-photos --days 7 > week.txt && scripts/offhours simulate
    // ...
    CliRun trace = moto.run(dayAfterFirst(), "trace", "--bucket", moto.bucket, "--days", "7");
    assertThat(trace.exitCode()).as(trace.err()).isZero();
    Path week = Files.writeString(dir.resolve("week.txt"), trace.out());

    CliRun compare = moto.run("simulate", "--trace-file", week.toString(), "--compare");

    assertThat(compare.exitCode()).as(compare.err()).isZero();
    assertThat(compare.out())
        .startsWith("5 uploads of '" + week + "'")
        .contains("always on", "offhours, budget 60 min", "serverless", "batch transform");
  }

  @Test
  void aPeriodWithoutUploadsPrintsNothingAndFails() {
    Clock later = Clock.fixed(first.plus(Duration.ofDays(30)), ZoneOffset.UTC);

    CliRun run = moto.run(later, "trace", "--days", "7");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("offhours: no uploads to s3://" + moto.bucket + "/ from ")
        .contains("(the last 7 days), nothing to simulate: listed 6 object versions; left out: 1"
            + " delete marker (not uploads), 1 version of keys the pipeline does not classify (not"
            + " .jpg, .jpeg, .png), 5 uploads before the period");
  }

  @Test
  void aMissingBucketABadDaysAndBothBucketAndStackAreRefusedClearly() {
    CliRun missing = moto.run("trace", "--bucket", "no-such-bucket-" + moto.suffix);
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.out()).isEmpty();
    assertThat(missing.err())
        .isEqualTo("offhours: bucket no-such-bucket-" + moto.suffix
            + " (given to --bucket) does not exist;"
            + " check that --bucket names the bucket you mean\n");

    assertThat(moto.run("trace", "--days", "0").err())
        .isEqualTo("offhours: --days needs a whole number from 1 to 365 in digits 0-9, got '0'; see"
            + " 'offhours trace --help'\n");
    assertThat(moto.run("trace", "--days", "366").err())
        .isEqualTo("offhours: --days must be at most 365, got 366; see 'offhours trace --help'\n");
    CliRun both = moto.run("trace", "--bucket", moto.bucket, "--stack", "prod");
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).startsWith("offhours: give --bucket or --stack, not both");
  }
}
