package offhours.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.cli.Target.Name;
import offhours.results.LiveSettings;
import offhours.results.NewestFirst;
import offhours.results.ResultItem;
import offhours.results.ResultsTable;
import offhours.units.Shown;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** {@code offhours results}: what the pipeline said about each upload, newest first. */
final class ResultsCommand implements Command {

  private static final int DEFAULT_LIMIT = 100;
  static final List<String> STATUSES = List.of("CLASSIFIED", "REJECTED");

  private static final Option LABEL =
      Option.value("label", "L", "only images whose top label is L");
  private static final Option STATUS =
      Option.value("status", "S", "only CLASSIFIED or only REJECTED results");
  private static final Option KEY = Option.value("key", "K", "only the results for object key K");
  private static final Option PREFIX =
      Option.value("prefix", "P", "only the results for object keys that start with P");
  private static final Option LIMIT =
      Option.value("limit", "N", "show at most N results (default " + DEFAULT_LIMIT + ")");

  @Override
  public String name() {
    return "results";
  }

  @Override
  public String summary() {
    return "list classification results, newest first";
  }

  @Override
  public List<Option> options() {
    return List.of(LABEL, STATUS, KEY, PREFIX, LIMIT, Option.JSON, Option.STACK);
  }

  @Override
  public String description() {
    return """
        Prints key, top label, score, status, settings and reason. REJECTED results carry the reason
        (not an image, too large, truncated ...), cut to the terminal's width ($COLUMNS); keys longer
        than 40 columns are cut in the middle (their end shows) and labels longer than 24 at the end;
        --json never cuts. Under a table with REJECTED rows, says on stderr what to do about each kind of
        reason shown (one line a kind: not JPEG or PNG, cut short or damaged, too large, ...).
        --prefix P reads as 'offhours reprocess --prefix P' does: with --label or --status, that index's
        results; alone, every result (as many reads as a Scan of the table), then the newest --limit.
        When more results match than --limit, says so on stderr. --label L is matched exactly: when
        no result has L and it differs from one of the model's labels only in case, says which on
        stderr. With --json, one object per line with key, topLabel, score, status, reason, bucket,
        labels, scores (probabilities, or logits when offhours applied a softmax), classifiedAt,
        uploadedAt, attempts, versionId, sizeBytes (null where absent),
        settings (null for REJECTED), id (s3://bucket/key, or for a message that was no S3
        notification sqs://queue/messageId, which KEY shows for it).
        SETTINGS says whether a CLASSIFIED result was made under the model's settings the stack runs
        with now (labels, content type, accept, scores): current, changed (reprocess it), or unknown
        (written before results recorded their settings). The settings are resolved from the stack's
        parameters (the local stack's: as it started) as the functions resolve them; a deployed stack
        whose labels are a LabelsS3Uri file is compared with the newest classification's settings
        instead. Which of the two was used is said on stderr.

        examples:
          offhours results --label Neutral
          offhours results --status REJECTED --json
        """;
  }

  @Override
  public int run(Invocation call) {
    Query query = query(call.args());
    try (Target target = call.target();
        DynamoDbClient dynamoDb = target.dynamoDb()) {
      String table = target.name(Name.RESULTS_TABLE);
      String bucket = target.name(Name.BUCKET);
      LiveSettingsLookup lookup = LiveSettingsLookup.of(target);
      LiveSettings live =
          target.on(Name.RESULTS_TABLE, NotFound.TABLE, () -> lookup.now(dynamoDb, table));
      List<ResultRow> rows = target.on(
          Name.RESULTS_TABLE,
          NotFound.TABLE,
          () -> read(dynamoDb, table, bucket, query, live.fingerprint()));
      boolean more = rows.size() > query.limit();
      rows = rows.subList(0, Math.min(rows.size(), query.limit()));
      if (call.json()) {
        rows.forEach(row -> call.out().println(Json.line(row.toJson())));
      } else if (rows.isEmpty()) {
        call.out().println("no results" + (query.unfiltered() ? " yet in " + table : " match"));
      } else {
        call.out().print(render(rows, call.context().columns()));
        RejectionLines.of(rows).forEach(call.err()::println);
      }
      if (more) {
        call.err().println(more(query));
      }
      if (rows.isEmpty() && query.label() != null) {
        lookup.labelHint(query.label()).ifPresent(call.err()::println);
      }
      if (rows.isEmpty() && query.key() != null) {
        escapedKeyHint(query.key()).ifPresent(call.err()::println);
        addressHint(KEY.name(), query.key(), target.name(Name.BUCKET))
            .ifPresent(call.err()::println);
      }
      if (rows.isEmpty() && query.prefix() != null) {
        addressHint(PREFIX.name(), query.prefix(), target.name(Name.BUCKET))
            .ifPresent(call.err()::println);
      }
      if (rows.stream().anyMatch(r -> "CLASSIFIED".equals(r.status()))) {
        call.err().println(settingsNote(live, call.json()));
      }
    }
    return 0;
  }

