package offhours.ui;

import java.util.List;
import java.util.Map;
import offhours.api.ResultsQuery;

/** What the page shows and does, whatever stack is behind it (local or deployed). */
public interface UiData {

  /** The stack's status: endpoint, trigger, the controller's reason, queue, DLQ, today's ledger. */
  Map<String, Object> status();

  /** A page of results, newest first, as JSON-ready maps, and the next page's token. */
  Map<String, Object> results(ResultsQuery.Filter filter, int limit, String next);

  /** The savings ledger for the last {@code days} local days, oldest first, and their total. */
  Map<String, Object> ledger(int days);

  /** A small JPEG of the object, or a refusal saying why there is none. */
  Thumbnail thumbnail(String key) throws UiException;

  /**
   * Stores an upload under {@code key}; the normal pipeline classifies it. The server has already refused a key, a type
   * or a size that would get no result (UploadRules), before reading the file.
   */
  void upload(String key, byte[] bytes) throws UiException;

  /** Asks the controller for a manual start, stop, or a return to the schedule; its answer. */
  Map<String, Object> control(String action) throws UiException;

  /** A thumbnail: JPEG bytes. */
  record Thumbnail(byte[] jpeg) {}

  /**
   * Something the user can act on, with the HTTP status the page gets: the stack's own answer (no such object), or a
   * read the page cut ({@link #cut}).
   */
  final class UiException extends Exception {
    private final int status;
    private final PageDeadline.CutRead cut;

    public UiException(int status, String message) {
      this(status, message, null);
    }

    /** A read the page cut, as the page's server logs it ({@link StackOutage}), or null: the stack answered. */
    UiException(int status, String message, PageDeadline.CutRead cut) {
      super(message);
      this.status = status;
      this.cut = cut;
    }

    public int status() {
      return status;
    }

    /** The read the page cut, or null when the stack answered, with this error of its own. */
    PageDeadline.CutRead cut() {
      return cut;
    }
  }

  /** The controller's actions the page offers. */
  List<String> ACTIONS = List.of("start", "stop", "auto");
}
