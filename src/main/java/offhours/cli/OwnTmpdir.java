package offhours.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A JVM's own temporary directory, removed when the JVM ends. ONNX Runtime unpacks its native library into
 * {@code java.io.tmpdir} and leaves the folder behind, and a JVM on Linux ignores {@code TMPDIR}, so the scripts
 * (and {@code local start} for the stack it runs in the background) start the JVM with a fresh directory as
 * {@code java.io.tmpdir} and name it again in {@link #PROPERTY}; this removes it on exit, Ctrl-C and SIGTERM
 * included. Only a directory whose name says it was made for this ({@code offhours-jvm.*}) and that is the JVM's
 * {@code java.io.tmpdir} is ever removed. Every main class a script starts asks for it first
 * ({@link #removeThisJvmsOnExit}): {@link Main}, and the chaos and bench drivers of the tests.
 */
public final class OwnTmpdir {

  static final String PROPERTY = "offhours.ownTmpdir";
  static final String PREFIX = "offhours-jvm.";

  private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "[A-Za-z0-9_-]+");

  private OwnTmpdir() {}

  /** Registers the removal of this JVM's own directory, when a script gave it one; otherwise does nothing. */
  public static void removeThisJvmsOnExit() {
    removeOnExit(System.getProperty(PROPERTY), System.getProperty("java.io.tmpdir"));
  }

  /** Registers the removal when {@code owned} is set and is the JVM's {@code tmpdir}; otherwise does nothing. */
  static void removeOnExit(String owned, String tmpdir) {
    owned(owned, tmpdir)
        .ifPresent(dir -> Runtime.getRuntime()
            .addShutdownHook(new Thread(() -> remove(dir), "offhours-remove-tmpdir")));
  }

  static Optional<Path> owned(String owned, String tmpdir) {
    if (owned == null || tmpdir == null) {
      return Optional.empty();
    }
    Path dir = Path.of(owned).toAbsolutePath().normalize();
    boolean safe = dir.equals(Path.of(tmpdir).toAbsolutePath().normalize())
        && dir.getFileName() != null
        && NAME.matcher(dir.getFileName().toString()).matches();
    return safe ? Optional.of(dir) : Optional.empty();
  }

  /**
   * Options that keep a JVM started by offhours from leaving anything in /tmp: a fresh directory under
   * {@code parent} as its own {@code java.io.tmpdir}, and no performance-data file (/tmp/hsperfdata_USER, which the
   * JVM puts in /tmp whatever {@code java.io.tmpdir} says). scripts/lib/common.sh gives the scripts' JVMs the same.
   */
  static List<String> jvmOptions(Path parent) throws IOException {
    Path dir = Files.createTempDirectory(Files.createDirectories(parent), PREFIX);
    return List.of("-XX:-UsePerfData", "-Djava.io.tmpdir=" + dir, "-D" + PROPERTY + "=" + dir);
  }

  /** Deletes the tree without following links; what cannot be deleted stays (nothing to report at exit). */
  static void remove(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
            throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
          Files.deleteIfExists(folder);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // best effort at shutdown
    }
  }
}
