package offhours.cli;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.classify.ObjectNotification;
import offhours.cli.Target.Name;
import offhours.results.LiveSettings;
import offhours.results.ResultItem;
import offhours.results.ResultItem.SettingsState;
import offhours.results.ResultItem.Verdict;
import offhours.results.ResultsTable;
import offhours.units.Plurals;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * {@code offhours reprocess}: sends object versions that have a result through the queue again, as the S3
 * notifications the Classify function reads. A REJECTED result is replaced by a classification; a CLASSIFIED one only
 * by another model's, or by the same model's under other settings (offhours.results.ResultsTable: the newest model's
 * answer replaces the older, and an answer under the live settings one under other or unknown settings).
 */
final class ReprocessCommand implements Command {

  /** Written into each message's s3.configurationId, so the function's log tells a reprocessing from an upload. */
  private static final String ORIGIN = "offhours-reprocess";

  private static final Option KEY =
      Option.value("key", "K", "the object with key K (every version with a result)");
  private static final Option PREFIX =
      Option.value("prefix", "P", "objects whose key starts with P");
  private static final Option STATUS =
      Option.value("status", "S", "only results with status S (REJECTED, CLASSIFIED)");
  private static final Option SETTINGS = Option.value(
      "settings",
      "V",
      "only CLASSIFIED results whose model settings are not the live ones: changed, unknown, or stale (both)");
  private static final Option LABEL =
      Option.value("label", "L", "only results whose top label is L");
  private static final Option MODEL = Option.value("model", "M", "only results from model M");
  private static final Option SINCE = Option.value(
      "since",
      "T",
      "only results written at or after T: an ISO-8601 instant, a local date-time, or a duration ago (2h, 3d)");
  private static final Option BEFORE =
      Option.value("before", "T", "only results written before T (as --since)");
  private static final Option ALL = Option.flag(
      "all", "every result (needed when no other selection is given, refused with one)");
  private static final Option DRY_RUN =
      Option.flag("dry-run", "show what would be sent, send nothing");

  /** The options that select, each of which --all would contradict. */
  private static final List<Option> FILTERS =
      List.of(KEY, PREFIX, STATUS, SETTINGS, LABEL, MODEL, SINCE, BEFORE);

  private static final Pattern AGO = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?");

  @Override
  public String name() {
    return "reprocess";
  }

  @Override
  public String summary() {
    return "send objects with a result through the queue again (rejected ones, or all after a model change)";
  }

  @Override
  public List<Option> options() {
    return List.of(
        KEY,
        PREFIX,
        STATUS,
        SETTINGS,
        LABEL,
        MODEL,
        SINCE,
        BEFORE,
        ALL,
        DRY_RUN,
        Option.JSON,
        Option.STACK);
  }

  @Override
  public String description() {
    return """
        Selects results (the filters combine) and sends one S3 ObjectCreated notification per object
        version, with its version id, ETag and sequencer as S3 sent them. A REJECTED result is replaced
        when the image is classified now; a CLASSIFIED result is replaced only by a different model's
        answer, or by the same model's under other settings (labels, content type, accept, scores): the
        listing says "settings changed" or "settings unknown" (written before results recorded their
        settings) of such a result. Reprocessing under the same model and settings changes nothing (the
        function logs DUPLICATE), so after a settings change --settings stale selects only the CLASSIFIED
        results it left behind (--settings changed or unknown: one kind), never the current ones; it implies
        --status CLASSIFIED. The live settings are resolved as 'offhours results' resolves them, and said on
        stderr; where they cannot be (a LabelsS3Uri file of a deployed stack, an older template) --settings
        compares with the newest classification's, as 'offhours results' does.
        Objects without any result are 'offhours backfill''s.
        It reads through Queries, never a Scan: --key reads that object's versions; --label the label index;
        --status (or --settings) that status in the status index; --since and --before bound those Queries to the
        period. Without --key, --label, --status or --settings, it reads both statuses of the status index, which
        hold every result: with --since or --before only the period's, while --prefix, --model or --all alone read
        every result, as many reads as a Scan of the table. The other filters apply to what was read.
        When nothing is selected, says on stderr what was asked and of how many results read (exit 0), and
        of a --model that none of them is from, which models they are from.
        The listing comes once every send is done; Ctrl-C before then says on stderr how many were sent (exit 130).
        --label is matched exactly: when nothing is selected and it differs from one of the model's labels
        only in case, says which on stderr, as 'offhours results' does.
        With --json, one object per version: {"key", "versionId", "eTag", "status", "model", "settings",
        "sent"}; settings is current, changed or unknown, null for a REJECTED result.

        examples:
          offhours reprocess --status REJECTED
          offhours reprocess --settings stale --dry-run
          offhours reprocess --all --dry-run
        """;
  }

