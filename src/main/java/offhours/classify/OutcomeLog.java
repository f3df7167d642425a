package offhours.classify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.List;

/**
 * One JSON line per SQS record: its outcome and what happened to each object in it. Lambda sends
 * stdout to CloudWatch Logs, where JSON lines can be queried with Logs Insights. Verdicts are expected
 * outcomes, so no stack traces.
 */
final class OutcomeLog {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream out;

  OutcomeLog(PrintStream out) {
    this.out = out;
  }

  void write(String messageId, Outcome.Kind kind, int attempts, List<Outcome> outcomes) {
    ObjectNode line = JSON.createObjectNode();
    line.put("level", kind == Outcome.Kind.RETRY ? "WARN" : "INFO");
    line.put("messageId", messageId);
    line.put("outcome", kind.name());
    line.put("attempts", attempts);
    ArrayNode records = line.putArray("records");
    for (Outcome o : outcomes) {
      records.addObject().put("subject", o.subject()).put("outcome", o.kind().name()).put("detail", o.detail());
    }
    String text = line.toString();
    synchronized (out) {
      out.println(text);
    }
  }
}
