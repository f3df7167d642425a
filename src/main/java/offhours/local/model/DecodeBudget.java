package offhours.local.model;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * How much memory the container's image decoders may hold at once. Each decode first takes what its header says it
 * needs ({@link ImageHeader#bytesToDecode}) and gives it back when done; a decode that does not fit waits, and one
 * that could never fit is refused. So memory, not the number of request threads, bounds concurrent decodes: a few
 * large photos wait for each other, many small ones run side by side.
 */
final class DecodeBudget {
  private static final long KIB = 1024;

  /** The image needs more than the whole budget. */
  static final class ImageTooLargeException extends Exception {
    private ImageTooLargeException(String message) {
      super(message);
    }
  }

  /** Held while one image decodes. */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  private final long bytes;
  private final Semaphore kib;

  DecodeBudget(long bytes) {
    if (bytes < KIB || bytes / KIB > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "a decode budget is between 1 KiB and 2 TiB, was " + bytes + " bytes");
    }
    this.bytes = bytes;
    this.kib = new Semaphore((int) (bytes / KIB), true);
  }

  /** A quarter of the heap, between 64 MiB and 1 GiB: room for the model, the server and the rest of local mode. */
  static DecodeBudget ofHeap() {
    return new DecodeBudget(
        Math.clamp(Runtime.getRuntime().maxMemory() / 4, 64 * KIB * KIB, 1024 * KIB * KIB));
  }

  long bytes() {
    return bytes;
  }

  /** Waits until {@code header}'s decode fits, then holds its share. */
  Lease admit(ImageHeader header) throws ImageTooLargeException, InterruptedException {
    int need = share(header);
    kib.acquire(need);
    return () -> kib.release(need);
  }

  /** As {@link #admit}, without waiting: empty while the budget is taken. */
  Optional<Lease> tryAdmit(ImageHeader header) throws ImageTooLargeException {
    int need = share(header);
    return kib.tryAcquire(need) ? Optional.of(() -> kib.release(need)) : Optional.empty();
  }

  /** Decodes waiting for room. */
  int waiting() {
    return kib.getQueueLength();
  }

  private int share(ImageHeader header) throws ImageTooLargeException {
    if (header.bytesToDecode() > bytes) {
      throw new ImageTooLargeException(String.format(
          Locale.ROOT,
          "decoding this %dx%d %s takes about %.1f MiB, more"
              + " than the %.1f MiB this container decodes within; send a smaller image",
          header.width(),
          header.height(),
          header.format(),
          header.bytesToDecode() / (double) (KIB * KIB),
          bytes / (double) (KIB * KIB)));
    }
    return (int) Math.max(1, (header.bytesToDecode() + KIB - 1) / KIB);
  }
}