  @Override
  public int run(Invocation call) {
    Arguments args = call.args();
    ReprocessSelection selection = selection(args, call.context().clock());
    if (!selection.any() && !args.has(ALL.name())) {
      throw CliException.usage(
          "say what to reprocess: --key, --prefix, --status, --settings, --label, --model, --since, --before,"
              + " or --all for every result");
    }
    if (selection.any() && args.has(ALL.name())) {
      // --all with a filter would quietly mean the filter's results, not every result.
      String filters = FILTERS.stream()
          .filter(o -> args.has(o.name()))
          .map(o -> "--" + o.name())
          .collect(java.util.stream.Collectors.joining(", "));
      boolean several = filters.contains(",");
      throw CliException.usage("--all is every result and does not go with " + filters
          + ": drop --all to reprocess what " + filters + (several ? " select" : " selects")
          + ", or the " + (several ? "filters" : "filter") + " to reprocess every result");
    }
    boolean dryRun = args.has(DRY_RUN.name());
    try (Target target = call.target();
        DynamoDbClient dynamoDb = target.dynamoDb();
        SqsClient sqs = target.sqs();
        ReprocessInterruption watch = dryRun ? null : ReprocessInterruption.watch(call.err())) {
      String bucket = target.name(Name.BUCKET);
      String table = target.name(Name.RESULTS_TABLE);
      LiveSettingsLookup lookup = LiveSettingsLookup.of(target);
      LiveSettings settings =
          target.on(Name.RESULTS_TABLE, NotFound.TABLE, () -> lookup.now(dynamoDb, table));
      ReprocessSelection.Read read = target.on(
          Name.RESULTS_TABLE,
          NotFound.TABLE,
          () -> selection.read(new ResultsTable(dynamoDb, table), bucket, settings.fingerprint()));
      List<ResultItem> selected = read.selected();
      String live = settings.fingerprint();
      String queueUrl = target.name(Name.QUEUE_URL);
      Instant now = call.context().clock().instant();
      if (watch != null) {
        watch.selected(selected.size());
      }
      List<String> failed = dryRun
          ? List.of()
          : target.on(
              Name.QUEUE_URL,
              NotFound.QUEUE,
              () -> send(sqs, queueUrl, selected, now, watch::sent));
      for (ResultItem r : selected) {
        boolean sent = !dryRun && !failed.contains(r.pk() + " " + r.sk());
        if (call.json()) {
          call.out()
              .println(Json.line(Json.object()
                  .put("key", r.key())
                  .put("versionId", r.versionId())
                  .put("eTag", r.eTag())
                  .put("status", r.status().name())
                  .put("model", r.model())
                  .put("settings", r.settingsWord(live))
                  .put("sent", sent)));
        } else {
          call.out()
              .println(Terminal.printable((dryRun ? "would send " : sent ? "sent " : "NOT sent ")
                  + ResultItem.pkFor(r.bucket(), r.key()) + " ("
                  + (r.versionId() != null ? "version " + r.versionId() : "eTag " + r.eTag()) + ", "
                  + r.status() + (r.model() == null ? "" : " by " + r.model())
                  + staleSettings(r, live) + ")"));
        }
      }
      // --settings selected by this comparison: its basis is said even when nothing was selected
      // (right after a change, a fallback basis still names the older settings, and that is why).
      if (!selection.settings().isEmpty()
          || selected.stream().anyMatch(r -> r.status() == Verdict.CLASSIFIED)) {
        call.err().println(ResultsCommand.settingsNote(settings, false));
      }
      if (selected.isEmpty()) {
        call.err().println(selection.nothingSelected(read.read()));
        selection.label().flatMap(lookup::labelHint).ifPresent(call.err()::println);
        selection
            .key()
            .flatMap(k -> ResultsCommand.addressHint(KEY.name(), k, bucket))
            .ifPresent(call.err()::println);
        selection
            .prefix()
            .flatMap(p -> ResultsCommand.addressHint(PREFIX.name(), p, bucket))
            .ifPresent(call.err()::println);
        read.modelHint(selection.model()).ifPresent(call.err()::println);
      }
      read.noObjectNote().ifPresent(call.err()::println);
      long rejected =
          selected.stream().filter(r -> r.status() == Verdict.REJECTED).count();
      if (rejected > 0) {
        // README's advice, where the operator who follows "reprocess --status REJECTED" reads.
        call.err()
            .println(Plurals.of(rejected, "REJECTED result") + (dryRun ? " would go" : " went")
                + " to the model with the same image: unless the model or its limits changed, the verdict comes"
                + " again; a new upload under the same key replaces it ('results --status REJECTED' says what each"
                + " needs)");
      }
      call.err()
          .println((dryRun ? "would send " : "sent ")
              + Plurals.of(selected.size() - failed.size(), "object version") + " to the queue"
              + (dryRun ? " (--dry-run: nothing was sent)" : "")
              + (failed.isEmpty()
                  ? ""
                  : "; " + failed.size() + " could not be sent: run the same command again"));
      return failed.isEmpty() ? 0 : 1;
    }
  }

