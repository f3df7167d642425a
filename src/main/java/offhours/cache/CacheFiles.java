package offhours.cache;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * How offhours writes under its cache directory: everything is private to the user (directories 0700, files 0600),
 * because the local stack's state file holds its credentials and the logs show what was classified; a file that
 * others may read is replaced whole (written beside it, then renamed over it), so a reader never sees half of it.
 */
public final class CacheFiles {
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private CacheFiles() {}

  /** Creates {@code dir} and any missing parent 0700; an existing {@code dir} is made 0700 too. */
  public static Path privateDirectory(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      privateDirectory(parent);
    }
    try {
      Files.createDirectory(dir, attribute(OWNER_DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
      restrict(dir, OWNER_DIRECTORY);
    }
    return dir;
  }

  /** Creates {@code file} empty and 0600 (in a private directory), or makes an existing one 0600; for logs. */
  public static Path privateFile(Path file) throws IOException {
    privateDirectory(file.toAbsolutePath().getParent());
    try {
      Files.createFile(file, attribute(OWNER_FILE));
    } catch (FileAlreadyExistsException e) {
      restrict(file, OWNER_FILE);
    }
    return file;
  }

  /** Writes {@code content} to {@code target}, 0600, atomically: a sibling temporary file renamed over the target. */
  public static void writeAtomically(Path target, byte[] content) throws IOException {
    privateDirectory(target.toAbsolutePath().getParent());
    Path tmp = target.resolveSibling(target.getFileName() + "."
        + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
    try {
      Files.write(privateFile(tmp), content);
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static boolean posix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] attribute(Set<PosixFilePermission> permissions) {
    // Not on a POSIX file system (Windows): the user's profile directory is private already.
    return posix(Path.of(""))
        ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
        : new FileAttribute<?>[0];
  }

  private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
    if (posix(path)) {
      Files.setPosixFilePermissions(path, permissions);
    }
  }
}
