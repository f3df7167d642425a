/**
 * The results table, one item per object version: {@link offhours.results.ResultItem} is a result,
 * {@link offhours.results.ResultItemFormat} the one way it is stored, {@link offhours.results.ResultsTable} its
 * conditional writes (Classify) and reads, and {@link offhours.results.NewestFirst} reads a page newest first from
 * the time-ordered indexes (the API, the page and {@code offhours results}).
 */
package offhours.results;