  /**
   * Said on stderr when {@code option}'s value matched nothing and is an object's address ({@code s3://BUCKET/KEY},
   * as {@code reprocess} and {@code --json}'s {@code id} write it) rather than a key in the bucket, which is what
   * {@code --key} and {@code --prefix} match: the hint gives the key alone, quoted for a shell ({@link
   * Terminal#shellWord}: a key with control characters in bash's {@code $'...'}, which reads them back).
   */
  static Optional<String> addressHint(String option, String value, String bucket) {
    String address = "s3://" + bucket + "/";
    if (value.startsWith(address) && value.length() > address.length()) {
      String key = value.substring(address.length());
      boolean plain = key.chars().noneMatch(c -> Shown.isControl((char) c));
      return Optional.of(Terminal.printable("--" + option + " takes a key in the bucket, not an"
          + " s3:// address: "
          + (plain ? "give --" : "the key has control characters, so in bash give --")
          + option + " " + Terminal.shellWord(key)));
    }
    if (value.startsWith("s3://")) {
      return Optional.of(Terminal.printable("--" + option + " takes a key in the bucket, not an"
          + " s3:// address (this stack's bucket is " + bucket + ")"));
    }
    return Optional.empty();
  }

  /** An escape as {@link Terminal#printable} writes one for a control character in a key. */
  private static final Pattern ESCAPE = Pattern.compile("\\\\(?:x\\p{XDigit}{2}|u\\p{XDigit}{4})");

  /**
   * Said on stderr when {@code --key} matched nothing and holds an escape the table writes for a control character
   * (a tab shows as {@code \x09}): the key copied from the table is not the key. The hint reads the escapes back
   * into the characters and gives that key quoted for bash ({@link Terminal#shellWord}, in {@code $'...'} where it
   * holds control characters): the table's {@code \x85}, U+0085, is not the byte bash's {@code $'\x85'} would give.
   */
  static Optional<String> escapedKeyHint(String key) {
    Matcher m = ESCAPE.matcher(key);
    if (!m.find()) {
      return Optional.empty();
    }
    StringBuilder unescaped = new StringBuilder();
    do {
      char c = (char) Integer.parseInt(m.group().substring(2), 16);
      // Half a surrogate pair is no character the table escapes: kept as the text it is.
      String read = Character.isSurrogate(c) ? m.group() : String.valueOf(c);
      m.appendReplacement(unescaped, Matcher.quoteReplacement(read));
    } while (m.find());
    m.appendTail(unescaped);
    return Optional.of(
        Terminal.printable("the table shows control characters in keys as escapes such as"
            + " \\x09 (a tab), and --key takes the key itself: if the key holds such characters, in bash give"
            + " --key " + Terminal.shellWord(unescaped.toString())));
  }

  /**
   * Said on stderr under rows that have settings: what they are compared with, named as the output names it (the
   * SETTINGS column, or {@code --json}'s {@code settings} field).
   */
  static String settingsNote(LiveSettings live, boolean json) {
    return Terminal.printable((json ? "settings " : "SETTINGS ") + live.basis());
  }

  /** Said on stderr, so --json output stays one object per line. */
  private static String more(Query query) {
    return "more results match: these are the newest " + query.limit() + "; see more with --limit "
        + 2L * query.limit()
        + (query.unfiltered() ? ", or narrow them with --label, --status, --key or --prefix" : "");
  }

  /** What to read; null fields do not filter. */
  record Query(String key, String prefix, String label, String status, int limit) {

