package offhours.local.model;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Extracts selected files from a .tgz as npm packs it (ustar,
 * https://www.gnu.org/software/tar/manual/html_node/Standard.html). Only regular files whose name starts with one of
 * the wanted prefixes are written; names that would escape the target directory are refused.
 */
final class Tarball {
  private static final int BLOCK = 512;

  private Tarball() {}

  static void extract(Path tgz, Path target, List<String> wantedPrefixes) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    try (var in = new DataInputStream(new GZIPInputStream(Files.newInputStream(tgz)))) {
      byte[] header = new byte[BLOCK];
      while (true) {
        try {
          in.readFully(header);
        } catch (EOFException e) {
          return; // some writers omit the two zero blocks at the end
        }
        if (header[0] == 0) {
          return;
        }
        String name = text(header, 0, 100);
        String prefix = text(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
        long size = Long.parseLong(
            text(header, 124, 12).trim().isEmpty() ? "0" : text(header, 124, 12).trim(), 8);
        char type = (char) header[156];
        boolean regular = type == '0' || type == 0;
        String entry = name;
        if (regular && wantedPrefixes.stream().anyMatch(entry::startsWith)) {
          Path out = root.resolve(name).normalize();
          if (!out.startsWith(root)) {
            throw new IOException(tgz + " has an entry outside its root: " + name);
          }
          Files.createDirectories(out.getParent());
          Files.write(out, in.readNBytes(Math.toIntExact(size)));
          skip(in, padding(size));
        } else {
          skip(in, size + padding(size));
        }
      }
    }
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private static void skip(InputStream in, long n) throws IOException {
    in.skipNBytes(n);
  }

  private static String text(byte[] b, int offset, int length) {
    int end = offset;
    while (end < offset + length && b[end] != 0) {
      end++;
    }
    return new String(b, offset, end - offset, StandardCharsets.UTF_8);
  }
}
