package offhours.local.process;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * A process the local stack started (moto_server), as its state file records it: when the stack's own process is
 * killed outright ({@code kill -9}, an out-of-memory kill) no shutdown hook runs and the child keeps running, its
 * port and memory held, with nothing else that knows it. {@code local stop} ends it from this record.
 *
 * <p>A process id alone does not name a process: Linux reuses ids, and a later program may have this one. The
 * record is that process only while a process with the id runs AND started at the recorded instant; anything else is
 * left alone, even when that means a leftover survives (a wall clock set since then moves the start instant the JDK
 * reports, see {@code offhours.cli.StackProcess#isTheStack}).
 *
 * @param name what the user knows it as ("moto_server")
 * @param pid its process id
 * @param started when it started (ISO-8601, as {@link ProcessHandle.Info#startInstant()} gives it)
 */
public record ChildProcess(String name, long pid, String started) {

  public ChildProcess {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(started, "started");
  }

  /**
   * The record of {@code process}; empty when the system does not say when it started (then it could not be told
   * apart).
   */
  static Optional<ChildProcess> of(String name, ProcessHandle process) {
    return process
        .info()
        .startInstant()
        .map(Instant::toString)
        .map(started -> new ChildProcess(name, process.pid(), started));
  }

  /** The recorded process if it still runs; never a process that merely has its id now. */
  public Optional<ProcessHandle> stillRunning() {
    return stillRunning(ProcessHandle::of);
  }

  /** As {@link #stillRunning()}, looking processes up with {@code lookup} (tests name the processes). */
  Optional<ProcessHandle> stillRunning(LongFunction<Optional<ProcessHandle>> lookup) {
    return lookup.apply(pid).filter(ProcessHandle::isAlive).filter(this::isSameProcess);
  }

  /** Same id and same start instant: a process that got the id later has a later start. */
  boolean isSameProcess(ProcessHandle process) {
    return process.pid() == pid
        && process
            .info()
            .startInstant()
            .map(Instant::toString)
            .filter(started::equals)
            .isPresent();
  }
}