  /**
   * ", settings changed" or ", settings unknown" for a CLASSIFIED result the table will replace although its model is
   * the live one (its settings are not {@code live}'s), else "". A result whose settings are unknown is replaced too
   * (offhours.results.ResultsTable), so its answer is then recorded with the settings that made it.
   */
  static String staleSettings(ResultItem r, String live) {
    SettingsState state = r.settingsAgainst(live);
    return r.status() == Verdict.CLASSIFIED && state != SettingsState.CURRENT
        ? ", settings " + state.word()
        : "";
  }

  /**
   * Sends one notification per result, 10 per SendMessageBatch, telling {@code taken} how many SQS took of each;
   * returns "pk sk" of those SQS did not take.
   */
  static List<String> send(
      SqsClient sqs, String queueUrl, List<ResultItem> results, Instant now, IntConsumer taken) {
    List<String> failed = new ArrayList<>();
    for (int i = 0; i < results.size(); i += 10) {
      List<ResultItem> chunk = results.subList(i, Math.min(results.size(), i + 10));
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
      for (int j = 0; j < chunk.size(); j++) {
        ResultItem r = chunk.get(j);
        String body = new ObjectNotification(
                r.bucket(),
                r.key(),
                r.sizeBytes(),
                r.eTag(),
                r.versionId(),
                r.sequencer(),
                r.uploadedAt() == null ? now : r.uploadedAt(),
                ORIGIN)
            .body();
        entries.add(SendMessageBatchRequestEntry.builder()
            .id(Integer.toString(j))
            .messageBody(body)
            .build());
      }
      List<BatchResultErrorEntry> errors =
          sqs.sendMessageBatch(b -> b.queueUrl(queueUrl).entries(entries)).failed();
      for (BatchResultErrorEntry error : errors) {
        ResultItem r = chunk.get(Integer.parseInt(error.id()));
        failed.add(r.pk() + " " + r.sk());
      }
      taken.accept(chunk.size() - errors.size());
    }
    return failed;
  }

