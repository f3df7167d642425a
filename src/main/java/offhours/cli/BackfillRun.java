package offhours.cli;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import offhours.classify.ObjectNotification;
import offhours.cli.Target.Name;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.stack.StackSpec;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * One pass of {@code offhours backfill} over the listing: sends the notification of each current version under the
 * prefix that the bucket's notification would send and that has no result yet, at most a rate a second, and keeps
 * the checkpoint.
 *
 * <p>A Ctrl-C or SIGTERM ends the run on the JVM's shutdown thread while this one goes on until the JVM halts. The
 * notice that says how to go on ({@link BackfillInterruption}) reads where the run stands with {@link #notice}: once,
 * under the lock this run changes its checkpoint and its count under, so what the notice says is what the checkpoint
 * file says; and from then on this run leaves the file as it is (a send after it is sent again by the next run, as
 * one between a send and its checkpoint always was).
 */
final class BackfillRun {

  /** What the checkpoint file tells a next run. */
  enum Stage {
    /** None yet: a next run starts from the beginning. */
    NO_CHECKPOINT,
    /** The last key finished: a next run resumes after it. */
    CHECKPOINTED,
    /** The listing reached its end and the file is removed: nothing to resume. */
    FINISHED
  }

  /** Where the run stands: this run's sends so far, and what its checkpoint file tells a next run. */
  record Standing(long sent, Stage stage) {}

  private final Target target;
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
  private final Optional<String> after;
  private final Object lock = new Object();

  /** Guarded by {@link #lock}, as are {@link #stage} and {@link #noticed}. */
  private long sent;

  private Stage stage;
  private boolean noticed;
  long listed;
  long skipped;
  long ignored;
  long malformed;
  private long nextSend = System.nanoTime();

  /** {@code target}: the stack the run is of, which names its bucket, table or queue if one does not exist. */
  BackfillRun(
      Target target,
      S3Client s3,
      SqsClient sqs,
      ResultsTable results,
      String queueUrl,
      String bucket,
      String prefix,
      BackfillCheckpoint checkpoint,
      Optional<String> after,
      Progress.Tally progress,
      double rate,
      long max,
      int pageSize) {
    this.target = target;
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
    this.after = after;
    this.stage = after.isPresent() ? Stage.CHECKPOINTED : Stage.NO_CHECKPOINT;
  }

  /** This run's sends so far. */
  long sent() {
    synchronized (lock) {
      return sent;
    }
  }

  /**
   * Where the run stands, for the notice of an interruption; the checkpoint file stays so from now on.
   */
  Standing notice() {
    synchronized (lock) {
      noticed = true;
      return new Standing(sent, stage);
    }
  }

  /**
   * Goes on after the checkpoint the run was made with, to the end of the listing or {@code max} sends; returns
   * whether the listing reached its end (else --max stopped it).
   */
  boolean through() throws IOException, InterruptedException {
    String keyMarker = after.orElse(null);
    String versionMarker = null;
    long done = 0;
    String lastDone = null;
    try {
      while (true) {
        String keys = keyMarker;
        String versions = versionMarker;
        ListObjectVersionsResponse page = target.on(
            Name.BUCKET,
            NotFound.BUCKET,
            () -> s3.listObjectVersions(r -> r.bucket(bucket)
                .prefix(prefix)
                .maxKeys(pageSize)
                .keyMarker(keys)
                .versionIdMarker(versions)));
        List<ObjectVersion> latest = page.versions().stream()
            .filter(v -> Boolean.TRUE.equals(v.isLatest()))
            .toList();
        listed += latest.size();
        boolean more = Boolean.TRUE.equals(page.isTruncated());
        for (ObjectVersion version : latest) {
          if (sent() >= max) {
            if (lastDone != null) {
              save(lastDone);
            }
            return false;
          }
          long sentBefore = sent();
          one(version);
          done++;
          String key = version.key();
          progress.show(
              done,
              listed,
              more,
              sent() + " sent  " + skipped + " skipped",
              key == null ? "" : key);
          if (key != null) {
            lastDone = key;
            if (sent() > sentBefore || done % BackfillCommand.CHECKPOINT_EVERY == 0) {
              save(key);
            }
          }
        }
        if (lastDone != null) {
          save(lastDone);
        }
        if (!more) {
          finish();
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
      progress.line(
          Terminal.printable("s3://" + bucket + "/" + prefix + "...: the listing gave a version no"
              + " Key; it was not sent and cannot be named here: list the bucket ('aws s3api"
              + " list-object-versions') to find it"));
      return;
    }
    if (!StackSpec.NOTIFICATION.matches(key)) {
      ignored++;
      return;
    }
    Optional<String> missing = BackfillCommand.malformed(version);
    if (missing.isPresent()) {
      malformed++;
      progress.line(Terminal.printable("s3://" + bucket + "/" + key + " was not sent: "
          + missing.get() + "; once the listing gives it, send it with 'backfill s3://" + bucket
          + "/" + key + "'"));
      return;
    }
    // An unversioned bucket lists version "null"; its notifications carry no versionId, and its
    // results are keyed by the ETag, which a listing quotes and a notification does not.
    String versionId = "null".equals(version.versionId()) ? null : version.versionId();
    String eTag = version.eTag() == null ? null : version.eTag().replace("\"", "");
    String sk = ResultItem.skFor(versionId, eTag);
    if (target.on(Name.RESULTS_TABLE, NotFound.TABLE, () -> results.byKey(bucket, key)).stream()
        .anyMatch(r -> r.sk().equals(sk))) {
      skipped++;
      return;
    }
    long wait = nextSend - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
    nextSend = Math.max(nextSend, System.nanoTime()) + nanosPerSend;
    String body = new ObjectNotification(
            bucket,
            key,
            version.size(),
            eTag,
            versionId,
            null,
            version.lastModified(),
            BackfillCommand.ORIGIN)
        .body();
    target.on(
        Name.QUEUE_URL,
        NotFound.QUEUE,
        () -> sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body)));
    synchronized (lock) {
      sent++;
    }
  }

  /** Every key up to {@code key} is done: a next run resumes after it (unless a notice was given). */
  private void save(String key) throws IOException {
    synchronized (lock) {
      if (!noticed) {
        checkpoint.save(key);
        stage = Stage.CHECKPOINTED;
      }
    }
  }

  /** The listing reached its end: a next run starts over (unless a notice said to resume). */
  private void finish() throws IOException {
    synchronized (lock) {
      if (!noticed) {
        checkpoint.clear();
        stage = Stage.FINISHED;
      }
    }
  }
}
