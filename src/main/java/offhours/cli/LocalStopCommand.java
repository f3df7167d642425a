package offhours.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import offhours.cli.Target.Name;
import offhours.local.StateFile;
import offhours.units.Plurals;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code local stop}: ends the stack that {@code local start} started. */
final class LocalStopCommand implements Command {
  @Override
  public String name() {
    return "stop";
  }

  @Override
  public String summary() {
    return "stop the local stack started with 'offhours local start' (its data goes with it)";
  }

  @Override
  public String description() {
    return """
        Before it stops a stack that is up, says how many uploads its queue still holds (waiting, in
        flight, delayed; as 'offhours queue' counts them) and how many messages its dead-letter queue
        holds: none of them will be classified (or that both are empty). When the queue cannot be read,
        says the count is unknown and why (naming a queue that does not exist), and stops it all the
        same.
        """;
  }

  /**
   * The line said before the stack stops: what {@code read} counts in its queue and dead-letter queue, which go with
   * it; when the read fails, that the count is unknown and why (a queue that does not exist, by name).
   */
  static String inQueue(Supplier<QueueCommand.Counts> read) {
    QueueCommand.Counts counts;
    try {
      counts = read.get();
    } catch (RuntimeException e) {
      return Terminal.printable("how many uploads the local stack's queue still holds is unknown"
          + (e instanceof CliException
              ? ": " + e.getMessage() + ";"
              : " (reading it failed: " + e.getMessage() + ");")
          + " stopping it all the same");
    }
    long queued = counts.visible() + counts.inFlight() + counts.delayed();
    if (queued + counts.dlq() == 0) {
      return "the local stack's queue and its dead-letter queue are empty";
    }
    return "the local stack's queue still holds " + Plurals.of(queued, "upload") + " ("
        + counts.visible() + " waiting, " + counts.inFlight() + " in flight, " + counts.delayed()
        + " delayed)"
        + (counts.dlq() > 0
            ? " and its dead-letter queue " + Plurals.of(counts.dlq(), "message")
            : "")
        + "; none of them will be classified";
  }

  /**
   * The counts of {@code target}'s queue and dead-letter queue, as {@code queue} counts them; a queue that does not
   * exist is named as every command names it ({@link NotFound#absent}), without what to do: the stack is stopping.
   */
  static QueueCommand.Counts counts(Target target, SqsClient sqs) {
    return QueueCommand.counts(
        attributes(target, sqs, Name.QUEUE_URL), attributes(target, sqs, Name.DLQ_URL));
  }

  private static Map<QueueAttributeName, String> attributes(
      Target target, SqsClient sqs, Name queue) {
    String url = target.name(queue);
    try {
      return QueueCommand.attributes(sqs, url);
    } catch (RuntimeException e) {
      if (NotFound.QUEUE.test(e)) {
        throw CliException.failure(NotFound.QUEUE.absent(target, queue));
      }
      throw e;
    }
  }

  @Override
  public int run(Invocation call) throws Exception {
    Path stateFile = StateFile.path(call.context().cacheDir());
    Optional<StateFile> recorded = StackProcess.recorded(stateFile);
    if (recorded.isEmpty()) {
      call.out().println("the local stack is not running");
      return 0;
    }
    StateFile state = recorded.get();
    if (!StackProcess.isTheStack(stateFile, state)) {
      String leftovers = StackProcess.leftoversEnded(StackProcess.endLeftovers(state));
      boolean removed = StackProcess.removeStale(stateFile);
      boolean reused = state.pid() != null
          && ProcessHandle.of(state.pid()).map(ProcessHandle::isAlive).orElse(false);
      call.out()
          .println("the local stack is not running"
              + (reused
                  ? "; process " + state.pid()
                      + " is another program now (it started later than the stack), so it was left alone"
                  : "")
              + (removed
                  ? "; removed its stale state file " + stateFile
                  : "; its stale state file " + stateFile + " is left to the stack starting now")
              + leftovers);
      return 0;
    }
    if (!state.stillStarting()) {
      // Said before it stops, as what is still in its queue is never classified; no prompt, as
      // CI has no standard input.
      call.out().println(inQueue(() -> {
        try (Target target = Targets.local(call.context().cacheDir());
            SqsClient sqs = target.sqs()) {
          return counts(target, sqs);
        }
      }));
    }
    StackProcess.stop(stateFile, state);
    // Its own shutdown stops moto_server and the containers; one it forced after the grace period
    // could not. A file it left names what it started since it was read above (a container woken
    // meanwhile); one it removed first, what it had then.
    String leftovers = StackProcess.leftoversEnded(
        StackProcess.endLeftovers(StackProcess.recorded(stateFile).orElse(state)));
    StackProcess.removeStale(stateFile);
    call.out()
        .println("stopped the local stack (pid " + state.pid() + ")"
            + (state.stillStarting()
                ? " before it was up"
                : "; its uploads, results, queues and savings"
                    + " ledger lived in its moto_server and are gone with it")
            + leftovers);
    return 0;
  }
}
