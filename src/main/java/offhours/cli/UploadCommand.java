package offhours.cli;

import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import offhours.cli.Target.Name;
import offhours.units.Plurals;
import offhours.units.Sizes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/** {@code offhours upload PATH...}: puts files and folders into the stack's bucket. */
final class UploadCommand implements Command {

  /** Puts in flight at once: small images are latency-bound, so a few in parallel fill the link. */
  static final int PARALLEL_PUTS = 8;

  private static final Option PREFIX = Option.value(
      "prefix",
      "P",
      "put the keys under P/ (e.g. --prefix batch-7); '/' at its start, '//', '.' and '..' are"
          + " dropped, with a note");

  @Override
  public String name() {
    return "upload";
  }

  @Override
  public String summary() {
    return "upload image files and folders to the stack's bucket";
  }

  @Override
  public String operands() {
    return "PATH...";
  }

  @Override
  public List<Option> options() {
    return List.of(PREFIX, Option.JSON, Option.STACK);
  }

  @Override
  public String description() {
    return """
        A file is uploaded under its name; a folder's files under their path relative to the folder,
        recursively. Only .jpg, .jpeg and .png files (in any case) are uploaded: the bucket tells the
        pipeline of nothing else, so nothing else would ever get a result. A named file of another kind
        is refused before anything is uploaded; inside folders such files are skipped and counted, as are
        hidden files and symbolic links (links are never followed, named or inside a folder). Keys keep
        spaces, '+', '%' and unicode as they are; a key over S3's 1024 bytes (UTF-8, --prefix included)
        is refused before anything is uploaded. Files over the endpoint's limit (the stack's: 6.3 MB,
        4.2 MB with hosting serverless) are uploaded too, each with a note; the pipeline rejects them
        with that reason.
        With --json, prints one {"key", "bytes", "eTag"} object per uploaded file.

        examples:
          offhours upload ~/photos
          offhours upload --prefix batch-7 cat.jpg dog.png
        """;
  }

