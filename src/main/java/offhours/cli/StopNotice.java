package offhours.cli;

/**
 * What a command does if the JVM ends before the command is done (Ctrl-C, SIGTERM): a shutdown hook, which the JVM
 * runs for those signals before it exits as they do (130, 143), removed when the command ends on its own. The one
 * place for it of {@link BackfillInterruption}, {@link ReprocessInterruption} and {@link DlqPass}; the local stack,
 * whose processes must be stopped before the JVM's hooks run, has {@link StopSignals} instead.
 */
final class StopNotice implements AutoCloseable {
  private final Thread hook;

  private StopNotice(Thread hook) {
    this.hook = hook;
  }

  /** Runs {@code onStop} (named {@code name}, as its thread) if the JVM ends before {@link #close}. */
  static StopNotice watch(String name, Runnable onStop) {
    StopNotice notice = new StopNotice(new Thread(onStop, name));
    Runtime.getRuntime().addShutdownHook(notice.hook);
    return notice;
  }

  /** The command ended on its own: nothing is run at the JVM's end. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting (a signal, or System.exit from elsewhere): the hook runs
    }
  }
}
