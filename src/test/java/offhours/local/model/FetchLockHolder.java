package offhours.local.model;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Another process fetching into a cache, for {@link FetchLockTest}: holds the cache's fetch lock, says "held" on
 * stdout, and keeps it until its stdin closes.
 */
final class FetchLockHolder {
  private FetchLockHolder() {}

  public static void main(String[] args) throws IOException {
    try (FetchLock lock = FetchLock.hold(Path.of(args[0]))) {
      System.out.println("held");
      System.out.flush();
      System.in.readAllBytes();
    }
  }
}
