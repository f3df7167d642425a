package offhours.classify;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * One JSON line per SQS record: its outcome and what happened to each object in it. Lambda sends
 * stdout to CloudWatch Logs, where JSON lines can be queried with Logs Insights. Verdicts are expected
 * outcomes, so no stack traces.
 */
final class OutcomeLog {

  private final PrintStream out;

  OutcomeLog(PrintStream out) {
    this.out = out;
  }

  void write(String messageId, Outcome.Kind kind, int attempts, List<Outcome> outcomes) {
    // The generator escapes quotes, backslashes and control characters, so an object key with a newline
    // stays on its one line.
    JsonWriter line = JsonWriter.create()
        .writeStartObject()
        .writeFieldName("level").writeValue(kind == Outcome.Kind.RETRY ? "WARN" : "INFO")
        .writeFieldName("messageId").writeValue(messageId)
        .writeFieldName("outcome").writeValue(kind.name())
        .writeFieldName("attempts").writeValue(attempts)
        .writeFieldName("records").writeStartArray();
    for (Outcome o : outcomes) {
      line.writeStartObject()
          .writeFieldName("subject").writeValue(o.subject())
          .writeFieldName("outcome").writeValue(o.kind().name())
          .writeFieldName("detail").writeValue(o.detail())
          .writeEndObject();
    }
    String text = new String(line.writeEndArray().writeEndObject().getBytes(), StandardCharsets.UTF_8);
    synchronized (out) {
      out.println(text);
    }
  }
}
