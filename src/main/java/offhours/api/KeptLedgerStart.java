package offhours.api;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import offhours.endpoint.Ledger;

/**
 * The stack's ledger start (controller/ledgerStart, {@link Ledger#started}) kept once a read found it: the controller
 * writes it once and never changes it, so a reader that lives across requests (the API's container, the page's
 * server) need not ask DynamoDB (a GetItem) at each one. Absent until the controller's first run: until then each
 * read asks again. Reads may run at once (local mode, the page's server): each keeps the same instant.
 */
public final class KeptLedgerStart implements Function<Ledger, Optional<Instant>> {

  private volatile Instant kept;

  /** The kept start, or what {@code ledger} records, kept from then on when it is there. */
  @Override
  public Optional<Instant> apply(Ledger ledger) {
    Instant known = kept;
    if (known == null) {
      known = ledger.started().orElse(null);
      kept = known;
    }
    return Optional.ofNullable(known);
  }
}
