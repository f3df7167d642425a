package offhours.cli;

import java.io.PrintStream;
import offhours.units.Sizes;

/**
 * Upload progress on stderr: a redrawn bar on a terminal, one plain line per file otherwise (logs, CI). {@link Tally}
 * is the same bar for work whose total grows while it runs (a paginated listing).
 */
interface Progress {

  /** Before the put: a slow file shows as the one in progress. */
  default void uploading(UploadPlan.Item item) {}

  void uploaded(UploadPlan.Item item);

  /** Clears whatever the progress left on the line. */
  void done();

  static Progress of(PrintStream err, boolean terminal, UploadPlan plan, String bucket) {
    return terminal ? new Bar(err, plan) : new Lines(err, bucket);
  }

  /** "uploaded s3://bucket/key (12 kB)" per file. */
  record Lines(PrintStream err, String bucket) implements Progress {
    @Override
    public void uploaded(UploadPlan.Item item) {
      err.println(Terminal.printable(
          "uploaded s3://" + bucket + "/" + item.key() + " (" + Sizes.format(item.bytes()) + ")"));
    }

    @Override
    public void done() {}
  }

  /** "[########------------]  3/7 files  1.2 MB/3.4 MB  cats/tom.jpg", redrawn in place. */
  final class Bar implements Progress {
    private static final int WIDTH = 24;
    private final PrintStream err;
    private final int files;
    private final long totalBytes;
    private int doneFiles;
    private long doneBytes;

    private Bar(PrintStream err, UploadPlan plan) {
      this.err = err;
      this.files = plan.items().size();
      this.totalBytes = Math.max(1, plan.totalBytes());
    }

    @Override
    public void uploading(UploadPlan.Item item) {
      draw(item);
    }

    @Override
    public void uploaded(UploadPlan.Item item) {
      doneFiles++;
      doneBytes += item.bytes();
      draw(item);
    }

    private void draw(UploadPlan.Item item) {
      err.print("\r\033[K" + render(doneFiles, files, doneBytes, totalBytes, item.key()));
      err.flush();
    }

    static String render(int doneFiles, int files, long doneBytes, long totalBytes, String key) {
      int filled = (int) Math.min(WIDTH, WIDTH * doneBytes / Math.max(1, totalBytes));
      return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + doneFiles + "/" + files
          + " files  " + Sizes.format(doneBytes) + "/" + Sizes.format(totalBytes) + "  "
          + Format.fit(key, 40);
    }

    @Override
    public void done() {
      err.print("\r\033[K");
      err.flush();
    }
  }

  /**
   * "[########----------------] 120/450+ keys  80 sent  40 skipped  cats/tom.jpg" redrawn in place on a terminal
   * ("+" while more pages are to be listed); nothing elsewhere, where the command's summary says it all.
   */
  final class Tally {
    private static final int WIDTH = 24;
    private final PrintStream err;
    private final boolean terminal;

    Tally(PrintStream err, boolean terminal) {
      this.err = err;
      this.terminal = terminal;
    }

    void show(long done, long listed, boolean more, String counts, String key) {
      if (terminal) {
        err.print("\r\033[K" + render(done, listed, more, counts, key));
        err.flush();
      }
    }

    static String render(long done, long listed, boolean more, String counts, String key) {
      int filled = (int) Math.min(WIDTH, WIDTH * done / Math.max(1, listed));
      return "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + done + "/" + listed
          + (more ? "+" : "") + " keys  " + counts + "  "
          + Format.fit(key, 40);
    }

    void done() {
      if (terminal) {
        err.print("\r\033[K");
        err.flush();
      }
    }

    /** A line of its own on stderr, above the bar (which the next {@link #show} draws again). */
    void line(String text) {
      done();
      err.println(text);
    }
  }
}
