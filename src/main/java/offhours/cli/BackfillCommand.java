package offhours.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import offhours.cli.Target.Name;
import offhours.results.ResultsTable;
import offhours.stack.StackSpec;
import offhours.units.Decimals;
import offhours.units.Plurals;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code offhours backfill s3://BUCKET/PREFIX}: classifies objects that were in the bucket before the stack's
 * notification existed, by sending the queue the notification S3 would have sent for each object's current version.
 */
final class BackfillCommand implements Command {

  static final String ORIGIN = "offhours-backfill";
  private static final double DEFAULT_RATE = 10;
  /**
   * The slowest and the fastest --rate: one send in 100 seconds, and a pace no listing feeds (each send is one SQS
   * call). 1e-300 waited Long.MAX_VALUE nanoseconds before its first send, and 1e10 paced nothing at all.
   */
  private static final double MIN_RATE = 0.01;

  private static final double MAX_RATE = 10_000;
  /** The most keys a ListObjectVersions page holds, S3's limit, and what backfill asks for unless told less. */
  private static final int DEFAULT_PAGE_SIZE = 1000;
  /**
   * The checkpoint is written after every send, so that an interrupted run (Ctrl-C) sends again at most the object it
   * was sending, and otherwise after this many keys skipped or ignored (and at the end of every page).
   */
  static final int CHECKPOINT_EVERY = 20;

  private static final Option RATE = Option.value(
      "rate",
      "N",
      "send at most N objects per second, " + Decimals.plain(MIN_RATE) + " to "
          + Decimals.plain(MAX_RATE) + " (default " + (int) DEFAULT_RATE + ")");
  private static final Option MAX =
      Option.value("max", "N", "stop after sending N objects; run again to go on");
  private static final Option PAGE_SIZE = Option.value(
      "page-size", "N", "keys per listing call, 1-1000 (default " + DEFAULT_PAGE_SIZE + ")");
  private static final Option RESTART =
      Option.flag("restart", "ignore the checkpoint of an interrupted run");

  /** What one run did. */
  record Summary(
      String bucket,
      String prefix,
      Optional<String> resumedAfter,
      long listed,
      long sent,
      long skipped,
      long ignored,
      long malformed,
      boolean complete,
      Duration took) {}

  @Override
  public String name() {
    return "backfill";
  }

  @Override
  public String summary() {
    return "classify objects that were in the bucket before the stack was deployed";
  }

  @Override
  public String operands() {
    return "s3://BUCKET[/PREFIX]";
  }

  @Override
  public List<Option> options() {
    return List.of(RATE, MAX, PAGE_SIZE, RESTART, Option.JSON, Option.STACK);
  }

  @Override
  public String description() {
    return """
        Lists the current version of every object under PREFIX (ListObjectVersions, page by page) and
        sends the queue the notification S3 would have sent for it, at most --rate a second. Skips keys
        the bucket's notification would not send (not .jpg, .jpeg or .png) and object versions that
        already have a result, so running it twice sends nothing twice. An interrupted run goes on after
        the last key it finished: a checkpoint file under the cache directory (backfill/) says where;
        it is removed when the listing reaches the end. A progress bar shows on a terminal.
        A listed version that lacks what the notification is made of (its LastModified, or both its ETag
        and its version id; S3 gives every version all of them) is not sent: it is named on stderr and
        counted as malformed, and once what serves the bucket lists it whole, a backfill of its key sends it.
        With --json, the summary: {"bucket", "prefix", "resumedAfter", "listed", "sent", "skipped",
        "ignored", "malformed", "complete", "seconds"}.

        example:
          offhours backfill s3://my-bucket/photos/ --rate 20
        """;
  }

