package offhours.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import offhours.stack.StackSpec;
import offhours.units.Plurals;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * The uploads to a bucket in a period, as {@code offhours simulate --trace-file} reads them ({@link
 * offhours.endpoint.sim.TraceFile}): the LastModified of every object version whose key the bucket's notification
 * sends ({@link StackSpec#NOTIFICATION}), so an overwritten key counts once per version, as S3 notified the pipeline of
 * each. Delete markers are not uploads.
 *
 * <p>The listing is read page by page and only the instants in the period are kept (8 bytes each, never a key): S3
 * lists versions by key, not by time, so the whole period must be in hand before its first line can be printed. At
 * most {@link #MAX_UPLOADS} are kept; a period with more fails rather than print a trace that is not the period's.
 * Keys are the bucket owner's users' words and never reach the output: only instants and counts do.
 */
final class UploadTrace {

  /**
   * The most uploads a trace holds (800 kB here, 2.1 MB of trace file): what {@code simulate --trace-file --compare}
   * gets through in about a minute (100,000 uploads in a week: 60 s and 1.6 GB on 2 shared cores), where listing and
   * writing a million take a second in 23 MB. A busier bucket is traced a prefix or fewer days at a time.
   */
  static final int MAX_UPLOADS = 100_000;

  /** Versions per ListObjectVersions call: S3's most. */
  static final int PAGE_SIZE = 1000;

  private final String bucket;
  private final String prefix;
  private final Instant from;
  private final Instant to;
  private final int max;
  private long[] uploads = new long[1024];
  private int count;
  private long versions;
  private long deleteMarkers;
  private long notClassified;
  private long before;
  private long after;
  private long undated;

  private UploadTrace(String bucket, String prefix, Instant from, Instant to, int max) {
    this.bucket = bucket;
    this.prefix = prefix;
    this.from = from;
    this.to = to;
    this.max = max;
  }

  /**
   * Lists every version under {@code prefix}, calling {@code progress} after each page, and keeps the uploads from
   * {@code from} to {@code to} (both included). Fails as soon as the period has more than {@code max}.
   */
  static UploadTrace list(
      S3Client s3,
      String bucket,
      String prefix,
      Instant from,
      Instant to,
      int max,
      int pageSize,
      Consumer<UploadTrace> progress) {
    UploadTrace trace = new UploadTrace(bucket, prefix, from, to, max);
    // The SDK's paginator follows NextKeyMarker and NextVersionIdMarker while IsTruncated.
    for (ListObjectVersionsResponse page : s3.listObjectVersionsPaginator(
        r -> r.bucket(bucket).prefix(prefix.isEmpty() ? null : prefix).maxKeys(pageSize))) {
      page.versions().forEach(trace::add);
      trace.deleteMarkers += page.deleteMarkers().size();
      progress.accept(trace);
    }
    return trace;
  }

  private void add(ObjectVersion version) {
    versions++;
    if (version.key() == null || !StackSpec.NOTIFICATION.matches(version.key())) {
      notClassified++;
      return;
    }
    Instant at = version.lastModified();
    if (at == null) {
      undated++;
    } else if (at.isBefore(from)) {
      before++;
    } else if (at.isAfter(to)) {
      after++;
    } else {
      if (count == max) {
        throw CliException.failure("s3://" + Terminal.printable(bucket + "/" + prefix)
            + " has more than " + max + " uploads from " + from + " to " + to
            + ", more than a trace holds; trace it a --prefix or fewer --days at a time");
      }
      if (count == uploads.length) {
        uploads = Arrays.copyOf(uploads, Math.min(max, 2 * count));
      }
      uploads[count++] = at.toEpochMilli();
    }
  }

  /** "bucket/prefix", unescaped. */
  String where() {
    return bucket + "/" + prefix;
  }

  /** The uploads kept so far. */
  int uploads() {
    return count;
  }

  /** Object versions listed so far, delete markers not counted. */
  long versions() {
    return versions;
  }

  /** "listed 12000 versions of s3://b/p: 3400 uploads from ... so far", for progress on stderr. */
  String progress() {
    return "listed " + Plurals.of(versions, "object version") + " of s3://"
        + Terminal.printable(bucket + "/" + prefix) + ": " + Plurals.of(count, "upload")
        + " in the period so far";
  }

  /** What was listed and not traced, and why: "3 delete markers (not uploads), ..."; "nothing" if all was. */
  String leftOut() {
    List<String> parts = new ArrayList<>();
    if (deleteMarkers > 0) {
      parts.add(Plurals.of(deleteMarkers, "delete marker") + " (not uploads)");
    }
    if (notClassified > 0) {
      parts.add(
          Plurals.of(notClassified, "version") + " of keys the pipeline does not classify (not "
              + String.join(", ", StackSpec.IMAGE_EXTENSIONS) + ")");
    }
    if (before > 0) {
      parts.add(Plurals.of(before, "upload") + " before the period");
    }
    if (after > 0) {
      parts.add(Plurals.of(after, "upload") + " after its end (made while the listing ran)");
    }
    if (undated > 0) {
      parts.add(Plurals.of(undated, "version") + " the listing gave no LastModified");
    }
    return parts.isEmpty() ? "nothing" : String.join(", ", parts);
  }

  /**
   * Writes the trace file to {@code out}: a {@code #} header (bucket, prefix, period, count, what was left out and
   * what a listing cannot see), then one upload instant per line, oldest first. Only the instants and counts come
   * from the listing. Line by line through a buffer: a million uploads are 21 MB of text, never held as one string.
   */
  void write(PrintStream out, String period) throws IOException {
    long[] sorted = Arrays.copyOf(uploads, count);
    Arrays.sort(sorted);
    Writer text = new BufferedWriter(new OutputStreamWriter(out, out.charset()), 1 << 16);
    for (String line : header(period)) {
      text.append("# ").append(line).append('\n');
    }
    for (long millis : sorted) {
      text.append(Instant.ofEpochMilli(millis).toString()).append('\n');
    }
    text.flush();
  }

  private List<String> header(String period) {
    return List.of(
        "offhours trace: uploads to bucket " + Terminal.printable(bucket) + ", prefix '"
            + Terminal.printable(prefix) + "', that the pipeline classifies (keys ending "
            + String.join(", ", StackSpec.IMAGE_EXTENSIONS) + " in any case)",
        "period: " + from + " to " + to + " (" + period + ")",
        Plurals.of(count, "upload")
            + ": the LastModified of each object version, an overwritten key" + " once per version",
        "listed " + Plurals.of(versions, "object version") + "; left out: " + leftOut(),
        NOT_SEEN);
  }

  /** What a listing of versions cannot show, said in the header and in {@code trace --help}. */
  static final String NOT_SEEN = "not seen: versions already expired or deleted; uploads to an"
      + " unversioned bucket that were overwritten (only the last remains); an object copied in is dated"
      + " by the copy";
}
