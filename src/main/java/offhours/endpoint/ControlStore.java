package offhours.endpoint;

import java.util.List;
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
   * As {@link #save}, and adds {@code counted} (one increment per day, each day once) to the ledger kept with the state
   * (the same control table) in the same write: all land or none. What a claim counts is what the run that claims
   * ends ({@link RunLedger#claimed}): the seconds billed since the last claim, and the start or the stop it saw.
   * Counted after its claim, a run cut in between (its claim landed, its answer did not) would leave them settled and
   * never counted; counted before, a run whose claim lost would count them a second time with the run that won.
   */
  boolean save(ControlState next, long expectedVersion, List<Ledger.Day> counted);
}