  @Override
  public int run(Invocation call) throws IOException, InterruptedException {
    if (call.args().operands().size() != 1) {
      throw CliException.usage("backfill needs one s3://BUCKET/PREFIX");
    }
    String uri = call.args().operands().getFirst();
    if (!uri.startsWith("s3://") || uri.length() == "s3://".length()) {
      throw CliException.usage(
          "backfill needs s3://BUCKET[/PREFIX], got '" + Terminal.value(uri) + "'");
    }
    int slash = uri.indexOf('/', "s3://".length());
    String bucket = slash < 0 ? uri.substring(5) : uri.substring(5, slash);
    if (bucket.isEmpty()) {
      throw CliException.usage(
          "backfill needs s3://BUCKET[/PREFIX], got '" + Terminal.value(uri) + "' (no bucket)");
    }
    BucketName.check("backfill's s3://BUCKET", bucket);
    String prefix = slash < 0 ? "" : uri.substring(slash + 1);
    if (prefix.getBytes(StandardCharsets.UTF_8).length > StackSpec.MAX_KEY_BYTES) {
      throw CliException.usage("the prefix of s3://" + bucket + "/... is longer than any S3 key ("
          + StackSpec.MAX_KEY_BYTES + " bytes): no object can start with it");
    }
    double rate = call.args().value(RATE.name()).map(BackfillCommand::rate).orElse(DEFAULT_RATE);
    // Whole numbers: --max 0.5 was cast to 0 and sent nothing, --page-size 2.7 listed 2.
    long max = NumberFlags.positive(call.args(), MAX, Long.MAX_VALUE);
    int pageSize =
        NumberFlags.positive(call.args(), PAGE_SIZE, DEFAULT_PAGE_SIZE, DEFAULT_PAGE_SIZE);
    try (Target target = call.target();
        S3Client s3 = target.s3();
        SqsClient sqs = target.sqs();
        DynamoDbClient dynamoDb = target.dynamoDb()) {
      String stackBucket = target.name(Name.BUCKET);
      if (!bucket.equals(stackBucket)) {
        throw CliException.failure(
            "the Classify function of " + target.description() + " classifies objects in "
                + stackBucket + " only, not in " + Terminal.printable(bucket));
      }
      BackfillCheckpoint checkpoint =
          BackfillCheckpoint.of(call.context().cacheDir(), target.description(), bucket, prefix);
      if (call.args().has(RESTART.name())) {
        checkpoint.clear();
      }
      Optional<String> after = checkpoint.after();
      after.ifPresent(key -> call.err()
          .println("resuming after " + Terminal.printable(key) + " (checkpoint " + checkpoint.file()
              + ")"));
      BackfillRun run = new BackfillRun(
          target,
          s3,
          sqs,
          new ResultsTable(dynamoDb, target.name(Name.RESULTS_TABLE)),
          target.name(Name.QUEUE_URL),
          bucket,
          prefix,
          checkpoint,
          after,
          new Progress.Tally(call.err(), call.context().terminal()),
          rate,
          max,
          pageSize);
      Instant start = call.context().clock().instant();
      boolean complete;
      try (BackfillInterruption watch =
          BackfillInterruption.watch(call.err(), run::notice, checkpoint.file())) {
        complete = run.through();
      }
      Summary summary = new Summary(
          bucket,
          prefix,
          after,
          run.listed,
          run.sent(),
          run.skipped,
          run.ignored,
          run.malformed,
          complete,
          Duration.between(start, call.context().clock().instant()));
      print(call, summary, checkpoint);
    }
    return 0;
  }

  private static void print(Invocation call, Summary s, BackfillCheckpoint checkpoint) {
    if (call.json()) {
      call.out()
          .println(Json.line(Json.object()
              .put("bucket", s.bucket())
              .put("prefix", s.prefix())
              .put("resumedAfter", s.resumedAfter().orElse(null))
              .put("listed", s.listed())
              .put("sent", s.sent())
              .put("skipped", s.skipped())
              .put("ignored", s.ignored())
              .put("malformed", s.malformed())
              .put("complete", s.complete())
              .put("seconds", s.took().toMillis() / 1000.0)));
      return;
    }
    call.out()
        .println(Terminal.printable(String.format(
            Locale.ROOT,
            "backfill s3://%s/%s: %d listed, %d sent, %d"
                + " skipped (already have a result), %d ignored (the notification does not send these keys) in %.1f s",
            s.bucket(),
            s.prefix(),
            s.listed(),
            s.sent(),
            s.skipped(),
            s.ignored(),
            s.took().toMillis() / 1000.0)));
    if (s.malformed() > 0) {
      call.out()
          .println(Plurals.of(s.malformed(), "object")
              + " not sent: the listing left out what the notification is made of (named above)");
    }
    if (!s.complete()) {
      call.out().println(stopped(s, checkpoint.file()));
    }
  }

  /**
   * The line under the summary of a run that --max stopped: the listing's page went on past the last send, and the
   * summary's counts, which add up to its listed objects only when the run reached them all, do not show how many
   * it left.
   */
  static String stopped(Summary s, Path checkpoint) {
    long notReached = s.listed() - s.sent() - s.skipped() - s.ignored() - s.malformed();
    return "stopped after " + Plurals.of(s.sent(), "send") + " (--max)"
        + (notReached > 0
            ? ", with " + notReached + " of the " + s.listed()
                + " objects listed so far not reached"
            : "")
        + "; run the same command to go on (checkpoint " + checkpoint + ")";
  }

  private static double rate(String value) {
    return NumberFlags.decimal("--rate", value, "objects per second", MIN_RATE, MAX_RATE);
  }

  /**
   * What a listed object version lacks of what its notification is made of, if anything. S3's listing gives every
   * version its LastModified (the time S3 stored it, which a notification carries as its eventTime and the result as
   * its uploadedAt), its ETag and, in a versioned bucket, its version id: the API reference marks every member of
   * ObjectVersion "Required: No", its Key among them, so the model promises nothing either way, but its response
   * syntax lists each in every Version, and every stored version has them
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html,
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ObjectVersion.html). One without them is a malformed answer
   * (the same page warns that a 200 OK can carry invalid XML), and guessing (the time of the backfill as its upload
   * time) would date the upload wrongly in {@code cost --compare} and the results: it is not sent, and named.
   */
  static Optional<String> malformed(ObjectVersion version) {
    if (version.lastModified() == null) {
      return Optional.of(
          "the listing gave its current version no LastModified, which S3 gives every object"
              + " version and its notification carries as the upload time");
    }
    String eTag = version.eTag() == null ? "" : version.eTag().replace("\"", "");
    String versionId = "null".equals(version.versionId()) ? "" : version.versionId();
    if (eTag.isBlank() && (versionId == null || versionId.isBlank())) {
      return Optional.of(
          "the listing gave its current version neither an ETag nor a version id, one of"
              + " which Classify needs to tell this version from any other");
    }
    return Optional.empty();
  }
}