  /** What the options select; a bad or contradictory value is a usage error that says which. */
  static ReprocessSelection selection(Arguments args, Clock clock) {
    Optional<String> status = args.value(STATUS.name()).map(s -> s.toUpperCase(Locale.ROOT));
    if (status.isPresent() && !ResultsCommand.STATUSES.contains(status.get())) {
      throw CliException.usage(
          "unknown status '" + args.value(STATUS.name()).get() + "'; use CLASSIFIED or REJECTED");
    }
    Set<SettingsState> settings =
        args.value(SETTINGS.name()).map(ReprocessCommand::settings).orElse(Set.of());
    if (!settings.isEmpty()) {
      if (status.isPresent() && !status.get().equals(Verdict.CLASSIFIED.name())) {
        throw CliException.usage("--settings selects CLASSIFIED results, and a " + status.get()
            + " result is a verdict on the image, which no change of the settings makes stale: drop --status "
            + args.value(STATUS.name()).get()
            + ", or reprocess each in its own run");
      }
      status = Optional.of(Verdict.CLASSIFIED.name());
    }
    Optional<Instant> since = args.value(SINCE.name()).map(t -> time("--since", t, clock));
    Optional<Instant> before = args.value(BEFORE.name()).map(t -> time("--before", t, clock));
    if (since.isPresent() && before.isPresent() && !since.get().isBefore(before.get())) {
      throw CliException.usage("--since " + since.get() + " is not before --before " + before.get()
          + ": no result can be in between");
    }
    return new ReprocessSelection(
        args.objectKey(KEY.name()),
        args.keyPrefix(PREFIX.name(), "every key (with --all alone for every result)"),
        status,
        settings,
        args.topLabel(LABEL.name()),
        args.nonEmpty(MODEL.name(), "a model name (each result's model)"),
        since,
        before);
  }

  /**
   * --settings' value: the comparisons with the live settings it selects. {@code current} is refused: those are the
   * results reprocessing would not change.
   */
  private static Set<SettingsState> settings(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "changed" -> EnumSet.of(SettingsState.CHANGED);
      case "unknown" -> EnumSet.of(SettingsState.UNKNOWN);
      case "stale" -> EnumSet.of(SettingsState.CHANGED, SettingsState.UNKNOWN);
      case "current" ->
        throw CliException.usage("--settings current would send results that reprocessing leaves as"
            + " they are (same model, same settings); use changed, unknown or stale");
      default ->
        throw CliException.usage("unknown --settings '" + Terminal.value(value)
            + "'; use changed (made under other settings), unknown (made before results recorded"
            + " them) or stale (both)");
    };
  }

  /** An ISO-8601 instant, a date-time in the clock's zone, or a duration before now (in whole seconds). */
  static Instant time(String option, String text, Clock clock) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException notOffset) {
      // try the next form
    }
    try {
      return LocalDateTime.parse(text).atZone(clock.getZone()).toInstant();
    } catch (DateTimeParseException notLocal) {
      // try the next form
    }
    Matcher ago = AGO.matcher(text);
    if (!text.isEmpty() && ago.matches()) {
      try {
        // Whole seconds: messages print the instant, and a fraction selects nothing more.
        return clock
            .instant()
            .truncatedTo(ChronoUnit.SECONDS)
            .minus(Duration.ofDays(number(ago.group(1)))
                .plusHours(number(ago.group(2)))
                .plusMinutes(number(ago.group(3))));
      } catch (DateTimeException | ArithmeticException | NumberFormatException tooLong) {
        throw CliException.usage(option + " " + Terminal.printable(text)
            + " reaches back further than any date; give a shorter duration or a date-time");
      }
    }
    throw CliException.usage(
        option + " needs an ISO-8601 instant (2026-11-25T18:00:00Z), a local date-time"
            + " (2026-11-25T18:00) or a duration ago (2h, 3d, 1d12h), got '"
            + Terminal.value(text) + "'");
  }

  private static long number(String group) {
    return group == null ? 0 : Long.parseLong(group);
  }
}
