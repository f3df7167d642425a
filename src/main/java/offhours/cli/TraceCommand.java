package offhours.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.cli.Target.Name;
import offhours.units.Plurals;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code offhours trace}: the uploads a bucket had in the last days, as a trace file {@code simulate --trace-file}
 * reads, so that {@code --compare} prices every hosting option on the user's own week ({@link UploadTrace}).
 */
final class TraceCommand implements Command {

  /** The most days a trace covers: the simulation takes at most 366 calendar days, which 365 days can touch. */
  static final int MAX_DAYS = 365;

  /** Without a terminal, one progress line per this many pages (100,000 versions): a log, not a flood. */
  static final int PAGES_PER_LINE = 100;

  private static final Option BUCKET =
      Option.value("bucket", "NAME", "trace this bucket instead of the stack's (no stack needed)");
  private static final Option PREFIX =
      Option.value("prefix", "P", "only keys that start with P (e.g. --prefix photos/)");
  private static final Option DAYS =
      Option.value("days", "N", "the last N days, up to now (default 7, at most " + MAX_DAYS + ")");

  @Override
  public String name() {
    return "trace";
  }

  @Override
  public String summary() {
    return "print a bucket's uploads of the last days as a trace for simulate --trace-file";
  }

  @Override
  public List<Option> options() {
    return List.of(BUCKET, PREFIX, DAYS, Option.STACK);
  }

  @Override
  public String description() {
    return """
        Lists every object version in the bucket (ListObjectVersions, page by page: your credentials
        need s3:ListBucketVersions on it) and prints a trace file: a # header (bucket, prefix, period,
        how many uploads, what was left out and why), then the LastModified of each upload in the
        period, one ISO-8601 instant per line, oldest first. An upload is a version whose key the
        pipeline classifies (.jpg, .jpeg, .png in any case): an overwritten key counts once per
        version; delete markers are not uploads. No key is printed. The bucket is --bucket's, else the
        stack's (--stack, else the local stack's).
        What a listing cannot see: versions already expired or deleted; uploads to an unversioned
        bucket that were overwritten (only the last remains); an object copied in is dated by the copy.
        A period with no upload prints nothing and fails; one with more than %d uploads fails too
        (trace a --prefix or fewer --days at a time). There is no --json: the output is the trace.

        examples:
          offhours trace --bucket my-photos --days 7 > week.txt
          offhours simulate --trace-file week.txt --compare
        """.formatted(UploadTrace.MAX_UPLOADS);
  }

  @Override
  public int run(Invocation call) throws IOException {
    int days = NumberFlags.positive(call.args(), DAYS, 7, MAX_DAYS);
    String prefix = call.args().keyPrefix(PREFIX.name(), "the whole bucket").orElse("");
    Optional<String> named = call.args().value(BUCKET.name());
    if (named.isPresent() && call.args().has(Option.STACK.name())) {
      throw CliException.usage("give --bucket or --stack, not both");
    }
    if (named.isPresent() && named.get().isBlank()) {
      throw CliException.usage("--bucket needs a bucket name");
    }
    named.ifPresent(b -> BucketName.check("--bucket", b));
    // In whole seconds, as every command prints an instant; rounded up, so that no upload made
    // before the command is left out as after the period.
    Instant now = call.context().clock().instant();
    Instant to = now.truncatedTo(ChronoUnit.SECONDS);
    if (to.isBefore(now)) {
      to = to.plusSeconds(1);
    }
    Instant from = to.minus(Duration.ofDays(days));
    String period = "the last " + Plurals.of(days, "day");
    Consumer<UploadTrace> progress = progress(call.err(), call.context().terminal());
    UploadTrace trace;
    try {
      trace = trace(call, named, prefix, from, to, progress);
    } finally {
      if (call.context().terminal()) {
        call.err().print("\r\033[K");
        call.err().flush();
      }
    }
    if (trace.uploads() == 0) {
      throw CliException.failure("no uploads to s3://" + Terminal.printable(trace.where())
          + " from " + from + " to " + to + " (" + period + "), nothing to simulate: listed "
          + Plurals.of(trace.versions(), "object version") + "; left out: " + trace.leftOut());
    }
    trace.write(call.out(), period);
    return 0;
  }

