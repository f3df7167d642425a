package offhours.endpoint;

/** The Classify function's SQS event source mapping (port; {@link LambdaMapping} is the AWS adapter). */
public interface Mapping {

  /** The states of GetEventSourceMapping, plus ABSENT when the mapping does not exist (a deleted stack). */
  enum TriggerState {
    ABSENT("absent"),
    CREATING("Creating"),
    ENABLING("Enabling"),
    ENABLED("Enabled"),
    DISABLING("Disabling"),
    DISABLED("Disabled"),
    UPDATING("Updating"),
    DELETING("Deleting");

    private final String shown;

    TriggerState(String shown) {
      this.shown = shown;
    }

    /**
     * How a user is told this state: as Lambda's GetEventSourceMapping says it (State), which {@code endpoint status}
     * shows; the enum's name is what the controller records and answers in JSON.
     */
    public String shown() {
      return shown;
    }

    /** Polling, or about to poll: messages may be handed to the consumer. */
    public boolean polling() {
      return this == ENABLING || this == ENABLED;
    }

    /** Lambda refuses UpdateEventSourceMapping in these states (ResourceInUseException); wait for the next run. */
    public boolean transitional() {
      return this == CREATING || this == DISABLING || this == UPDATING || this == DELETING;
    }
  }

  TriggerState state();

  void enable();

  void disable();
}
