package offhours.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import offhours.units.Shown;

/**
 * What started a controller run, in words for its log line and its recorded decision: a timer message (the SQS event
 * of the ControllerTimerQueue, each record's body {@code {"runAt":"2026-11-25T08:00:00Z"}}, written by
 * {@link #timerBody}), an endpoint state change, or the scheduler's tick. Every one of them means "run now"; the words
 * only tell what to expect. A timer body that does not parse still runs: the queue is the stack's own, but a body
 * this code did not write is named in the log rather than thrown.
 */
final class RunTrigger {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunTrigger() {}

  /** The timer message's body. */
  static String timerBody(Instant runAt) {
    return "{\"runAt\":\"" + runAt + "\"}";
  }

  /** Whether {@code event} is an SQS event (Lambda's {@code Records} with {@code eventSource} aws:sqs). */
  static boolean isTimer(Map<String, Object> event) {
    return event != null
        && event.get("Records") instanceof List<?> records
        && !records.isEmpty()
        && records.stream()
            .allMatch(r -> r instanceof Map<?, ?> m && "aws:sqs".equals(m.get("eventSource")));
  }

  /** "timer for 2026-11-25T08:00:00Z", "manual stop", "endpoint state change", "schedule tick" or "event". */
  static String describe(Map<String, Object> event) {
    if (event == null) {
      return "event";
    }
    if (isTimer(event)) {
      return timer((List<?>) event.get("Records"));
    }
    if (event.get("action") != null) {
      return "manual " + RunTrigger.excerpt(event.get("action").toString());
    }
    if ("SageMaker Endpoint State Change".equals(event.get("detail-type"))) {
      return "endpoint state change";
    }
    if ("offhours.schedule".equals(event.get("source"))) {
      return "schedule tick";
    }
    return "event";
  }

  /** The instants the batch's messages were armed for (a batch is one run), or what was wrong with a body. */
  private static String timer(List<?> records) {
    StringBuilder out = new StringBuilder("timer for ");
    for (int i = 0; i < records.size(); i++) {
      Object body = ((Map<?, ?>) records.get(i)).get("body");
      out.append(i == 0 ? "" : ", ").append(runAt(body));
    }
    return out.toString();
  }

  private static String runAt(Object body) {
    String text = body == null ? "" : body.toString();
    try {
      JsonNode node = JSON.readTree(text);
      JsonNode at = node == null ? null : node.get("runAt");
      if (at != null && at.isTextual()) {
        return Instant.parse(at.asText()).toString();
      }
    } catch (IOException | DateTimeParseException e) {
      // named below
    }
    return "an unreadable message (body '" + excerpt(text)
        + "' is not {\"runAt\":\"ISO-8601 instant\"}; running anyway)";
  }

  /**
   * As every message shows a value from outside ({@link Shown#value}): the body and the action end up in the status
   * pages and the CLI, so a bidirectional control is escaped as an ESC is, and a long one says how long it was.
   */
  private static String excerpt(String text) {
    return Shown.value(text);
  }
}
