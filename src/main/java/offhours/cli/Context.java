package offhours.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import offhours.aws.AwsClients;
import offhours.cache.CacheDirectory;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Everything a command may take from the outside world, read once in {@link Main#main}: streams, the
 * environment, the cache directory (home of the local stack's state file), whether stderr is a
 * terminal, the clock and time zone, and how to build clients for a deployed stack. Tests pass their own.
 *
 * <p>The cache directory is resolved from the environment the first time a command asks for it, and kept: a blank
 * OFFHOURS_CACHE fails the commands that use the cache, naming it, not {@code --help} or a command on a deployed
 * stack.
 */
public record Context(
    PrintStream out,
    PrintStream err,
    Map<String, String> env,
    Supplier<Path> cache,
    boolean terminal,
    Clock clock,
    Supplier<AwsClients> userClients) {

  public Context {
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    env = Map.copyOf(env);
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(userClients, "userClients");
  }

  /** A context whose cache directory is {@code cacheDir}. */
  public Context(
      PrintStream out,
      PrintStream err,
      Map<String, String> env,
      Path cacheDir,
      boolean terminal,
      Clock clock,
      Supplier<AwsClients> userClients) {
    this(out, err, env, fixed(cacheDir), terminal, clock, userClients);
  }

  private static Supplier<Path> fixed(Path cacheDir) {
    Objects.requireNonNull(cacheDir, "cacheDir");
    return () -> cacheDir;
  }

  /**
   * The context of a real run: system clock and zone (a TZ the JDK knows no zone by is refused when a command reads
   * the zone, see {@link UserZone}), AWS clients from the usual profile/region chains, and the cache directory of
   * {@code env} ({@link #cacheDir(Map)}) once a command asks for it.
   */
  public static Context of(
      PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
    return new Context(
        out,
        err,
        env,
        once(() -> cacheDir(env)),
        terminal,
        UserZone.clock(env),
        () -> AwsClients.forUser(Targets.userRegion(env, new DefaultAwsRegionProviderChain())));
  }

  /**
   * {@code $OFFHOURS_CACHE}, else {@code $XDG_CACHE_HOME/offhours}, else {@code ~/.cache/offhours}, as an absolute path
   * (contracts: "Local stack state file"); a blank OFFHOURS_CACHE is a failure that names it ({@link CacheDirectory}).
   */
  public static Path cacheDir(Map<String, String> env) {
    try {
      return CacheDirectory.resolve(
          env, Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))));
    } catch (IllegalArgumentException e) {
      throw CliException.failure(e.getMessage());
    }
  }

  /**
   * The cache directory: the local stack's state file, its logs, the default model.
   *
   * @throws CliException when the environment names none (a blank OFFHOURS_CACHE)
   */
  public Path cacheDir() {
    return cache.get();
  }

  /** {@code resolve}'s value, resolved when first asked for and kept; a failure is thrown again when asked again. */
  private static Supplier<Path> once(Supplier<Path> resolve) {
    AtomicReference<Path> resolved = new AtomicReference<>();
    return () -> {
      Path path = resolved.get();
      if (path == null) {
        resolved.compareAndSet(null, resolve.get());
        path = resolved.get();
      }
      return path;
    };
  }

  /** The width text output fits in: {@code COLUMNS}, else {@link Terminal#DEFAULT_COLUMNS}. */
  public int columns() {
    return Terminal.columns(env);
  }

  /**
   * This machine's zone (TZ): the local stack's TIME_ZONE unless 'local start --time-zone' says otherwise, and what a
   * command falls back on for a stack that records no zone ({@link Target#zone}). A time given for a stack, such as
   * {@code endpoint start --until 18:00}, is read in the stack's zone, not in this one.
   */
  public ZoneId zone() {
    return clock.getZone();
  }
}
