package offhours.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.cli.DeadLetterQueue.Letter;
import offhours.cli.Target.Name;
import offhours.local.LocalDirectory;
import offhours.units.Plurals;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code offhours dlq list|show|redrive}: what is in the dead-letter queue ({@code list}, {@code show}, here), and
 * sending it back ({@link DlqRedrive}).
 */
final class DlqCommand {

  /**
   * What a look at the DLQ does to it, in the help of {@code list} and {@code show} and under the listing: wrapped
   * as the other help texts are, so a terminal shows it as lines, not as one run-on line.
   */
  private static final String PEEK_NOTE = """
      Reading the DLQ receives its messages: a pass hides them while it runs (for %d s plus half a
      second per message SQS counts, extended if the pass runs longer) and adds one to their receive
      count, which sends them nowhere (the DLQ has no redrive of its own). They are visible again
      when the command ends.
      """.formatted(DlqPass.MIN_HIDE_SECONDS);

  private DlqCommand() {}

  static Command group() {
    return Command.group(
        "dlq",
        "list, show or send back the dead-letter queue's messages",
        List.of(new DlqList(), new DlqShow(), new DlqRedrive()));
  }

  /** The DLQ of the target, with the reasons the local stack's Classify function logged. */
  static DeadLetterQueue open(Invocation call, Target target, SqsClient sqs) throws IOException {
    Map<String, String> logged = target.local()
        ? DeadLetterQueue.loggedErrors(
            LocalDirectory.logs(call.context().cacheDir()).resolve("stack.log"))
        : Map.of();
    return new DeadLetterQueue(
        sqs, target.name(Name.DLQ_URL), logged, call.context().clock(), call.err());
  }

  /** Where to read a reason offhours did not record: the deployed function's log group. */
  private static String noReason(Target target) {
    return target.local()
        ? "no reason recorded"
        : "no reason recorded; see the Classify function's log (CloudWatch"
            + " Logs Insights: filter messageId = 'ID')";
  }

  /** Prints what the operator should know about a pass to stderr; returns whether it saw every message. */
  static boolean report(Invocation call, DlqPass.PassReport pass) {
    pass.warnings().forEach(w -> call.err().println("warning: " + w));
    return pass.complete();
  }

  static String age(Duration age) {
    long s = Math.max(0, age.toSeconds());
    return s < 120
        ? s + " s"
        : s < 7200 ? s / 60 + " min" : s < 172_800 ? s / 3600 + " h" : s / 86_400 + " d";
  }

  private static ObjectNode json(Letter letter, Instant now) {
    ObjectNode json = Json.object().put("messageId", letter.messageId());
    ArrayNode keys = json.putArray("keys");
    letter.keys().forEach(keys::add);
    json.put("reason", letter.reason())
        .put("reasonSource", letter.reasonSource())
        .put("sentAt", letter.sent().toString())
        .put("ageSeconds", Math.max(0, Duration.between(letter.sent(), now).toSeconds()))
        .put("receives", letter.receives());
    return json;
  }

  /** {@code dlq list}. */
  static final class DlqList implements Command {
    @Override
    public String name() {
      return "list";
    }

    @Override
    public String summary() {
      return "list the DLQ's messages: id, keys, age, reason";
    }

    @Override
    public List<Option> options() {
      return List.of(Option.JSON, Option.STACK);
    }

    @Override
    public String description() {
      return "The reason is the one the Classify function attached when it last handed the message back\n"
          + "(offhours-deferral-reason), else, in local mode, the last error it logged for the message.\n"
          + "Age counts from when the message was last sent to the queue: the upload's notification, or its\n"
          + "latest redrive or reprocess (a redrive sends the message anew, with a new id and a new retention\n"
          + "period); SQS expires a DLQ message 14 days after that.\n"
          + PEEK_NOTE
          + "A pass that could not see every message says so on stderr and exits 1.\n"
          + "With --json: {\"messageId\", \"keys\", \"reason\", \"reasonSource\", \"sentAt\", \"ageSeconds\","
          + " \"receives\"} per message.\n";
    }

    @Override
    public int run(Invocation call) throws IOException {
      try (Target target = call.target();
          SqsClient sqs = target.sqs()) {
        DeadLetterQueue dlq = open(call, target, sqs);
        DeadLetterQueue.Listing listing = target.on(Name.DLQ_URL, NotFound.QUEUE, dlq::list);
        List<Letter> letters = listing.letters();
        Instant now = call.context().clock().instant();
        int exit = report(call, listing.pass()) ? 0 : 1;
        if (call.json()) {
          letters.forEach(l -> call.out().println(Json.line(json(l, now))));
          return exit;
        }
        if (letters.isEmpty()) {
          call.out()
              .println(
                  exit == 0
                      ? "the dead-letter queue is empty"
                      : "this pass saw no message in the dead-letter queue");
          return exit;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Letter l : letters) {
          rows.add(List.of(
              l.messageId(),
              l.keysText(),
              age(Duration.between(l.sent(), now)),
              l.reason() == null ? noReason(target) : l.reason()));
        }
        call.out()
            .print(TextTable.render(
                List.of("MESSAGE ID", "KEYS", "AGE", "REASON"),
                rows,
                call.context().columns()));
        call.err().print(Plurals.of(letters.size(), "message") + " listed.\n" + PEEK_NOTE);
        return exit;
      }
    }
  }

