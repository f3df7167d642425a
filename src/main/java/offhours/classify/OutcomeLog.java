package offhours.classify;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import offhours.aws.UsageLedger;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * One JSON line per SQS record: its outcome and what happened to each object in it ({@code detail},
 * the reason in offhours' words, and {@code service}, what SageMaker itself answered when InvokeEndpoint
 * failed, in the form the controller's log gives it: only here, as it may name the account). Lambda
 * sends stdout to CloudWatch Logs, where JSON lines can be queried with Logs Insights. Verdicts are
 * expected outcomes, so no stack traces.
 */
final class OutcomeLog implements UsageLedger.Unrecorded {

  private final PrintStream out;

  OutcomeLog(PrintStream out) {
    this.out = out;
  }

  /**
   * The message's line; {@code unread}: what of its attributes was not read, and why (Deferrals#unread), a WARN
   * field of its own when there is any.
   */
  void write(
      String messageId,
      Outcome.Kind kind,
      int attempts,
      List<Outcome> outcomes,
      List<String> unread) {
    // The generator escapes quotes, backslashes and control characters, so an object key with a
    // newline stays on its one line.
    JsonWriter line = JsonWriter.create()
        .writeStartObject()
        .writeFieldName("level")
        .writeValue(kind == Outcome.Kind.RETRY || !unread.isEmpty() ? "WARN" : "INFO")
        .writeFieldName("messageId")
        .writeValue(messageId)
        .writeFieldName("outcome")
        .writeValue(kind.name())
        .writeFieldName("attempts")
        .writeValue(attempts);
    if (!unread.isEmpty()) {
      line.writeFieldName("unread").writeStartArray();
      unread.forEach(line::writeValue);
      line.writeEndArray();
    }
    line.writeFieldName("records").writeStartArray();
    for (Outcome o : outcomes) {
      line.writeStartObject()
          .writeFieldName("subject")
          .writeValue(o.subject())
          .writeFieldName("outcome")
          .writeValue(o.kind().name())
          .writeFieldName("detail")
          .writeValue(o.detail());
      if (o.service() != null) {
        line.writeFieldName("service").writeValue(o.service());
      }
      line.writeEndObject();
    }
    print(line.writeEndArray().writeEndObject());
  }

  /**
   * The retry pause of each message the batch reports as failed ({@link RetryPace}): one line per batch, WARN when a
   * message was left to the queue's visibility timeout, with why.
   */
  void retries(List<RetryPace.Paced> paced) {
    boolean left = paced.stream().anyMatch(RetryPace.Paced::left);
    JsonWriter line = JsonWriter.create()
        .writeStartObject()
        .writeFieldName("level")
        .writeValue(left ? "WARN" : "INFO")
        .writeFieldName("retries")
        .writeStartArray();
    for (RetryPace.Paced p : paced) {
      line.writeStartObject()
          .writeFieldName("messageId")
          .writeValue(p.messageId())
          .writeFieldName("receives")
          .writeValue(p.receives())
          .writeFieldName("pace")
          .writeValue(p.pace())
          .writeEndObject();
    }
    print(line.writeEndArray().writeEndObject());
  }

  /**
   * A failure the consumer did not expect (a bug, or an error thrown past every handler): one ERROR line with the
   * message id, the exception and its stack trace; the message is retried.
   */
  void unexpected(String messageId, Throwable error) {
    StringWriter trace = new StringWriter();
    error.printStackTrace(new PrintWriter(trace));
    print(JsonWriter.create()
        .writeStartObject()
        .writeFieldName("level")
        .writeValue("ERROR")
        .writeFieldName("messageId")
        .writeValue(messageId)
        .writeFieldName("outcome")
        .writeValue(Outcome.Kind.RETRY.name())
        .writeFieldName("error")
        .writeValue(error.toString())
        .writeFieldName("stackTrace")
        .writeValue(trace.toString())
        .writeEndObject());
  }

  /** The serverless ledger could not be updated: one WARN line; the batch's results stand. */
  @Override
  public void ledgerNotUpdated(long invocations, long millis, Exception error) {
    print(JsonWriter.create()
        .writeStartObject()
        .writeFieldName("level")
        .writeValue("WARN")
        .writeFieldName("ledger")
        .writeValue("not updated: " + UsageLedger.tally(invocations, millis) + " lost")
        .writeFieldName("error")
        .writeValue(error.toString())
        .writeEndObject());
  }

  /** Neither the ledger write nor its resend was answered: the tally may or may not be in the ledger. */
  @Override
  public void ledgerUnconfirmed(long invocations, long millis, Exception error) {
    print(JsonWriter.create()
        .writeStartObject()
        .writeFieldName("level")
        .writeValue("WARN")
        .writeFieldName("ledger")
        .writeValue(UsageLedger.unconfirmed(invocations, millis))
        .writeFieldName("error")
        .writeValue(error.toString())
        .writeEndObject());
  }

  /** The SDK's retries found the first attempt still in progress: it holds the tally, counted once. */
  @Override
  public void ledgerUpdatedByTheFirstAttempt(long invocations, long millis) {
    print(JsonWriter.create()
        .writeStartObject()
        .writeFieldName("level")
        .writeValue("INFO")
        .writeFieldName("ledger")
        .writeValue("updated by the first attempt of the write, still in progress at DynamoDB when"
            + " the SDK's retries ended: " + UsageLedger.tally(invocations, millis)
            + ", counted once")
        .writeEndObject());
  }

  private void print(JsonWriter line) {
    String text = new String(line.getBytes(), StandardCharsets.UTF_8);
    synchronized (out) {
      out.println(text);
    }
  }
}
