package offhours.endpoint;

import java.util.Optional;

/**
 * The controller's item in the control table (pk "controller", sk "state"), written with optimistic locking so that
 * two overlapping runs are safe: each run reads the item, decides, and claims the step by writing the next version on
 * the condition that the version is still the one it read. The loser re-reads and does nothing.
 */
public interface ControlStore {

  Optional<ControlState> load();

  /**
   * Writes {@code next} (whose version is {@code expectedVersion + 1}) if the stored version is still
   * {@code expectedVersion} (0: no item yet). Returns false when another run wrote first.
   */
  boolean save(ControlState next, long expectedVersion);
}
