package offhours.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import offhours.inference.ModelContract;
import offhours.local.LocalDeployment;
import offhours.local.LocalDirectory;
import offhours.local.model.ModelFiles;
import offhours.local.model.Normalization;
import offhours.local.model.Preprocessing;
import offhours.local.model.Resize;
import offhours.units.Decimals;
import offhours.units.IanaZones;
import offhours.units.WholeNumbers;

/**
 * {@code offhours local start|stop|status|run}: the local stack as a background service. The options that shape
 * the stack live here, shared with {@code demo}; {@link StackProcess} supervises the background process.
 */
final class LocalCommand {

  static final Option MODEL = Option.value(
      "model", "FILE", "serve this ONNX model instead of the default nsfwjs MobileNetV2");
  static final Option LABELS = Option.value(
      "labels",
      "FILE",
      "class names of --model/--container-command, one per line (not needed when the answers name their classes)");
  static final Option CONTENT_TYPE = Option.value(
      "content-type",
      "TYPE",
      "Content-Type of the image sent to the model: application/x-image (default), auto (image/jpeg or image/png), or a media type");
  static final Option ACCEPT =
      Option.value("accept", "TYPE", "Accept header sent to the model (default application/json)");
  static final Option NORMALIZE = Option.value(
      "normalize",
      "HOW",
      "how --model's pixels are normalized after the resize: unit (default, RGB from 0 to 1),"
          + " imagenet (torchvision's mean 0.485,0.456,0.406 and std 0.229,0.224,0.225), or"
          + " MEAN/STD, three numbers each, as 0.5,0.5,0.5/0.5,0.5,0.5");
  static final Option RESIZE = Option.value(
      "resize",
      "HOW",
      "how an image is brought to --model's input size: stretch (default, the whole image) or crop (shorter side to"
          + " the input's, then the middle, as torchvision's and timm's evaluation do)");
  static final Option HOSTING = Option.value(
      "hosting",
      "KIND",
      "how the model is hosted: " + offhours.stack.Hosting.spellings()
          + " (default scheduled), as the template's Hosting");
  static final Option CONTAINER_COMMAND = Option.value(
      "container-command",
      "CMD",
      "serve with this command instead: it must answer GET /ping and POST /invocations on $SAGEMAKER_BIND_TO_PORT");
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

  /** The options that choose the model: those of {@code local start} a running stack takes ({@code local update}). */
  static final List<Option> MODEL_OPTIONS =
      List.of(MODEL, LABELS, CONTAINER_COMMAND, CONTENT_TYPE, ACCEPT, NORMALIZE, RESIZE);

  /** The options of {@code local start|run} and {@code demo} that choose the model and the controller's zone. */
  static List<Option> stackOptions() {
    return Stream.concat(MODEL_OPTIONS.stream(), Stream.of(HOSTING, TIME_ZONE)).toList();
  }

