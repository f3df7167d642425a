package offhours.local.sagemaker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import offhours.local.process.ProcessEnvironment;
import offhours.local.process.ProcessRecorder;

/**
 * Whether the server that listens on a container command's port is provably another server, read from Linux's
 * {@code /proc}: the port was probed free and handed to the command, which binds it later, and another process may
 * take it first and answer the command's {@code /ping}. Only two holders are refused: this JVM (the stack's own
 * servers) and a process that carries a stack's mark ({@link ProcessRecorder#MARK}) but not the container's own
 * ({@link CommandLauncher#CONTAINER_VARIABLE}): another stack's process, or another of this stack (its moto_server,
 * another endpoint's container). Everything else is believed, since a container command may rightly be served from
 * outside its process tree: a server it daemonizes (it carries the container's variable), {@code docker run -p}'s
 * proxy or daemon (root's, or unmarked), a rootless runtime's forwarder, a holder this user cannot read, none found.
 */
final class PortHolder {
  private static final Path PROC = Path.of("/proc");
  /** /proc/net/tcp's state of a listening socket. */
  private static final String LISTEN = "0A";

  /**
   * The local addresses, as /proc/net/tcp{,6} write them, of a socket that a connection to 127.0.0.1 reaches:
   * 127.0.0.1, 0.0.0.0, :: and ::ffff:127.0.0.1. A server on another address cannot have answered the ping.
   */
  private static final Set<String> REACHED_FROM_LOOPBACK = Set.of(
      "0100007F",
      "00000000",
      "00000000000000000000000000000000",
      "0000000000000000FFFF00000100007F");

  private PortHolder() {}

  /**
   * Why the server on 127.0.0.1:{@code port} is provably not the container's whose processes carry {@code token} in
   * {@link CommandLauncher#CONTAINER_VARIABLE}; empty when it may be (or /proc does not tell).
   */
  static Optional<String> stranger(int port, String token) {
    Set<String> sockets = new HashSet<>();
    for (String table : List.of("net/tcp", "net/tcp6")) {
      try {
        sockets.addAll(listening(Files.readAllLines(PROC.resolve(table)), port));
      } catch (IOException e) {
        // tcp6 is missing where IPv6 is off; not Linux: neither, and nothing is refused
      }
    }
    if (sockets.isEmpty()) {
      return Optional.empty();
    }
    return ProcessHandle.allProcesses()
        .filter(p -> holdsAny(p.pid(), sockets))
        .flatMap(p -> refusal(p, token).stream())
        .findFirst();
  }

  /** Why {@code holder}, which listens on the port, is provably not a process of the container {@code token} names. */
  static Optional<String> refusal(ProcessHandle holder, String token) {
    String who = "the process that listens there (pid " + holder.pid() + ")";
    if (holder.pid() == ProcessHandle.current().pid()) {
      return Optional.of(
          who + " is the stack's own, whose servers (the local SageMaker, the Lambda API, the"
              + " gateway) are not the container");
    }
    List<String> environment = ProcessEnvironment.of(holder).orElse(List.of());
    boolean marked = environment.stream().anyMatch(e -> e.startsWith(ProcessRecorder.MARK + "="));
    if (marked && !environment.contains(CommandLauncher.CONTAINER_VARIABLE + "=" + token)) {
      return Optional.of(who + " carries " + ProcessRecorder.MARK + " but not this container's "
          + CommandLauncher.CONTAINER_VARIABLE
          + ": another stack's process, or another server of this stack"
          + " (its moto_server, another endpoint's container)");
    }
    return Optional.empty();
  }

  /**
   * The inodes, as {@code socket:[N]} links read, of the sockets in a /proc/net table that listen on {@code port} at
   * an address a connection to 127.0.0.1 reaches.
   */
  static Set<String> listening(List<String> table, int port) {
    Set<String> inodes = new HashSet<>();
    for (String line : table.subList(Math.min(1, table.size()), table.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 9 && f[3].equals(LISTEN)) {
        String local = f[1];
        int colon = local.lastIndexOf(':');
        if (colon > 0
            && REACHED_FROM_LOOPBACK.contains(local.substring(0, colon))
            && Integer.parseInt(local.substring(colon + 1), 16) == port) {
          inodes.add("socket:[" + f[9] + "]");
        }
      }
    }
    return inodes;
  }

  private static boolean holdsAny(long pid, Set<String> sockets) {
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
      // another user's (root's docker-proxy), or ended while looked at: believed
    }
    return false;
  }
}
