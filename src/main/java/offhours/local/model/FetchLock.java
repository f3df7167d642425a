package offhours.local.model;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import offhours.cache.CacheFiles;

/**
 * The one fetch of the default model into a cache directory at a time, and the clearing of what killed fetches
 * left there. A fetch works in a {@code fetch-nsfwjs-*} folder of the cache and deletes it when it ends, but a
 * process killed outright (kill -9, a closed laptop) cannot, and each such folder holds up to 25 MB of npm package.
 * Holding this lock proves no other process fetches into the same cache (two {@code scripts/demo} runs on one
 * cache), so every such folder then present is a leftover. The lock is an OS file lock on {@code fetch-nsfwjs.lock}
 * in the cache: the OS releases it when its process dies, however it dies, so a killed fetch never blocks the next.
 * The file itself stays (deleting a lock file lets two processes lock two different files).
 */
final class FetchLock implements AutoCloseable {
  static final String WORK_PREFIX = "fetch-nsfwjs-";
  static final String LOCK_FILE = "fetch-nsfwjs.lock";

  /**
   * A JVM holds one OS lock per file and throws when a second thread asks for it, so threads of one JVM queue here
   * first, per lock file: two caches never wait on each other.
   */
  private static final ConcurrentMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

  private final Path cacheDir;
  private final ReentrantLock local;
  private final FileChannel channel;

  private FetchLock(Path cacheDir, ReentrantLock local, FileChannel channel) {
    this.cacheDir = cacheDir;
    this.local = local;
    this.channel = channel;
  }

  /** The lock of {@code cacheDir}, waiting while another process or thread fetches into it. */
  static FetchLock hold(Path cacheDir) throws IOException {
    return open(cacheDir, true);
  }

  /** The lock of {@code cacheDir}, or null at once if another process or thread fetches into it now. */
  static FetchLock tryHold(Path cacheDir) throws IOException {
    return open(cacheDir, false);
  }

  private static FetchLock open(Path cacheDir, boolean wait) throws IOException {
    CacheFiles.privateDirectory(cacheDir);
    Path file = cacheDir.toAbsolutePath().normalize().resolve(LOCK_FILE);
    ReentrantLock local = IN_THIS_JVM.computeIfAbsent(file, f -> new ReentrantLock());
    if (wait) {
      try {
        local.lockInterruptibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(
            "interrupted while waiting for another fetch of the default model", e);
      }
    } else if (!local.tryLock()) {
      return null;
    }
    FileChannel channel = null;
    try {
      // NOFOLLOW_LINKS: a symbolic link planted at the lock's name is refused, never followed.
      channel = FileChannel.open(
          file,
          Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      FileLock os = wait ? channel.lock() : channel.tryLock();
      if (os != null) {
        return new FetchLock(cacheDir, local, channel);
      }
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      local.unlock();
      throw e;
    }
    closeQuietly(channel);
    local.unlock();
    return null;
  }

  /** Whether {@code cacheDir} holds a folder that looks like a fetch's, without taking the lock. */
  static boolean anyWorkFolder(Path cacheDir) throws IOException {
    return !workFolders(cacheDir).isEmpty();
  }

  /**
   * Deletes every {@code fetch-nsfwjs-*} folder of the cache (no fetch runs while the lock is held, so each is a
   * killed fetch's) and returns their names. Symbolic links are neither deleted as leftovers nor followed inside one.
   */
  List<String> removeLeftovers() throws IOException {
    List<String> removed = new ArrayList<>();
    for (Path folder : workFolders(cacheDir)) {
      deleteTree(folder);
      removed.add(folder.getFileName().toString());
    }
    return removed;
  }

  /** A fetch's own work folder: made while the lock is held, so no other process sweeps it away. */
  Path newWorkFolder() throws IOException {
    return Files.createTempDirectory(cacheDir, WORK_PREFIX);
  }

  private static List<Path> workFolders(Path cacheDir) throws IOException {
    List<Path> folders = new ArrayList<>();
    if (!Files.isDirectory(cacheDir)) {
      return folders;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheDir, WORK_PREFIX + "*")) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
          folders.add(entry);
        }
      }
    }
    folders.sort(null);
    return folders;
  }

  /** Deletes {@code root} and what it holds; a symbolic link inside is removed as a link, its target untouched. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    // walkFileTree follows no links unless told to: a link is visited as a file and deleted itself.
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  @Override
  public void close() throws IOException {
    try {
      channel.close(); // releases the OS lock
    } finally {
      local.unlock();
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing held yet; the lock is refused for the reason already thrown or returned
    }
  }
}
