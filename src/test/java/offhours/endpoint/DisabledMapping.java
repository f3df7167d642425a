package offhours.endpoint;

/**
 * A trigger that is paused and must stay so: a test whose controller or cleanup should never touch the event source
 * mapping fails, naming {@code why}, if it enables or disables it. Public for local mode's tests of the same code.
 */
public final class DisabledMapping implements Mapping {
  private final String why;

  public DisabledMapping(String why) {
    this.why = why;
  }

  @Override
  public TriggerState state() {
    return TriggerState.DISABLED;
  }

  @Override
  public void enable() {
    throw new AssertionError("enabled, but " + why);
  }

  @Override
  public void disable() {
    throw new AssertionError("disabled, but the trigger is not polling");
  }
}