    boolean unfiltered() {
      return key == null && prefix == null && label == null && status == null;
    }
  }

  /**
   * Newest first, one row more than the limit, so the caller can tell that more exist. With a prefix, read as {@code
   * reprocess --prefix} reads ({@link ReprocessSelection#read}: the narrowest Query the other filters allow, else both
   * statuses whole); else by key (all versions, then filtered); else from the label or status index ({@link
   * NewestFirst}: Queries that read about the rows shown, never a scan).
   */
  static List<ResultRow> read(
      DynamoDbClient dynamoDb, String table, String bucket, Query query, String liveSettings) {
    List<ResultItem> items;
    if (query.prefix() != null) {
      items = new ReprocessSelection(
              Optional.ofNullable(query.key()),
              Optional.of(query.prefix()),
              Optional.ofNullable(query.status()),
              Set.of(),
              Optional.ofNullable(query.label()),
              Optional.empty(),
              Optional.empty(),
              Optional.empty())
          .read(new ResultsTable(dynamoDb, table), bucket, liveSettings).selected().stream()
              .sorted(ResultsTable.NEWEST_FIRST)
              .limit(query.limit() + 1L)
              .toList();
    } else if (query.key() != null) {
      items = new ResultsTable(dynamoDb, table)
          .byKey(bucket, query.key()).stream()
              .filter(i -> query.label() == null || query.label().equals(i.topLabel()))
              .filter(i ->
                  query.status() == null || query.status().equals(i.status().name()))
              .limit(query.limit() + 1L)
              .toList();
    } else {
      items = new NewestFirst(dynamoDb, table)
          .page(query.label(), query.status(), null, query.limit() + 1, null)
          .items();
    }
    return items.stream().map(i -> ResultRow.from(i, liveSettings)).toList();
  }

  static Query query(Arguments args) {
    String status =
        args.value(STATUS.name()).map(s -> s.toUpperCase(Locale.ROOT)).orElse(null);
    if (status != null && !STATUSES.contains(status)) {
      throw CliException.usage(
          "unknown status '" + args.value(STATUS.name()).get() + "'; use CLASSIFIED or REJECTED");
    }
    int limit = NumberFlags.positive(args, LIMIT, DEFAULT_LIMIT, Integer.MAX_VALUE - 1);
    return new Query(
        args.objectKey(KEY.name()).orElse(null),
        args.keyPrefix(PREFIX.name(), "every key").orElse(null),
        args.topLabel(LABEL.name()).orElse(null),
        status,
        limit);
  }

  /**
   * The most terminal columns a key, or a message's {@code sqs://} id, takes in the table (an S3 key may be 1,024
   * bytes); cut in the middle with "…" by display width ({@link Format#fitKey}), so that its end shows. --json shows
   * it whole.
   */
  static final int KEY_COLUMNS = 40;

  /** The most a top label takes (the model's class names come from the user's labels file). */
  static final int LABEL_COLUMNS = 24;

  /**
   * The table: keys and labels cut to {@link #KEY_COLUMNS} and {@link #LABEL_COLUMNS}, the REASON column to fit
   * {@code columns}, each by display width ({@link Format#fit}).
   */
  static String render(List<ResultRow> rows, int columns) {
    List<List<String>> cells = new ArrayList<>();
    for (ResultRow row : rows) {
      cells.add(List.of(
          // A message that was no S3 notification has no key: its id names it, cut as a key is,
          // as a deployed stack's queue name makes it some 80 columns, and every row's KEY with it.
          row.key() != null
              ? Format.fitKey(row.key(), KEY_COLUMNS)
              : row.id() == null ? "-" : Format.fitKey(row.id(), KEY_COLUMNS),
          row.topLabel() == null ? "-" : Format.fit(row.topLabel(), LABEL_COLUMNS),
          row.score() == null || row.topLabel() == null
              ? "-"
              : String.format(Locale.ROOT, "%.3f", row.score()),
          row.status() == null ? "-" : row.status(),
          row.settings() == null ? "-" : row.settings(),
          row.reason() == null ? "" : row.reason()));
    }
    return TextTable.render(
        List.of("KEY", "LABEL", "SCORE", "STATUS", "SETTINGS", "REASON"), cells, columns);
  }
}
