package offhours.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import offhours.cache.CacheFiles;
import offhours.local.ControlSocket;
import offhours.local.LocalDirectory;
import offhours.local.StateFile;
import offhours.local.process.ChildProcess;

/**
 * The background process of {@code local start}: starts {@code offhours local run} detached from the terminal,
 * tells whether the process a state file names is still that stack (not merely a process with the same id: ids are
 * reused), keeps a second stack from starting over a running one, and ends it.
 */
final class StackProcess {
  private static final Duration START_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);
  /** How long a leftover child has to end on SIGTERM (moto_server needs well under a second). */
  private static final Duration CHILD_GRACE = Duration.ofSeconds(5);
  /** The locks this process holds, referenced so that they live as long as it does. */
  private static final List<FileLock> HELD = new CopyOnWriteArrayList<>();
  /** The files of {@link #HELD}. */
  private static final Set<Path> HELD_FILES = ConcurrentHashMap.newKeySet();

  private static final String LOCK_FILE = "stack.lock";
  private static final int LOCK_ATTEMPTS = 5;
  private static final Duration LOCK_RETRY = Duration.ofMillis(200);
  /** A terminal's colour sequence (SGR): ESC, '[', digits and semicolons, 'm'. */
  private static final Pattern COLOUR = Pattern.compile("\u001B\\[[0-9;]*m");

  /** The stack that is up, and whether this command started it or another one did meanwhile. */
  record Started(StateFile state, Path log, boolean byAnother) {}

  private StackProcess() {}

  /**
   * The state file's stack if its process still runs, up or {@linkplain StateFile#stillStarting() starting}; empty when
   * there is none, it exited, or its id was reused.
   */
  static Optional<StateFile> running(Path stateFile) {
    return recorded(stateFile).filter(state -> isTheStack(stateFile, state));
  }

  /** What the state file says, whether or not that stack still runs. */
  static Optional<StateFile> recorded(Path stateFile) {
    if (!Files.isRegularFile(stateFile)) {
      return Optional.empty();
    }
    try {
      return Optional.of(StateFile.read(stateFile));
    } catch (IOException e) {
      return Optional.empty(); // half-written by a start that is still running: not up yet
    }
  }

  /**
   * True when the recorded process is alive and is the stack that wrote {@code stateFile}: it started when the stack's
   * process did (a process that got the same id later has another start time), or, when the start times differ, the
   * stack's lock is held. The JDK dates a process on Linux as the boot time plus its age in clock ticks, and takes the
   * boot time from the wall clock (/proc/stat's btime, https://man7.org/linux/man-pages/man5/proc.5.html): a clock
   * set after the stack started (NTP stepping it, a virtual machine resumed) moves every start time it reports, and
   * the stack would look gone while it runs, and be left running by {@code local stop}. The lock is held by the
   * process that wrote the state file ({@code local run} removes an older one once it holds it) as long as it lives.
   */
  static boolean isTheStack(Path stateFile, StateFile state) {
    Optional<ProcessHandle> process = (state.pid() == null
            ? Optional.<ProcessHandle>empty()
            : ProcessHandle.of(state.pid()))
        .filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return false;
    }
    boolean sameStart = process
        .flatMap(p -> p.info().startInstant())
        .map(Instant::toString)
        .filter(started -> started.equals(state.started()))
        .isPresent();
    return sameStart || lockHeldElsewhere(stateFile.resolveSibling(LOCK_FILE));
  }

  /** True when another process holds the stack's lock; never probes a lock this process holds. */
  private static boolean lockHeldElsewhere(Path lockFile) {
    // Closing any descriptor of a file drops the POSIX locks this process holds on it: a lock of
    // our own is not probed.
    if (HELD_FILES.contains(lockFile.toAbsolutePath().normalize())
        || !Files.isRegularFile(lockFile)) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock probe = channel.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (IOException | OverlappingFileLockException e) {
      return false;
    }
  }

  /**
   * Taken by {@code local run} before it starts anything and held while the process lives (the operating system
   * releases it when the process ends, however it ends): a second stack over the same cache directory is refused
   * instead of overwriting the state file and orphaning the first.
   */
  static FileLock lock(Path cache) throws IOException {
    Path file = CacheFiles.privateFile(LocalDirectory.of(cache).resolve(LOCK_FILE));
    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
    FileLock lock = null;
    // A 'local stop' holds it for a moment while it deletes a gone stack's file (removeStale).
    for (int attempt = 0; lock == null && attempt < LOCK_ATTEMPTS; attempt++) {
      if (attempt > 0) {
        sleep(LOCK_RETRY);
      }
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        break; // held by this very process
      }
    }
    if (lock == null) {
      channel.close();
      throw CliException.failure(
          "a local stack is already running from " + cache
              + running(StateFile.path(cache))
                  .map(s -> " (pid " + s.pid() + ")")
                  .orElse("")
              + "; use it ('scripts/offhours local status') or stop it first ('scripts/offhours local stop')");
    }
    HELD.add(lock);
    HELD_FILES.add(file.toAbsolutePath().normalize());
    return lock;
  }

  /**
   * Set to 1 in the environment of the {@code local run} that {@code local start} runs in the background, so that its
   * errors name {@code local start}, the command the user ran, rather than {@code local run}.
   */
  static final String STARTED_BY_LOCAL_START = "OFFHOURS_STARTED_BY_LOCAL_START";

  /**
   * Runs {@code offhours local run OPTIONS} in a new JVM with the same class path, its output in
   * {@code local/logs/stack.log}, and returns once its state file says it is up.
   */
  static Started startInBackground(Path cache, List<String> options)
      throws IOException, InterruptedException {
    Path stateFile = StateFile.path(cache);
    // No file is deleted here: what a gone stack left, 'local run' removes once it holds the lock,
    // and a file a stack starting meanwhile wrote is that stack's.
    Path log = CacheFiles.privateFile(LocalDirectory.logs(cache).resolve("stack.log"));
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED",
        "-cp",
        System.getProperty("java.class.path"),
        Main.class.getName(),
        "local",
        "run"));
    command.addAll(1, OwnTmpdir.jvmOptions(cache.resolve("local")));
    command.addAll(options);
    // Appended: a start that loses the race for the lock to another (below) would otherwise empty
    // the log of the stack that won it, which goes on writing to it.
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().put("OFFHOURS_CACHE", cache.toString());
    // Its failure, which a failed start shows, in the words of the command the user ran (Main).
    pb.environment().put(STARTED_BY_LOCAL_START, "1");
    // Where this start's output begins: the log holds earlier stacks' too (appended, above), and a
    // failed start shows only its own, not the last lines of a stack that ran before it.
    long logStart = Files.size(log);
    Process child = pb.start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<StateFile> state = running(stateFile);
      if (state.isPresent() && state.get().pid() == child.pid() && !state.get().stillStarting()) {
        return new Started(state.get(), log, false);
      }
      if (!child.isAlive() && state.isPresent() && state.get().pid() != child.pid()) {
        // Another 'local start' started a stack between this one's look at the state file and its
        // child's attempt at the lock: the child found it held and exited. The user asked for a
        // running stack, and one is coming up, so this waits for it as a start that saw it
        // starting does.
        return new Started(awaitUp(cache, state.get()), log, true);
      }
      if (!child.isAlive() && lockHeldElsewhere(stateFile.resolveSibling(LOCK_FILE))) {
        Thread.sleep(200); // that stack holds the lock and has not written its state file yet
        continue;
      }
      if (!child.isAlive()) {
        throw CliException.failure("the local stack did not start (exit code " + child.exitValue()
            + "):\n" + tail(log, logStart, 15));
      }
      Thread.sleep(200);
    }
    child.destroy();
    throw CliException.failure("the local stack did not start within " + START_TIMEOUT.toMinutes()
        + " minutes; see " + log);
  }

  /**
   * Waits for the stack that {@code starting} names, which another {@code local start} is starting, to be up; returns
   * it, or fails saying what became of it.
   */
  static StateFile awaitUp(Path cache, StateFile starting) throws InterruptedException {
    Path stateFile = StateFile.path(cache);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<StateFile> now = running(stateFile).filter(s -> s.pid().equals(starting.pid()));
      if (now.isEmpty()) {
        throw CliException.failure("the local stack that was starting (pid " + starting.pid()
            + ") stopped before it was up; see its log "
            + stateFile.resolveSibling("logs").resolve("stack.log")
            + ", then start it again");
      }
      if (!now.get().stillStarting()) {
        return now.get();
      }
      Thread.sleep(200);
    }
    throw CliException.failure("the local stack (pid " + starting.pid() + ") was not up within "
        + START_TIMEOUT.toMinutes()
        + " minutes; stop it ('scripts/offhours local stop') and start it again");
  }

  /**
   * Asks the stack's process to stop (its shutdown hook stops every service), then forces it after a grace period;
   * only a process {@link #isTheStack} is ever signalled.
   */
  static void stop(Path stateFile, StateFile state) throws InterruptedException {
    Optional<ProcessHandle> found =
        ProcessHandle.of(state.pid()).filter(p -> isTheStack(stateFile, state));
    if (found.isEmpty()) {
      return;
    }
    end(found.get(), STOP_GRACE);
  }

  /** SIGTERM, then SIGKILL if {@code process} has not ended within {@code grace}. */
  private static void end(ProcessHandle process, Duration grace) throws InterruptedException {
    process.destroy();
    try {
      process.onExit().get(grace.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      process.destroyForcibly();
    }
  }

  /**
   * Ends the processes the state file's stack started that still run (each only while it is the very process
   * recorded, {@link ChildProcess#stillRunning()}), with what each has forked since it was recorded (a container
   * command's shell starts its server after the stack wrote the file): what a stack killed outright left behind,
   * which nothing else would end; and, once no process has the stack's id, each process that carries its mark but
   * was never recorded ({@link offhours.local.process.StackMark}: started in the moment before it was killed).
   * Returns how each one ended is named, as {@code local status} lists it ({@link StackChildren}), for the user to be
   * told.
   */
  static List<String> endLeftovers(StateFile state) throws InterruptedException {
    List<StackChildren.Named> found = new ArrayList<>(StackChildren.running(state.children()));
    // And what it was killed before it could record (StackMark): found after the recorded ones,
    // ended before them, as a descendant is.
    found.addAll(StackChildren.unrecorded(state, found));
    return endFound(found);
  }

  /** As {@link #endLeftovers(StateFile)}, for these recorded processes (of this very process's stack). */
  static List<String> endLeftovers(List<ChildProcess> children) throws InterruptedException {
    return endFound(StackChildren.running(children));
  }

  private static List<String> endFound(List<StackChildren.Named> found)
      throws InterruptedException {
    // Found while they run: once one has ended, its descendants are no longer its own, and could
    // not be told from other programs.
    endAll(found.stream().map(StackChildren.Named::process).toList().reversed(), CHILD_GRACE);
    return found.stream().map(StackChildren.Named::withPid).toList();
  }

  /**
   * As {@link #end}, for all of {@code processes} at once, each process after what it forked: a shell that runs its
   * command in a child ends when the command does, while the command outlives a shell ended before it.
   */
  private static void endAll(List<ProcessHandle> processes, Duration grace)
      throws InterruptedException {
    processes.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle p : processes) {
      try {
        p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
        // The JDK signals a handle only while its process is the one it found (same start
        // time), so a process that ended meanwhile and whose id was reused is left alone.
        p.destroyForcibly();
      }
    }
  }

  /**
   * Before a new stack starts over the state file of one that is gone (killed outright, so it could not remove the
   * file): ends what that stack left running, saying so on {@code err}.
   */
  static void endLeftoversOfGoneStack(Path stateFile, PrintStream err) throws InterruptedException {
    Optional<StateFile> gone = recorded(stateFile);
    if (gone.isPresent()) {
      String leftovers = leftoversEnded(endLeftovers(gone.get()));
      if (!leftovers.isEmpty()) {
        err.println("the last local stack (pid " + gone.get().pid() + ") was gone" + leftovers);
      }
    }
  }

  /**
   * Deletes the state file and the control socket's file a killed stack left beside it ({@link ControlSocket}: only a
   * stack that stopped itself removes it); true when there was a state file.
   */
  private static boolean removeStaleFiles(Path stateFile) throws IOException {
    Files.deleteIfExists(stateFile.resolveSibling(ControlSocket.FILE));
    return Files.deleteIfExists(stateFile);
  }

  /**
   * Deletes the state file of a stack that is gone, unless a stack holds the lock: then the file is, or soon will be,
   * that stack's (a {@code local run} that took the lock after this command read the file has replaced it or is
   * about to: it removes a gone stack's file itself), and deleting it would hide a stack that runs. A
   * {@code local run} writes the file only while it holds the lock, so while this holds it the file cannot change.
   * Returns whether the file was deleted.
   */
  static boolean removeStale(Path stateFile) throws IOException {
    Path lockFile = stateFile.resolveSibling(LOCK_FILE);
    if (HELD_FILES.contains(lockFile.toAbsolutePath().normalize())) {
      return false; // this very process runs a stack
    }
    if (!Files.isRegularFile(lockFile)) {
      // A stack of a version without the lock: no new stack can be starting over it.
      return removeStaleFiles(stateFile);
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock held = channel.tryLock();
      if (held == null) {
        return false;
      }
      try {
        return removeStaleFiles(stateFile);
      } finally {
        held.release();
      }
    } catch (OverlappingFileLockException e) {
      return false;
    }
  }

  /** What a sentence about {@link #endLeftovers} says, or nothing when none was left. */
  static String leftoversEnded(List<String> ended) {
    return ended.isEmpty()
        ? ""
        : "; ended " + String.join(", ", ended) + ", which it had started and left running";
  }

  private static void sleep(Duration pause) throws IOException {
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the stack's lock", e);
    }
  }

  /**
   * The last {@code lines} lines of what {@code log} holds from byte {@code from} on, without the colour sequences
   * ONNX Runtime writes around its warnings ({@code ESC[0;93m}), which a failed start would show escaped as
   * {@code \x1b[0;93m} around the model's problem; any other control character stays, for the printing to escape.
   */
  static String tail(Path log, long from, int lines) throws IOException {
    byte[] bytes = Files.readAllBytes(log);
    int start = (int) Math.min(from, bytes.length);
    List<String> all = new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8)
        .lines()
        .map(line -> COLOUR.matcher(line).replaceAll(""))
        .toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
