package offhours.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import offhours.local.LocalDeployment;
import offhours.local.LocalDirectory;
import offhours.units.IanaZones;

/**
 * {@code offhours local start|stop|status|run|update}: the local stack as a background service. The options that
 * shape the stack live here, shared with {@code demo}, those that choose its model in {@link ModelOptions};
 * {@link StackProcess} supervises the background process.
 */
final class LocalCommand {

  static final Option HOSTING = Option.value(
      "hosting",
      "KIND",
      "how the model is hosted: " + offhours.stack.Hosting.spellings()
          + " (default scheduled), as the template's Hosting");
  static final Option TIME_ZONE = Option.value(
      "time-zone",
      "ZONE",
      "the controller's zone, whose days the ledger and 'cost' count, as the template's TimeZone: an IANA zone"
          + " such as Europe/Berlin (default: TZ's, else this machine's)");

  private LocalCommand() {}

  static Command group() {
    return Command.group(
        "local",
        "run the whole stack on this machine (moto_server, local SageMaker, local Lambda)",
        List.of(
            new LocalStartCommand(),
            new LocalStopCommand(),
            new LocalStatusCommand(),
            new LocalUpdateCommand(),
            new LocalRunCommand()));
  }

  /** The options of {@code local start|run} and {@code demo} that choose the model and the controller's zone. */
  static List<Option> stackOptions() {
    return Stream.concat(ModelOptions.OPTIONS.stream(), Stream.of(HOSTING, TIME_ZONE))
        .toList();
  }

  static LocalDeployment.Options settings(Invocation call) {
    Arguments args = call.args();
    // The zone the controller keeps its hours and ledger days in (TIME_ZONE), which the state file
    // records: --time-zone, else the command's own, refused where the JDK misread TZ (UserZone).
    ZoneId zone = args.value(TIME_ZONE.name())
        .map(UserZone::flag)
        .orElseGet(() -> machineZone(call.context().zone()));
    ModelOptions chosen = ModelOptions.of(call).forNewStack();
    Map<String, String> modelSettings = new java.util.HashMap<>(chosen.settings());
    args.value(HOSTING.name()).ifPresent(v -> modelSettings.put("HOSTING", v));
    try {
      // Checked here, so a bad value is a usage error, not a failed start.
      if (modelSettings.containsKey("HOSTING")) {
        offhours.stack.Hosting.parse(modelSettings.get("HOSTING"));
      }
      return new LocalDeployment.Options(
          call.context().cacheDir(),
          chosen.model(),
          chosen.labels(),
          chosen.containerCommand(),
          Duration.ofSeconds(3),
          Duration.ofSeconds(2),
          Map.of("TIME_ZONE", zone.getId()),
          modelSettings);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(asFlag(e.getMessage()));
    }
  }

  /**
   * This machine's zone as the local stack's TIME_ZONE, which its functions read by the template's rule
   * ({@link IanaZones}): UTC for the zero offset ({@code Z}, a clock of {@link java.time.Clock#systemUTC}); any other
   * offset the JDK was given ({@code -Duser.timezone=+02:00}) is said here, with what to do, not by functions that
   * then fail to start.
   */
  private static ZoneId machineZone(ZoneId zone) {
    if (zone.normalized().equals(ZoneOffset.UTC)
        && !ZoneId.getAvailableZoneIds().contains(zone.getId())) {
      return ZoneId.of("UTC");
    }
    try {
      return IanaZones.parse("TIME_ZONE", zone.getId());
    } catch (IllegalArgumentException e) {
      throw CliException.failure("this machine's zone is " + Terminal.value(zone.getId())
          + ", which the local stack's functions refuse as TIME_ZONE (an IANA zone such as"
          + " Europe/Berlin, not a fixed offset); give --time-zone Europe/Berlin, or the zone"
          + " whose clocks you mean");
    }
  }

  /**
   * Creates the cache directory's {@code local/logs/} now, before anything starts: a cache that cannot hold it (a
   * file in its place, a path under a file, no permission, a read-only file system) is said naming the directory,
   * why, where it comes from and what to do, where the first write would have failed with the bare path.
   */
  static void requireUsableCache(Path cache) {
    try {
      LocalDirectory.logs(cache);
    } catch (FileAlreadyExistsException e) {
      throw unusableCache(
          cache, "'" + Terminal.printable(e.getFile()) + "' is a file, not a folder");
    } catch (IOException e) {
      String file = e instanceof FileSystemException f && f.getFile() != null
          ? "'" + Terminal.printable(f.getFile()) + "': "
          : "";
      throw unusableCache(cache, file + Format.fileProblem(e));
    }
  }

  private static CliException unusableCache(Path cache, String why) {
    return CliException.failure(
        "cannot use the cache directory '" + Terminal.printable(cache.toString())
            + "' (" + why + "); it is $OFFHOURS_CACHE, else $XDG_CACHE_HOME/offhours, else"
            + " ~/.cache/offhours: set OFFHOURS_CACHE to a folder you can write");
  }

  /**
   * A message about a function setting (CONTENT_TYPE must be ...) in the words of the command line: the flag the user
   * typed (--content-type must be ...).
   */
  static String asFlag(String message) {
    for (Map.Entry<String, Option> setting : Map.of(
            "CONTENT_TYPE ",
            ModelOptions.CONTENT_TYPE,
            "ACCEPT ",
            ModelOptions.ACCEPT,
            "HOSTING ",
            HOSTING,
            "NORMALIZE ",
            ModelOptions.NORMALIZE,
            "RESIZE ",
            ModelOptions.RESIZE,
            "RESAMPLE ",
            ModelOptions.RESAMPLE,
            "INPUT_SIZE ",
            ModelOptions.INPUT_SIZE)
        .entrySet()) {
      if (message.startsWith(setting.getKey())) {
        return "--" + setting.getValue().name() + " "
            + message.substring(setting.getKey().length());
      }
    }
    return message;
  }
}
