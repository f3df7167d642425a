package offhours.endpoint;

import java.util.Objects;

/**
 * The controller's last decision as the control table keeps it, with what started that run ({@link RunTrigger}'s
 * words; null when the run did not say, as with a decision of an older version).
 */
public record RecordedDecision(Decision decision, String startedBy) {
  public RecordedDecision {
    Objects.requireNonNull(decision, "decision");
  }
}
