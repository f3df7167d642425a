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

  /**
   * As {@link #save}, and adds {@code counted} to the ledger kept with the state (the same control table) in the same
   * write: both land or neither. The claim that settles a start a run cut by its deadline may have made counts it so
   * ({@link RunLedger}): counted after its claim, a run cut in between (its claim landed, its answer did not) would
   * leave the start settled and never counted; counted before, a run whose claim lost would count it a second time
   * with the run that won.
   */
  boolean save(ControlState next, long expectedVersion, Ledger.Day counted);
}
