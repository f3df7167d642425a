package offhours.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import offhours.cli.DeadLetterQueue.Letter;
import offhours.cli.DeadLetterQueue.Moved;
import offhours.cli.Target.Name;
import offhours.units.Plurals;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code offhours dlq redrive}: sends the dead-letter queue's messages back to the queue, all of them through SQS's own
 * move task where the queue has one, a selection (or all, on a local SQS without that API) by sending each before
 * deleting it ({@link DeadLetterQueue#move}). The group's other commands ({@link DlqCommand}) only read the DLQ; this
 * one changes it, and owns its selection options and the report of what moved.
 */
final class DlqRedrive implements Command {
  private static final Option ID =
      Option.value("id", "ID[,ID...]", "only the messages with these ids");
  private static final Option KEY_PREFIX =
      Option.value("key-prefix", "P", "only the messages about an object whose key starts with P");

  @Override
  public String name() {
    return "redrive";
  }

  @Override
  public String summary() {
    return "send the DLQ's messages (all, or by id or key prefix) back to the queue";
  }

  @Override
  public List<Option> options() {
    return List.of(ID, KEY_PREFIX, Option.JSON, Option.STACK);
  }

  @Override
  public String description() {
    return """
        Without --id or --key-prefix, every message goes back: on AWS through SQS's own move task
        (StartMessageMoveTask, in the background; 'offhours queue' shows its progress, and its reason if
        it failed). SQS runs one task per DLQ at a time and refuses a second while one runs. A local SQS
        without that API (moto_server), a DLQ in which SQS counts no message, and a selection get the
        same move from offhours: each message is sent to the queue before it is deleted from the DLQ, so
        an interruption leaves at worst a duplicate, which the results table's conditional writes
        absorb. The output says which way was used. Messages keep their attributes, as SQS's move does,
        and get a new message id; either way the Classify function gives a redriven message a fresh
        deferral budget (its offhours-deferrals count starts again). A redrive that moves nothing says
        why on stderr: the DLQ is empty, no message matches --key-prefix, or an --id is not in the DLQ
        (or was not seen by a pass that could not see every message) or does not match --key-prefix.
        Exits 1 if a selected message could not be moved, an --id was not moved, or the pass could not
        see every message (stderr says which and why).
        With --json: {"method", "moved", "kept", "complete", "messageIds", "failed", "taskHandle"}.
        """;
  }

  /**
   * Reads the ARNs of {@code target}'s dead-letter queue and queue again, when SQS said during the move that one is
   * gone: a queue that does not exist is named by its output ({@link Target#on}).
   */
  private static void arns(Target target, MoveTasks tasks, String queueUrl, String dlqUrl) {
    target.on(Name.DLQ_URL, NotFound.QUEUE, () -> tasks.arn(dlqUrl, "dead-letter queue"));
    target.on(Name.QUEUE_URL, NotFound.QUEUE, () -> tasks.arn(queueUrl, "queue"));
  }

  /**
   * What redrive says when SQS said during its own move ({@code e}) that a queue is gone: each queue that is gone,
   * named by its output as {@link #arns} names it, then what became of the messages ({@link #fates}). The queue SQS
   * said so of is gone, whatever a read says after (a queue just deleted may answer reads for up to 60 seconds): the
   * queue at a send ({@link DeadLetterQueue.QueueGone#atSend}), the DLQ at a receive or a delete; a read says whether
   * the other went too.
   */
  private static RuntimeException gone(
      Target target, MoveTasks tasks, String queueUrl, String dlqUrl, DeadLetterQueue.QueueGone e) {
    OtherQueue other = e.atSend()
        ? read(() -> tasks.arn(dlqUrl, "dead-letter queue"))
        : read(() -> tasks.arn(queueUrl, "queue"));
    boolean queue = e.atSend() || other.gone();
    boolean dlq = !e.atSend() || other.gone();
    String which = queue && dlq
        ? NotFound.QUEUE.message(target, Name.QUEUE_URL, Name.DLQ_URL)
        : NotFound.QUEUE.message(target, queue ? Name.QUEUE_URL : Name.DLQ_URL);
    String unknown = other.failure() == null
        ? ""
        : ". Whether the " + (e.atSend() ? "dead-letter queue" : "queue")
            + " went too is not known, as reading it failed: " + other.failure();
    return CliException.failure(
        which + ". " + fates(queue, dlq, e.moved(), e.sentOnly()) + unknown);
  }

  /**
   * What became of the messages of a move during which the queue ({@code queue}), the DLQ ({@code dlq}) or both went:
   * those moved before ({@code moved}: sent, then deleted from the DLQ) are in the queue, or went with it; one sent
   * whose delete SQS answered with the DLQ gone ({@code sentOnly}) is in the queue, or went with it; the rest stay in
   * the DLQ, or went with it.
   */
  static String fates(boolean queue, boolean dlq, List<String> moved, List<String> sentOnly) {
    List<String> said = new ArrayList<>();
    if (!moved.isEmpty()) {
      String count = Plurals.of(moved.size(), "message");
      said.add(
          queue
              ? "Before " + (dlq ? "they" : "it") + " went, " + count + " had been moved to "
                  + (dlq ? "the queue" : "it")
                  + " (sent, then deleted from the dead-letter queue), and went"
                  + " with " + (dlq ? "the queue" : "it") + ": "
                  + Terminal.printable(Format.firstOf(moved, ", "))
              : "Before it went, " + count + " had been moved from it to the queue, which has "
                  + (moved.size() == 1 ? "it" : "them"));
    }
    if (!sentOnly.isEmpty()) {
      said.add(Plurals.of(sentOnly.size(), "message") + " sent to the queue"
          + (queue ? "" : ", which has it,")
          + " could not then be deleted from the dead-letter queue, which was gone"
          + (queue ? ", and went with " + (dlq ? "both queues" : "the queue") : "") + ": "
          + Terminal.printable(String.join(", ", sentOnly)));
    }
    boolean none = moved.isEmpty() && sentOnly.isEmpty();
    if (dlq) {
      said.add(
          none
              ? "No message had been moved " + (queue ? "to the queue" : "from it")
                  + ": every message of the dead-letter queue went with it"
              : "Any other message of the dead-letter queue went with it");
    } else {
      said.add(
          none
              ? "No message had been moved to it: every message stays in the dead-letter queue"
              : "The others stay in the dead-letter queue");
    }
    return String.join(". ", said);
  }

  /**
   * {@link #gone}'s read of the queue SQS did not say was gone: whether it found it gone, or why it could not tell
   * ({@code failure}, null when the read answered). A read that fails for another reason (throttled, no network)
   * leaves the queue taken as there, and the report says it is not known, where that error replaced the report of
   * the messages already moved.
   */
  private record OtherQueue(boolean gone, String failure) {}

  private static OtherQueue read(Runnable arn) {
    try {
      arn.run();
      return new OtherQueue(false, null);
    } catch (RuntimeException e) {
      if (NotFound.QUEUE.test(e)) {
        return new OtherQueue(true, null);
      }
      return new OtherQueue(
          false, Terminal.printable(Format.fit(String.valueOf(e.getMessage()), 300)));
    }
  }

  @Override
  public int run(Invocation call) throws IOException {
    Optional<Set<String>> ids = call.args()
        .value(ID.name())
        .map(v -> Arrays.stream(v.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .map(id -> DlqCommand.messageId("--id", id))
            .collect(Collectors.toSet()));
    Optional<String> prefix = call.args().keyPrefix(KEY_PREFIX.name(), "every message");
    if (ids.isPresent() && ids.get().isEmpty()) {
      throw CliException.usage("--id needs at least one message id");
    }
    try (Target target = call.target();
        SqsClient sqs = target.sqs()) {
      String queueUrl = target.name(Name.QUEUE_URL);
      String dlqUrl = target.name(Name.DLQ_URL);
      DeadLetterQueue dlq = DlqCommand.open(call, target, sqs);
      // Both queues first, by name if either does not exist, before a message is received or sent;
      // and again when SQS says one is gone during the move (deleted since), which names it.
      MoveTasks tasks = new MoveTasks(sqs, dlqUrl, target.local());
      MoveTasks.SourceQueue source =
          target.on(Name.DLQ_URL, NotFound.QUEUE, () -> tasks.source(dlqUrl));
      String destination =
          target.on(Name.QUEUE_URL, NotFound.QUEUE, () -> tasks.arn(queueUrl, "queue"));
      Runnable arns = () -> arns(target, tasks, queueUrl, dlqUrl);
      String fallback = null;
      // Of a DLQ where SQS counts nothing, a task would move nothing and become the last task that
      // 'offhours queue' shows, in place of one worth seeing: the pass below says the DLQ is empty
      // after a receive that asks every server, or moves what the count had not caught up with.
      if (ids.isEmpty() && prefix.isEmpty() && source.counted() > 0) {
        MoveTasks.Start started = tasks.start(source.arn(), destination, arns);
        if (started.handle() != null) {
          print(
              call,
              "StartMessageMoveTask",
              null,
              started.handle(),
              "started SQS's move task " + Terminal.printable(started.handle())
                  + ": SQS moves every message of the dead-letter queue back to the queue in the"
                  + " background; 'offhours queue' shows the task's progress and how it ended");
          return 0;
        }
        fallback = started.unsupported();
      }
      Predicate<Letter> selected = l -> ids.map(s -> s.contains(l.messageId())).orElse(true)
          && prefix.map(p -> l.keys().stream().anyMatch(k -> k.startsWith(p))).orElse(true);
      Moved moved;
      try {
        // The DLQ's counts just read size the pass's hide period: no second read.
        moved = dlq.move(queueUrl, selected, source.atStart());
      } catch (DeadLetterQueue.QueueGone e) {
        throw gone(target, tasks, queueUrl, dlqUrl, e);
      }
      print(
          call,
          "send-then-delete",
          moved,
          null,
          movedSummary(moved.moved().size(), moved.kept().size(), fallback));
      Notes notes = notes(ids, prefix, moved);
      notes.lines().forEach(call.err()::println);
      if (moved.moved().isEmpty()) {
        prefix
            .flatMap(
                p -> ResultsCommand.addressHint(KEY_PREFIX.name(), p, target.name(Name.BUCKET)))
            .ifPresent(call.err()::println);
      }
      int exit = DlqCommand.report(call, moved.pass()) ? 0 : 1;
      if (!moved.failed().isEmpty()) {
        call.err()
            .println("could not move " + Plurals.of(moved.failed().size(), "selected message")
                + ": "
                + Terminal.printable(Format.firstOf(moved.failed(), "; ")));
        exit = 1;
      }
      return notes.idsLeft() ? 1 : exit;
    }
  }

  /**
   * What a redrive says on stderr beside its line, and whether an id it was given stayed where it was: of each such
   * id, that it is not in the dead-letter queue (or only that the pass did not see it) or that it is but does not
   * match {@code --key-prefix}; when nothing moved and none failed, that the pass found the DLQ empty or that no
   * message matched, naming the selection and how many it saw. A pass that did not see every message claims none of
   * these absences: it stopped early, or another reader held some hidden ({@link DlqPass.PassReport#hiddenAtStart}),
   * and its warning says so itself.
   */
  static Notes notes(Optional<Set<String>> ids, Optional<String> prefix, Moved moved) {
    List<String> lines = new ArrayList<>();
    Set<String> kept = Set.copyOf(moved.kept());
    List<String> named = ids.orElse(Set.of()).stream()
        .filter(id -> !moved.moved().contains(id))
        .filter(id -> moved.failed().stream().noneMatch(f -> f.startsWith(id + ": ")))
        .sorted()
        .toList();
    List<String> absent = named.stream().filter(id -> !kept.contains(id)).toList();
    List<String> unmatched = named.stream().filter(kept::contains).toList();
    boolean sawAll = moved.pass().complete() && moved.pass().hiddenAtStart() == 0;
    if (!absent.isEmpty()) {
      lines.add((sawAll
              ? "not in the dead-letter queue: "
              : "not seen by this pass, which could not see every message of the dead-letter queue"
                  + " (its warning says why; run the command again): ")
          + Terminal.printable(String.join(", ", absent)));
    }
    if (!unmatched.isEmpty()) {
      lines.add(Terminal.printable(
          "in the dead-letter queue but not matching --" + KEY_PREFIX.name() + " "
              + Terminal.shellWord(prefix.orElseThrow()) + ": " + String.join(", ", unmatched)));
    }
    if (ids.isEmpty() && moved.moved().isEmpty() && moved.failed().isEmpty() && sawAll) {
      if (moved.kept().isEmpty()) {
        lines.add(Terminal.printable("the dead-letter queue is empty: nothing to redrive"
            + prefix
                .map(p -> " (asked: --" + KEY_PREFIX.name() + " " + Terminal.shellWord(p) + ")")
                .orElse("")));
      } else if (prefix.isPresent()) {
        lines.add(Terminal.printable("no message matches --" + KEY_PREFIX.name() + " "
            + Terminal.shellWord(prefix.get()) + " (of "
            + Plurals.of(moved.kept().size(), "message")
            + " in the dead-letter queue; 'offhours dlq list' shows the keys)"));
      }
    }
    return new Notes(List.copyOf(lines), !named.isEmpty());
  }

  /** {@link #notes}: the lines for stderr, and whether an id given stayed in the DLQ or was not there. */
  record Notes(List<String> lines, boolean idsLeft) {}

  private static void print(
      Invocation call, String method, Moved moved, String handle, String text) {
    if (!call.json()) {
      call.out().println(text);
      return;
    }
    ObjectNode json = Json.object().put("method", method).put("taskHandle", handle);
    if (moved != null) {
      json.put("moved", moved.moved().size())
          .put("kept", moved.kept().size())
          .put("complete", moved.pass().complete());
      ArrayNode list = json.putArray("messageIds");
      moved.moved().forEach(list::add);
      ArrayNode failed = json.putArray("failed");
      moved.failed().forEach(failed::add);
    }
    call.out().println(Json.line(json));
  }

  /**
   * The redrive's line: "moved 1 message back to the queue, sent before it was deleted from the DLQ; 1 not selected
   * stays in the DLQ", in the grammar of each count ("each sent" only of several, nothing of none).
   */
  static String movedSummary(int moved, int kept, String fallback) {
    return "moved " + Plurals.of(moved, "message") + " back to the queue"
        + (moved == 0
            ? ""
            : (moved == 1 ? ", sent" : ", each sent") + " before it was deleted from the DLQ")
        + (fallback == null ? "" : " (" + fallback + ")")
        + (kept == 0
            ? ""
            : "; " + kept + " not selected " + (kept == 1 ? "stays" : "stay") + " in the DLQ");
  }
}
