/**
 * The results table, one item per object version: {@link offhours.results.ResultItem} is a result,
 * {@link offhours.results.ResultItemFormat} the one way it is stored, {@link offhours.results.ResultsTable} its
 * conditional writes (Classify) and reads, and {@link offhours.results.NewestFirst} reads a page newest first from
 * the time-ordered indexes (the API, the page and {@code offhours results}). {@link offhours.results.RejectionHint} is
 * what to do about a REJECTED result, by the kind of its reason, as {@code results} and the page say it.
 */
package offhours.results;