  /** The longest SQS message id: SQS's ids are UUIDs (36 characters), and AWS says to allow up to 100. */
  static final int MAX_MESSAGE_ID = 100;

  /**
   * {@code id}, if a message can have it: at most {@link #MAX_MESSAGE_ID} characters, none of them a space or a
   * control character. A look for one no message can have would still receive every message of the DLQ (which hides
   * each for the look's visibility timeout) only to find none.
   */
  static String messageId(String where, String id) {
    if (id.length() > MAX_MESSAGE_ID || !id.codePoints().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw CliException.usage(where + " needs a message id as 'dlq list' prints it (at most "
          + MAX_MESSAGE_ID + " characters, no spaces or control characters), got '"
          + Terminal.value(id) + "'");
    }
    return id;
  }

  /** {@code dlq show ID}. */
  static final class DlqShow implements Command {
    @Override
    public String name() {
      return "show";
    }

    @Override
    public String summary() {
      return "show one DLQ message: its reason, attributes and body";
    }

    @Override
    public String operands() {
      return "MESSAGE_ID";
    }

    @Override
    public List<Option> options() {
      return List.of(Option.JSON, Option.STACK);
    }

    @Override
    public String description() {
      return "The body is printed with control characters escaped (\\x1b ...); --json prints it as a JSON string.\n"
          + PEEK_NOTE;
    }

    @Override
    public int run(Invocation call) throws IOException {
      if (call.args().operands().size() != 1
          || call.args().operands().getFirst().isBlank()) {
        throw CliException.usage("dlq show needs one message id (see 'offhours dlq list')");
      }
      String id = messageId("dlq show", call.args().operands().getFirst());
      try (Target target = call.target();
          SqsClient sqs = target.sqs()) {
        DeadLetterQueue dlq = open(call, target, sqs);
        DeadLetterQueue.Listing listing = target.on(Name.DLQ_URL, NotFound.QUEUE, dlq::list);
        report(call, listing.pass());
        Letter letter = listing.letters().stream()
            .filter(l -> l.messageId().equals(id))
            .findFirst()
            .orElseThrow(() -> listing.pass().complete()
                ? CliException.failure("no message " + Terminal.printable(id)
                    + " in the dead-letter queue of " + target.description()
                    + " (redriven, which gives it a new id, or expired 14 days after it was last sent to"
                    + " the queue?)")
                : CliException.failure("no message " + Terminal.printable(id) + " among the "
                    + listing.letters().size() + " this pass saw in the dead-letter queue of "
                    + target.description() + ", but the pass stopped early ("
                    + listing.pass().stopped() + "): it may be there; try again"));
        Instant now = call.context().clock().instant();
        if (call.json()) {
          ObjectNode json = json(letter, now);
          ObjectNode attributes = json.putObject("attributes");
          letter.attributes().forEach((name, value) -> attributes.put(name, value.stringValue()));
          call.out().println(Json.line(json.put("body", letter.body())));
          return 0;
        }
        StringBuilder text = new StringBuilder();
        text.append("message ").append(Terminal.printable(letter.messageId())).append('\n');
        letter
            .objects()
            .forEach(o -> text.append("object  ")
                .append(Terminal.printable(o.uri()))
                .append(
                    o.versionId() == null ? "" : " version " + Terminal.printable(o.versionId()))
                .append(o.eTag() == null ? "" : " eTag " + Terminal.printable(o.eTag()))
                .append('\n'));
        text.append("sent    ")
            .append(letter.sent())
            .append(" (")
            .append(age(Duration.between(letter.sent(), now)))
            .append(" ago), ")
            .append(letter.receives())
            .append(" receives in the DLQ\n");
        text.append("reason  ")
            .append(Terminal.printable(
                letter.reason() == null
                    ? noReason(target)
                    : letter.reason() + " (from the "
                        + ("log".equals(letter.reasonSource())
                            ? "Classify function's log"
                            : "message attribute " + DeadLetterQueue.REASON_ATTRIBUTE)
                        + ")"))
            .append('\n');
        letter
            .attributes()
            .forEach((name, value) -> text.append("attribute ")
                .append(Terminal.printable(name))
                .append(" = ")
                .append(Terminal.printable(value.stringValue()))
                .append('\n'));
        text.append("body\n").append(Terminal.printable(letter.body())).append('\n');
        call.out().print(text);
      }
      return 0;
    }
  }
}
