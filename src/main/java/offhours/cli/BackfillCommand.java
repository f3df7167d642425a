package offhours.cli;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import offhours.classify.ObjectNotification;
import offhours.cli.Target.Name;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.stack.StackSpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code offhours backfill s3://BUCKET/PREFIX}: classifies objects that were in the bucket before the stack's
 * notification existed, by sending the queue the notification S3 would have sent for each object's current version.
 */
final class BackfillCommand implements Command {

  static final String ORIGIN = "offhours-backfill";
  static final double DEFAULT_RATE = 10;
  static final int DEFAULT_PAGE_SIZE = 1000;
  /**
   * The checkpoint is written after every send, so that an interrupted run (Ctrl-C) sends again at most the object it
   * was sending, and otherwise after this many keys skipped or ignored (and at the end of every page).
   */
  static final int CHECKPOINT_EVERY = 20;

  private static final Option RATE = Option.value(
      "rate", "N", "send at most N objects per second (default " + (int) DEFAULT_RATE + ")");
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
          "backfill needs s3://BUCKET[/PREFIX], got '" + Terminal.printable(uri) + "'");
    }
    int slash = uri.indexOf('/', "s3://".length());
    String bucket = slash < 0 ? uri.substring(5) : uri.substring(5, slash);
    String prefix = slash < 0 ? "" : uri.substring(slash + 1);
    double rate =
        call.args().value(RATE.name()).map(v -> positive("--rate", v)).orElse(DEFAULT_RATE);
    long max =
        call.args().value(MAX.name()).map(v -> (long) positive("--max", v)).orElse(Long.MAX_VALUE);
    int pageSize = call.args()
        .value(PAGE_SIZE.name())
        .map(v -> (int) positive("--page-size", v))
        .orElse(DEFAULT_PAGE_SIZE);
    if (pageSize > 1000) {
      throw CliException.usage("--page-size is at most 1000 (S3's limit), got " + pageSize);
    }
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
      Run run = new Run(
          s3,
          sqs,
          new ResultsTable(dynamoDb, target.name(Name.RESULTS_TABLE)),
          target.name(Name.QUEUE_URL),
          bucket,
          prefix,
          checkpoint,
          new Progress.Tally(call.err(), call.context().terminal()),
          rate,
          max,
          pageSize);
      Instant start = call.context().clock().instant();
      boolean complete = run.through(after);
      Summary summary = new Summary(
          bucket,
          prefix,
          after,
          run.listed,
          run.sent,
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
          .println(Format.plural(s.malformed(), "object")
              + " not sent: the listing left out what the notification is made of (named above)");
    }
    if (!s.complete()) {
      call.out()
          .println("stopped after " + Format.plural(s.sent(), "send")
              + " (--max); run the same command to go" + " on (checkpoint " + checkpoint.file()
              + ")");
    }
  }

  private static double positive(String option, String value) {
    try {
      double number = Double.parseDouble(value);
      if (number > 0 && Double.isFinite(number)) {
        return number;
      }
    } catch (NumberFormatException e) {
      // the message below
    }
    throw CliException.usage(
        option + " needs a positive number, got '" + Terminal.printable(value) + "'");
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

  /** One pass over the listing. */
  private static final class Run {
    private final S3Client s3;
    private final SqsClient sqs;
    private final ResultsTable results;
    private final String queueUrl;
    private final String bucket;
    private final String prefix;
    private final BackfillCheckpoint checkpoint;
    private final Progress.Tally progress;
    private final long nanosPerSend;
    private final long max;
    private final int pageSize;
    private long listed;
    private long sent;
    private long skipped;
    private long ignored;
    private long malformed;
    private long nextSend = System.nanoTime();

    Run(
        S3Client s3,
        SqsClient sqs,
        ResultsTable results,
        String queueUrl,
        String bucket,
        String prefix,
        BackfillCheckpoint checkpoint,
        Progress.Tally progress,
        double rate,
        long max,
        int pageSize) {
      this.s3 = s3;
      this.sqs = sqs;
      this.results = results;
      this.queueUrl = queueUrl;
      this.bucket = bucket;
      this.prefix = prefix;
      this.checkpoint = checkpoint;
      this.progress = progress;
      this.nanosPerSend = (long) (1_000_000_000L / rate);
      this.max = max;
      this.pageSize = pageSize;
    }

    /** Returns whether the listing reached its end (else --max stopped it). */
    boolean through(Optional<String> after) throws IOException, InterruptedException {
      String keyMarker = after.orElse(null);
      String versionMarker = null;
      long done = 0;
      String lastDone = null;
      try {
        while (true) {
          String keys = keyMarker;
          String versions = versionMarker;
          ListObjectVersionsResponse page = s3.listObjectVersions(r -> r.bucket(bucket)
              .prefix(prefix)
              .maxKeys(pageSize)
              .keyMarker(keys)
              .versionIdMarker(versions));
          List<ObjectVersion> latest = page.versions().stream()
              .filter(v -> Boolean.TRUE.equals(v.isLatest()))
              .toList();
          listed += latest.size();
          boolean more = Boolean.TRUE.equals(page.isTruncated());
          for (ObjectVersion version : latest) {
            if (sent >= max) {
              if (lastDone != null) {
                checkpoint.save(lastDone);
              }
              return false;
            }
            long sentBefore = sent;
            one(version);
            done++;
            String key = version.key();
            progress.show(
                done,
                listed,
                more,
                sent + " sent  " + skipped + " skipped",
                key == null ? "" : key);
            if (key != null) {
              lastDone = key;
              if (sent > sentBefore || done % CHECKPOINT_EVERY == 0) {
                checkpoint.save(key);
              }
            }
          }
          if (lastDone != null) {
            checkpoint.save(lastDone);
          }
          if (!more) {
            checkpoint.clear();
            return true;
          }
          keyMarker = page.nextKeyMarker();
          versionMarker = page.nextVersionIdMarker();
        }
      } finally {
        progress.done();
      }
    }

    private void one(ObjectVersion version) throws InterruptedException {
      String key = version.key();
      if (key == null || key.isEmpty()) {
        // S3 lists every version with its key; without one there is nothing to name or to send.
        malformed++;
        progress.line(Terminal.printable(
            "s3://" + bucket + "/" + prefix + "...: the listing gave a version no"
                + " Key; it was not sent and cannot be named here: list the bucket ('aws s3api"
                + " list-object-versions') to find it"));
        return;
      }
      if (!StackSpec.NOTIFICATION.matches(key)) {
        ignored++;
        return;
      }
      Optional<String> missing = malformed(version);
      if (missing.isPresent()) {
        malformed++;
        progress.line(Terminal.printable("s3://" + bucket + "/" + key + " was not sent: "
            + missing.get() + "; once the listing gives it, send it with 'backfill s3://" + bucket
            + "/" + key + "'"));
        return;
      }
      // An unversioned bucket lists version "null"; its notifications carry no versionId, and its
      // results are keyed
      // by the ETag, which a listing quotes and a notification does not.
      String versionId = "null".equals(version.versionId()) ? null : version.versionId();
      String eTag = version.eTag() == null ? null : version.eTag().replace("\"", "");
      String sk = ResultItem.skFor(versionId, eTag);
      if (results.byKey(bucket, key).stream().anyMatch(r -> r.sk().equals(sk))) {
        skipped++;
        return;
      }
      long wait = nextSend - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      nextSend = Math.max(nextSend, System.nanoTime()) + nanosPerSend;
      String body = new ObjectNotification(
              bucket, key, version.size(), eTag, versionId, null, version.lastModified(), ORIGIN)
          .body();
      sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
      sent++;
    }
  }
}