  @Override
  public int run(Invocation call) throws Exception {
    if (call.args().operands().isEmpty()) {
      throw CliException.usage("name at least one file or folder to upload");
    }
    String prefix =
        call.args().keyPrefix(PREFIX.name(), "keys at the top of the bucket").orElse("");
    UploadPlan.prefixNote(prefix).map(Terminal::printable).ifPresent(call.err()::println);
    UploadPlan plan = UploadPlan.of(call.args().operands(), prefix);
    skipped(plan).ifPresent(call.err()::println);
    if (plan.items().isEmpty()) {
      throw CliException.failure("nothing to upload: no .jpg, .jpeg or .png files in "
          + String.join(", ", call.args().operands()));
    }
    try (Target target = call.target();
        S3Client s3 = target.s3()) {
      String bucket = target.name(Name.BUCKET);
      Progress progress = Progress.of(call.err(), call.context().terminal(), plan, bucket);
      ExecutorService pool =
          Executors.newFixedThreadPool(Math.min(PARALLEL_PUTS, plan.items().size()));
      try {
        List<Future<PutObjectResponse>> puts = plan.items().stream()
            .map(item -> pool.submit(() -> s3.putObject(
                r -> r.bucket(bucket).key(item.key()).contentType(contentType(item)),
                RequestBody.fromFile(item.file()))))
            .toList();
        // Ctrl-C ends the JVM through its shutdown hooks: one says how far the upload got, which
        // a frozen progress bar does not.
        Thread interrupted = new Thread(
            () -> {
              call.err().println(interrupted(puts, plan));
              call.err().flush();
            },
            "upload-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        try {
          // Results are taken in plan order, so output and progress read the same on every run.
          for (int i = 0; i < puts.size(); i++) {
            UploadPlan.Item item = plan.items().get(i);
            progress.uploading(item);
            PutObjectResponse response;
            try {
              response = puts.get(i).get();
            } catch (ExecutionException e) {
              progress.done();
              throw failure(e.getCause(), item, i, plan, target);
            }
            progress.uploaded(item);
            if (call.json()) {
              call.out()
                  .println(Json.line(Json.object()
                      .put("key", item.key())
                      .put("bytes", item.bytes())
                      .put("eTag", unquote(response.eTag()))));
            }
          }
        } finally {
          try {
            Runtime.getRuntime().removeShutdownHook(interrupted);
          } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting: the hook says its line
          }
        }
      } finally {
        pool.shutdownNow();
      }
      progress.done();
      ImageLimit limit = ImageLimit.of(target);
      limit.assumption().ifPresent(why -> call.err().println("note: " + why));
      for (UploadPlan.Item item : plan.items()) {
        if (item.bytes() > limit.bytes()) {
          call.err().println(Terminal.printable(tooLarge(item, limit.bytes())));
        }
      }
      String summary =
          Terminal.printable("uploaded " + Plurals.of(plan.items().size(), "file") + " ("
              + Sizes.format(plan.totalBytes()) + ") to s3://" + bucket + "/"
              + UploadPlan.normalizePrefix(prefix));
      (call.json() ? call.err() : call.out()).println(summary);
    }
    return 0;
  }

  /**
   * What an upload stopped by Ctrl-C or SIGTERM says: how many of the plan's files S3 confirmed, and that the puts in
   * flight may or may not have landed, so that running it again is the way to be sure of the rest.
   */
  static String interrupted(List<? extends Future<?>> puts, UploadPlan plan) {
    long confirmed =
        puts.stream().filter(f -> f.state() == Future.State.SUCCESS).count();
    // A put still queued for the pool is not done either: at most PARALLEL_PUTS of them were sent.
    long running = Math.min(
        PARALLEL_PUTS,
        puts.stream().filter(f -> f.state() == Future.State.RUNNING).count());
    return "offhours: upload interrupted: " + confirmed + " of "
        + Plurals.of(plan.items().size(), "file")
        + " uploaded" + (running == 0 ? "" : ", " + running + " more in flight may have been")
        + "; run the same command again to upload the rest (it uploads every file again)";
  }

  /** The note for a file over the endpoint's {@code limit}, in the words and units of the verdict it will get. */
  static String tooLarge(UploadPlan.Item item, long limit) {
    return "note: " + item.key() + " " + Sizes.overLimit(item.bytes(), limit)
        + ", so it will be REJECTED: " + Sizes.SHRINK_AND_UPLOAD_AGAIN;
  }

  private static RuntimeException failure(
      Throwable cause, UploadPlan.Item item, int uploaded, UploadPlan plan, Target target) {
    if (cause instanceof RuntimeException e && NotFound.BUCKET.test(e)) {
      return target.notFound(e, Name.BUCKET, NotFound.BUCKET);
    }
    if (cause instanceof SdkException || cause instanceof UncheckedIOException) {
      return CliException.failure("uploaded " + uploaded + " of " + plan.items().size() + " files; "
          + item.file() + " failed: " + cause.getMessage());
    }
    return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
  }

  /** "skipped 3 files in folders: 2 not .jpg, .jpeg or .png (...), 1 hidden: a.txt, b.txt, .DS_Store", if any. */
  static Optional<String> skipped(UploadPlan plan) {
    if (plan.skipped().isEmpty()) {
      return Optional.empty();
    }
    Map<UploadPlan.Reason, Long> counts = plan.skipped().stream()
        .collect(Collectors.groupingBy(
            UploadPlan.Skipped::reason,
            () -> new EnumMap<>(UploadPlan.Reason.class),
            Collectors.counting()));
    List<String> names = plan.skipped().stream().map(s -> s.file().toString()).toList();
    String shown = String.join(", ", names.subList(0, Math.min(5, names.size())))
        + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
    return Optional.of(Terminal.printable(
        "skipped " + Plurals.of(names.size(), "file") + " in folders: "
            + counts.entrySet().stream()
                .map(e -> e.getKey().counted(e.getValue()))
                .collect(Collectors.joining(", "))
            + ": " + shown));
  }

  private static String contentType(UploadPlan.Item item) {
    String name = item.key().toLowerCase(Locale.ROOT);
    if (name.endsWith(".png")) {
      return "image/png";
    }
    return name.endsWith(".jpg") || name.endsWith(".jpeg")
        ? "image/jpeg"
        : "application/octet-stream";
  }

  /** S3 returns the ETag quoted; S3 notifications (and so the results table) carry it bare. */
  private static String unquote(String eTag) {
    return eTag == null ? null : eTag.replace("\"", "");
  }
}
