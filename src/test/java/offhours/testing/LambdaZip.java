package offhours.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A function's zip unpacked as Lambda's Java runtime lays it out. */
public final class LambdaZip {

  private LambdaZip() {}

  /**
   * Unpacks {@code zip} into {@code dir} (an entry that would land outside it is refused) and returns the class path
   * Lambda's Java runtime builds of it: {@code dir} itself, then each {@code lib/*.jar}, in name order.
   */
  public static List<Path> unpack(Path zip, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> jars = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        Path target = dir.resolve(e.getName()).normalize();
        if (!target.startsWith(dir)) {
          throw new IOException("zip entry escapes the target directory: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(target);
          continue;
        }
        Files.createDirectories(target.getParent());
        Files.copy(in, target);
        if (e.getName().startsWith("lib/") && e.getName().endsWith(".jar")) {
          jars.add(target);
        }
      }
    }
    List<Path> classPath = new ArrayList<>();
    classPath.add(dir);
    jars.stream().sorted().forEach(classPath::add);
    return classPath;
  }
}
