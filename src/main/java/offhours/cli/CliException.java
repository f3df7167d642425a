package offhours.cli;

/**
 * A failure the user can act on: {@link Main} prints its message (prefixed with the command) and exits
 * with its code, 2 for a usage error, 1 otherwise. No stack trace: the message says what to do.
 */
public final class CliException extends RuntimeException {

  public static final int FAILURE = 1;
  private static final int USAGE = 2;

  private final int exitCode;

  private CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /** The command line is wrong; Main adds "see 'offhours X --help'". */
  public static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  /** The command could not do its job. */
  public static CliException failure(String message) {
    return new CliException(FAILURE, message);
  }

  public int exitCode() {
    return exitCode;
  }

  public boolean isUsage() {
    return exitCode == USAGE;
  }
}
