package offhours.local.sagemaker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether the server listening on a TCP port is a process of a container command's tree, read from Linux's
 * {@code /proc}: a port probed free and handed to the command may be taken by another process (another stack's
 * server, a test JVM's) before the command binds it, and then that process answers the command's {@code /ping}.
 */
final class PortHolder {
  private static final Path PROC = Path.of("/proc");
  /** /proc/net/tcp's state of a listening socket. */
  private static final String LISTEN = "0A";

  private PortHolder() {}

  /**
   * True when a process of {@code root}'s tree holds a socket listening on {@code port}, false when none does; empty
   * where /proc cannot tell (not Linux).
   */
  static Optional<Boolean> heldBy(int port, ProcessHandle root) {
    Set<String> sockets = new HashSet<>();
    boolean read = false;
    for (String table : List.of("net/tcp", "net/tcp6")) {
      try {
        sockets.addAll(listening(Files.readAllLines(PROC.resolve(table)), port));
        read = true;
      } catch (IOException e) {
        // tcp6 is missing where IPv6 is off; one table read is enough to tell
      }
    }
    if (!read) {
      return Optional.empty();
    }
    return Optional.of(Stream.concat(Stream.of(root), root.descendants())
        .anyMatch(p -> holdsAny(p.pid(), sockets)));
  }

  /** The inodes, as {@code socket:[N]} links read, of the sockets listening on {@code port} in a /proc/net table. */
  static Set<String> listening(List<String> table, int port) {
    Set<String> inodes = new HashSet<>();
    for (String line : table.subList(Math.min(1, table.size()), table.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 9 && f[3].equals(LISTEN)) {
        String local = f[1];
        int colon = local.lastIndexOf(':');
        if (colon > 0 && Integer.parseInt(local.substring(colon + 1), 16) == port) {
          inodes.add("socket:[" + f[9] + "]");
        }
      }
    }
    return inodes;
  }

  private static boolean holdsAny(long pid, Set<String> sockets) {
    if (sockets.isEmpty()) {
      return false;
    }
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(pid + "/fd"))) {
      for (Path fd : fds) {
        try {
          if (sockets.contains(Files.readSymbolicLink(fd).toString())) {
            return true;
          }
        } catch (IOException e) {
          // the descriptor was closed while listed
        }
      }
    } catch (IOException e) {
      // the process ended while looked at
    }
    return false;
  }
}