  /**
   * Lists --bucket's bucket with the user's clients, else the stack's with the stack's; one that does not exist is said
   * as every command says it ({@link NotFound#BUCKET}): the stack's with the output it came from, --bucket's as given.
   */
  private static UploadTrace trace(
      Invocation call,
      Optional<String> named,
      String prefix,
      Instant from,
      Instant to,
      Consumer<UploadTrace> progress) {
    if (named.isPresent()) {
      String bucket = named.get();
      try (AwsClients clients = userClients(call);
          S3Client s3 = clients.build(Service.S3, S3Client.builder())) {
        return list(s3, bucket, "bucket " + bucket, prefix, from, to, progress);
      } catch (RuntimeException e) {
        if (NotFound.BUCKET.test(e)) {
          throw CliException.failure(NotFound.BUCKET.given(bucket, "--" + BUCKET.name()));
        }
        throw e;
      }
    }
    try (Target target = call.target();
        S3Client s3 = target.s3()) {
      String bucket = target.name(Name.BUCKET);
      return target.on(
          Name.BUCKET,
          NotFound.BUCKET,
          () -> list(
              s3,
              bucket,
              "bucket " + bucket + " of " + target.description(),
              prefix,
              from,
              to,
              progress));
    }
  }

  /** The user's clients; without a region the message names --bucket, not --stack. */
  private static AwsClients userClients(Invocation call) {
    try {
      return call.context().userClients().get();
    } catch (CliException e) {
      if (Targets.NO_REGION.equals(e.getMessage())) {
        throw CliException.failure("--bucket needs the bucket's AWS region and none is set: export"
            + " AWS_DEFAULT_REGION=REGION (or AWS_REGION), or run 'aws configure'");
      }
      throw e;
    }
  }

  private static UploadTrace list(
      S3Client s3,
      String bucket,
      String described,
      String prefix,
      Instant from,
      Instant to,
      Consumer<UploadTrace> progress) {
    try {
      return UploadTrace.list(
          s3, bucket, prefix, from, to, UploadTrace.MAX_UPLOADS, UploadTrace.PAGE_SIZE, progress);
    } catch (S3Exception e) {
      throw failure(e, bucket, described);
    }
  }

  /**
   * What S3's refusal of the listing means: no permission (naming the action, as IAM's policy needs it), or a bucket
   * in another region (S3 names it in a header); anything else as S3 said it, no such bucket for the caller to say.
   */
  static RuntimeException failure(S3Exception e, String bucket, String described) {
    if (e.statusCode() == 403) {
      return CliException.failure(
          "you may not list the object versions of " + Terminal.printable(described)
              + ": trace needs s3:ListBucketVersions on arn:aws:s3:::" + Terminal.printable(bucket)
              + " (S3 answered " + code(e) + ", HTTP 403)");
    }
    if (e.statusCode() == 301) {
      Optional<String> region = Optional.ofNullable(e.awsErrorDetails())
          .flatMap(d -> d.sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region"));
      return CliException.failure(Terminal.printable(described) + " is in "
          + region
              .map(r -> "region " + r + "; run with AWS_REGION=" + r)
              .orElse("another region; run with AWS_REGION set to its region"));
    }
    return e;
  }

  private static String code(S3Exception e) {
    return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
        ? "no error code"
        : e.awsErrorDetails().errorCode();
  }

  /**
   * Progress on stderr, never on stdout (a pipe takes that for the trace): redrawn after each page on a terminal,
   * else a line every {@link #PAGES_PER_LINE} pages; a listing of one page says nothing.
   */
  static Consumer<UploadTrace> progress(PrintStream err, boolean terminal) {
    int[] pages = {0};
    return trace -> {
      pages[0]++;
      if (terminal) {
        err.print("\r\033[K" + trace.progress());
        err.flush();
      } else if (pages[0] % PAGES_PER_LINE == 0) {
        err.println(trace.progress());
      }
    };
  }
}
