package offhours.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import offhours.api.ResultView;
import offhours.results.RejectionHint;
import offhours.results.ResultItem;

/**
 * A result as the page's card shows it: GET /results' fields ({@link ResultView}) and {@code hint}, what to do about a
 * REJECTED one in the words {@code offhours results} says it ({@link RejectionHint}), null for a classification or a
 * reason of no known kind. The hint is the page's alone: the HTTP API's results keep the fields CONTRACTS.md lists.
 */
final class ResultCard {

  private ResultCard() {}

  /** {@code r} with {@code settings} as {@code live} sees it ({@link ResultView#of}) and its hint. */
  static Map<String, Object> of(ResultItem r, String live) {
    Map<String, Object> card = ResultView.of(r, live);
    card.put("hint", RejectionHint.of(r).map(ResultCard::hint).orElse(null));
    return card;
  }

  /** A hint as the page reads it: its {@code kind} ("too large") and what to do ({@code todo}). */
  static Map<String, Object> hint(RejectionHint hint) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", hint.kind());
    m.put("todo", hint.todo());
    return m;
  }
}