  static LocalDeployment.Options settings(Invocation call) {
    Arguments args = call.args();
    // The zone the controller keeps its hours and ledger days in (TIME_ZONE), which the state file
    // records: --time-zone, else the command's own, refused where the JDK misread TZ (UserZone).
    ZoneId zone = args.value(TIME_ZONE.name())
        .map(UserZone::flag)
        .orElseGet(() -> machineZone(call.context().zone()));
    ModelOptions chosen = model(call);
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
   * The model a command names ({@link #MODEL}, {@link #LABELS}, {@link #CONTAINER_COMMAND}), how it is called
   * ({@link #CONTENT_TYPE}, {@link #ACCEPT}, as CONTENT_TYPE and ACCEPT among {@code settings}) and how an ONNX
   * model's images are prepared ({@link #NORMALIZE}, {@link #RESIZE}, as NORMALIZE and RESIZE, each in its own
   * spelling).
   */
  record ModelOptions(
      Optional<Path> model,
      Optional<Path> labels,
      Optional<String> containerCommand,
      Map<String, String> settings) {}

  /**
   * The model options of {@code local start|run|update} and {@code demo}, each checked as the stack will check it, so
   * a bad one is a usage error here rather than a failed start or update.
   */
  static ModelOptions model(Invocation call) {
    Arguments args = call.args();
    Optional<Path> model = args.nonEmpty(MODEL.name(), "an ONNX model file").map(Path::of);
    Optional<Path> labels = args.nonEmpty(LABELS.name(), "a labels file").map(Path::of);
    model.ifPresent(p -> file(p, "model file", "; give the path of an ONNX model"));
    labels.ifPresent(p -> {
      file(p, "labels file", "");
      try {
        // Read and checked now, as the stack will: an empty file, or a label the functions refuse
        // at their start (a control character, too long), is said here, not by a stack that then
        // fails to start.
        ModelContract.builtIn(new ModelFiles(p, p).readLabels());
      } catch (IllegalArgumentException e) {
        throw CliException.usage(
            "labels file '" + Terminal.printable(p.toString()) + "': " + e.getMessage());
      } catch (FileSystemException | CharacterCodingException e) {
        throw CliException.usage("cannot read labels file '" + Terminal.printable(p.toString())
            + "': " + Format.fileProblem(e));
      } catch (IOException e) {
        throw CliException.usage(e.getMessage()); // it has no labels
      }
    });
    if (args.value(CONTAINER_COMMAND.name()).filter(String::isBlank).isPresent()) {
      throw CliException.usage("--" + CONTAINER_COMMAND.name() + " is empty; give the command that"
          + " serves the model, or leave it out for the default model");
    }
    args.value(CONTAINER_COMMAND.name()).ifPresent(LocalCommand::refuseControls);
    // To the functions an empty setting means the default (a template parameter left empty);
    // typed on the command line it is more likely a slip (an unset shell variable): refused.
    refuseEmpty(args, CONTENT_TYPE, ModelContract.X_IMAGE);
    refuseEmpty(args, ACCEPT, ModelContract.JSON);
    Map<String, String> settings = new java.util.HashMap<>();
    args.value(CONTENT_TYPE.name()).ifPresent(v -> settings.put("CONTENT_TYPE", v));
    args.value(ACCEPT.name()).ifPresent(v -> settings.put("ACCEPT", v));
    try {
      ModelContract.fromEnv(settings);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(asFlag(e.getMessage()));
    }
    settings.putAll(preprocessing(args));
    return new ModelOptions(
        model, labels, args.value(CONTAINER_COMMAND.name()), Map.copyOf(settings));
  }

  /**
   * {@link #NORMALIZE} and {@link #RESIZE} as NORMALIZE and RESIZE, each spelled as the container reads it back
   * ({@code ImageNet} as {@code imagenet}), so that the same choice typed again changes nothing. They prepare an ONNX
   * model's images, so a container command, whose server prepares its own, is refused with them.
   */
  private static Map<String, String> preprocessing(Arguments args) {
    Map<String, String> settings = new java.util.LinkedHashMap<>();
    Optional<String> normalize = args.value(NORMALIZE.name());
    Optional<String> resize = args.value(RESIZE.name());
    if (args.value(CONTAINER_COMMAND.name()).isPresent()
        && (normalize.isPresent() || resize.isPresent())) {
      throw CliException.usage(
          "--" + (normalize.isPresent() ? NORMALIZE : RESIZE).name()
              + " prepares the images of an ONNX model of --model only: the server of"
              + " --container-command prepares its own (leave it out, or serve an ONNX file with --model)");
    }
    try {
      normalize.ifPresent(v -> settings.put(
          Preprocessing.NORMALIZE,
          Normalization.parse(v, Preprocessing.NORMALIZE).spelling()));
      resize.ifPresent(v -> settings.put(
          Preprocessing.RESIZE, Resize.parse(v, Preprocessing.RESIZE).value()));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(asFlag(e.getMessage()));
    }
    return settings;
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

  /** A file the stack will read: a folder or a missing file is said before it starts. */
  private static void file(Path p, String what, String hint) {
    // Quoted and escaped: a path of blanks, or one with a blank at an end, reads as no path at
    // all, and a control character in it would reach the terminal.
    String shown = what + " '" + Terminal.printable(p.toString()) + "'";
    if (Files.isDirectory(p)) {
      throw CliException.usage(shown + " is a folder" + hint);
    }
    if (!Files.exists(p)) {
      throw CliException.usage(shown + " does not exist" + hint);
    }
    if (!Files.isRegularFile(p)) {
      // /dev/null or a shell's <(...) exist: "does not exist" sent the user looking for a typo.
      throw CliException.usage(shown + " is not a regular file (a device or a pipe, which"
          + " the stack cannot read again when it starts)" + hint);
    }
  }

  private static void refuseEmpty(Arguments args, Option option, String fallback) {
    if (args.value(option.name()).filter(String::isBlank).isPresent()) {
      throw CliException.usage("--" + option.name() + " is empty; give a media type, or leave --"
          + option.name() + " out for the default (" + fallback + ")");
    }
  }

  /**
   * A message about a function setting (CONTENT_TYPE must be ...) in the words of the command line: the flag the user
   * typed (--content-type must be ...).
   */
  private static String asFlag(String message) {
    for (Map.Entry<String, Option> setting : Map.of(
            "CONTENT_TYPE ",
            CONTENT_TYPE,
            "ACCEPT ",
            ACCEPT,
            "HOSTING ",
            HOSTING,
            "NORMALIZE ",
            NORMALIZE,
            "RESIZE ",
            RESIZE)
        .entrySet()) {
      if (message.startsWith(setting.getKey())) {
        return "--" + setting.getValue().name() + " "
            + message.substring(setting.getKey().length());
      }
    }
    return message;
  }

  /**
   * Refuses a container command with a control character, naming the first and where it is: /bin/sh would run it,
   * but it is a paste or an escape gone wrong more likely than meant, and every line that shows the command (a
   * failed start, the local stack's state) would carry it to the terminal. A tab or a line break is refused too:
   * {@code ;} and {@code &&} join commands on one line, and a longer script belongs in a file the command runs.
   */
  private static void refuseControls(String command) {
    for (int i = 0; i < command.length(); i++) {
      if (Character.isISOControl(command.charAt(i))) {
        throw CliException.usage(
            "--" + CONTAINER_COMMAND.name() + " has a control character ("
                + Terminal.printable(String.valueOf(command.charAt(i))) + ") at character "
                + (i + 1)
                + ": give one line of printable text (join commands with ; or &&, or put a script in a file)");
      }
    }
  }

  /** {@link #positive}, at most {@code max}: a larger number is refused, never cut to an int. */
  static int positive(Arguments args, Option option, int fallback, int max) {
    long n = positive(args, option, fallback);
    if (n > max) {
      throw CliException.usage("--" + option.name() + " must be at most " + max + ", got " + n);
    }
    return (int) n;
  }

  static long positive(Arguments args, Option option, long fallback) {
    Optional<String> value = args.value(option.name());
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      long n = digits(value.get(), false);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw CliException.usage(
        "--" + option.name() + " needs a positive whole number in digits 0-9, got '"
            + Terminal.value(value.get()) + "'");
  }

  /**
   * The one reading of every whole-number flag: {@link WholeNumbers}' ASCII digits 0-9 alone, after a minus where
   * {@code signed}.
   *
   * @throws NumberFormatException when {@code text} is anything else, or beyond a long
   */
  static long digits(String text, boolean signed) {
    return signed && text.startsWith("-")
        ? Math.negateExact(WholeNumbers.parse(text.substring(1)))
        : WholeNumbers.parse(text);
  }

  /**
   * The one reading of every decimal flag, as {@link #digits} is of whole ones: {@link Decimals#parse}, its number
   * refused with a usage error that names {@code flag}, says what it {@code needs} and shows the form. The caller
   * checks the bounds, with the same words.
   */
  static double decimal(String flag, String value, String needs) {
    try {
      return Decimals.parse(value);
    } catch (NumberFormatException e) {
      throw CliException.usage(flag + " needs " + needs + ", got '" + Terminal.value(value)
          + "': write it in " + Decimals.FORM);
    }
  }

  /**
   * A decimal flag's number of {@code what} ("objects per second") from {@code min} to {@code max}, read by
   * {@link #decimal}; one outside them refused with the same words.
   */
  static double decimal(String flag, String value, String what, double min, double max) {
    String needs = what + " from " + Decimals.plain(min) + " to " + Decimals.plain(max);
    double number = decimal(flag, value, needs);
    if (number < min || number > max) {
      throw CliException.usage(flag + " needs " + needs + ", got '" + Terminal.value(value) + "'");
    }
    return number;
  }
}
