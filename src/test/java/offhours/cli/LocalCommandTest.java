package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import offhours.local.StateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local start|run} and {@code demo}: the controller's zone they give the local stack, and the options they
 * check before starting anything.
 */
class LocalCommandTest {

  private static final ZoneId GMT = ZoneId.of("GMT");

  @TempDir
  Path cache;

  @Test
  void theFlagsZoneIsTheControllersAndWinsOverTz() {
    assertThat(timeZone(Map.of("time-zone", "Europe/Berlin"), clock("Pacific/Kiritimati", "")))
        .isEqualTo("Europe/Berlin");
    assertThat(timeZone(Map.of("time-zone", "Europe/Berlin"), clock("GMT", "Europe/Pariss")))
        .as("a TZ the JDK misread does not matter when the flag names the zone")
        .isEqualTo("Europe/Berlin");
  }

  @Test
  void withoutTheFlagTheControllersZoneIsTzs() {
    assertThat(timeZone(Map.of(), clock("Pacific/Kiritimati", "Pacific/Kiritimati")))
        .isEqualTo("Pacific/Kiritimati");
    assertThat(timeZone(Map.of(), clock("GMT", "UTC0")))
        .as("POSIX's UTC0, which the JDK reads as GMT")
        .isEqualTo("UTC");
    assertThatThrownBy(() -> timeZone(Map.of(), clock("GMT", "Europe/Pariss")))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
        .hasMessageStartingWith("TZ is 'Europe/Pariss', which is no time zone Java knows")
        .hasMessageEndingWith("; local start and demo also take --time-zone Europe/Paris");
  }

  /** The local stack's functions read TIME_ZONE by the template's rule: an offset the JDK was given is said first. */
  @Test
  void aMachineZoneThatIsAFixedOffsetIsRefusedBeforeTheStackStarts() {
    assertThatThrownBy(() -> timeZone(Map.of(), Clock.system(java.time.ZoneOffset.ofHours(2))))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
        .hasMessage("this machine's zone is +02:00, which the local stack's functions refuse as"
            + " TIME_ZONE (an IANA zone such as Europe/Berlin, not a fixed offset); give --time-zone"
            + " Europe/Berlin, or the zone whose clocks you mean");
    assertThat(timeZone(
            Map.of("time-zone", "Etc/GMT-2"), Clock.system(java.time.ZoneOffset.ofHours(2))))
        .isEqualTo("Etc/GMT-2");
    assertThat(timeZone(Map.of(), Clock.systemUTC()))
        .as("the zero offset, Z, is UTC")
        .isEqualTo("UTC");
  }

  @Test
  void aFlagThatNamesNoZoneIsAUsageErrorOfEachCommandThatStartsAStack() {
    for (List<String> command :
        List.of(List.of("local", "start"), List.of("local", "run"), List.of("demo"))) {
      List<String> args = new java.util.ArrayList<>(command);
      args.addAll(List.of("--time-zone", "Europe/Pariss"));

      CliRun run = CliRun.run(
          cache, Clock.system(GMT), () -> null, Commands.all(), args.toArray(String[]::new));

      assertThat(run.exitCode()).as("%s", command).isEqualTo(2);
      assertThat(run.err())
          .isEqualTo("offhours: --time-zone needs an IANA zone such as Europe/Berlin, got"
              + " 'Europe/Pariss'; see 'offhours " + String.join(" ", command) + " --help'\n");
    }
  }

  @Test
  void labelsWithoutAModelOfTheUsersAreRefusedByEachCommandThatStartsAStack() throws IOException {
    // Without --model or --container-command the stack serves the default model, whose five
    // classes five lines of a labels file would rename.
    Path labels = Files.writeString(cache.resolve("labels.txt"), "a\nb\nc\nd\ne\n");
    for (List<String> command :
        List.of(List.of("local", "start"), List.of("local", "run"), List.of("demo"))) {
      List<String> args = new java.util.ArrayList<>(command);
      args.addAll(List.of("--labels", labels.toString()));

      CliRun run = run(args.toArray(String[]::new));

      assertThat(run.exitCode()).as("%s", command).isEqualTo(2);
      assertThat(run.err())
          .isEqualTo("offhours: --labels names the classes of --model or --container-command, given"
              + " with neither: the default model (nsfwjs MobileNetV2) names its own classes; give"
              + " --model or --container-command with --labels, or leave --labels out; see 'offhours "
              + String.join(" ", command) + " --help'\n");
    }
    assertThat(StateFile.path(cache)).doesNotExist();
  }

  @Test
  void theHelpOfEachCommandThatStartsAStackNamesTheFlag() {
    for (String[] command : List.of(
        new String[] {"local", "start", "--help"},
        new String[] {"local", "run", "--help"},
        new String[] {"demo", "--help"})) {
      CliRun run = CliRun.run(cache, Clock.system(GMT), () -> null, Commands.all(), command);

      assertThat(run.out()).contains("--time-zone ZONE", "IANA zone such as Europe/Berlin");
    }
  }

  /** The TIME_ZONE the local stack's controller would be given. */
  private String timeZone(Map<String, String> flags, Clock clock) {
    Invocation call = CliRun.quietCall(cache, clock, flags);
    return LocalCommand.settings(call).controller().get("TIME_ZONE");
  }

  /** The clock of a command started with {@code tz} as TZ, which the JDK read as {@code jdkZone}. */
  private static Clock clock(String jdkZone, String tz) {
    return UserZone.clock(
        tz.isEmpty() ? Map.of() : Map.of("TZ", tz), Clock.system(ZoneId.of(jdkZone)));
  }

  CliRun run(String... args) {
    return CliRun.offline(cache, args);
  }

  @Test
  void aCacheDirectoryThatCannotBeWrittenIsNamedWithWhyAndWhatToDo(@TempDir Path dir)
      throws IOException {
    Path file = Files.writeString(dir.resolve("cache"), "not a folder");

    for (String command : List.of("start", "run")) {
      CliRun inPlace = CliRun.offline(file, "local", command);
      assertThat(inPlace.exitCode()).as(command).isEqualTo(1);
      assertThat(inPlace.err())
          .as(command)
          .isEqualTo("offhours: cannot use the cache directory '" + file + "' ('" + file
              + "' is a file, not a folder); it is $OFFHOURS_CACHE, else $XDG_CACHE_HOME/offhours,"
              + " else ~/.cache/offhours: set OFFHOURS_CACHE to a folder you can write\n");
    }
    CliRun under = CliRun.offline(file.resolve("sub"), "local", "start");
    assertThat(under.exitCode()).isEqualTo(1);
    assertThat(under.err())
        .startsWith("offhours: cannot use the cache directory '" + file.resolve("sub") + "' ('"
            + file + "' is a file, not a folder); it is $OFFHOURS_CACHE");
  }

  @Test
  void localStartChecksItsOptionsBeforeStartingAndNamesTheFlagsAsTyped(@TempDir Path dir)
      throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    CliRun missingModel = run(
        "local",
        "start",
        "--model",
        dir.resolve("modle.onnx").toString(),
        "--labels",
        labels.toString());
    assertThat(missingModel.exitCode()).isEqualTo(2);
    assertThat(missingModel.err())
        .isEqualTo(
            "offhours: model file '" + dir.resolve("modle.onnx")
                + "' does not exist; give the path of an ONNX model; see 'offhours local start --help'\n");
    CliRun blankModel = run("local", "start", "--model", " ", "--labels", labels.toString());
    assertThat(blankModel.err())
        .isEqualTo("offhours: model file ' ' does not exist; give the path of an ONNX model; see"
            + " 'offhours local start --help'\n");
    assertThat(run("local", "start", "--labels", "x\u001b[2Jy").err())
        .isEqualTo("offhours: labels file 'x\\x1b[2Jy' does not exist; see 'offhours local start"
            + " --help'\n");
    assertThat(run("local", "start", "--content-type", "image/").err())
        .startsWith("offhours: --content-type must be application/x-image, auto")
        .endsWith("got 'image/'; see 'offhours local start --help'\n");
    // The template's MaxLength, the functions' cap (ModelContract.MAX_MEDIA_TYPE_LENGTH).
    assertThat(
            run("local", "start", "--accept", "application/" + "j".repeat(53)).err())
        .isEqualTo("offhours: --accept must be at most 64 characters, got 65: 'application/"
            + "j".repeat(53) + "'; see 'offhours local start --help'\n");
    assertThat(run("local", "run", "--hosting", "always").err())
        .isEqualTo("offhours: --hosting must be one of scheduled, scale-to-zero or serverless, got"
            + " 'always'; see 'offhours local run --help'\n");
    assertThat(StateFile.path(cache)).as("nothing started").doesNotExist();
  }

  @Test
  void localStartAndTheDemoTakeTheModelsRequestHeadersAndCheckThemBeforeStartingAnything() {
    for (String[] help : List.of(
        new String[] {"local", "start", "--help"},
        new String[] {"local", "run", "--help"},
        new String[] {"demo", "--help"})) {
      assertThat(run(help).out()).contains("--content-type TYPE", "--accept TYPE", "--labels FILE");
    }
    CliRun bad = run("local", "start", "--container-command", "true", "--accept", "json");

    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err())
        .contains("--accept must be a media type like application/json or application/json;verbose,"
            + " got 'json'");
    // A folder that does not exist: without the check the demo stops there, starting nothing.
    String folder = cache.resolve("no-such-folder").toString();
    CliRun empty = run("demo", "--accept", "", folder);
    assertThat(empty.exitCode())
        .as("an empty --accept is refused, not replaced by the default")
        .isEqualTo(2);
    assertThat(empty.err())
        .isEqualTo(
            "offhours: --accept is empty; give a media type, or leave --accept out for the default"
                + " (application/json); see 'offhours demo --help'\n");
    assertThat(run("demo", "--content-type", " ", folder).err())
        .startsWith(
            "offhours: --content-type is empty; give a media type, or leave --content-type out for the"
                + " default (application/x-image)");
  }

  @Test
  void normalizeAndResizeComeWithAModelOnlyAndAreCheckedBeforeAnythingStarts(@TempDir Path dir)
      throws IOException {
    Path model = Files.writeString(dir.resolve("model.onnx"), "not read by the command line");
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    String folder = cache.resolve("no-such-folder").toString();
    for (String[] help : List.of(
        new String[] {"local", "start", "--help"},
        new String[] {"local", "run", "--help"},
        new String[] {"demo", "--help"})) {
      assertThat(run(help).out())
          .contains(
              "--normalize HOW",
              "imagenet (torchvision's",
              "--resize HOW",
              "crop (shorter",
              "crop:0.875 is torchvision's 224 of 256",
              "--resample HOW",
              "antialias (Pillow's BILINEAR");
    }

    assertThat(run("local", "start", "--normalize", "imagenet").err())
        .isEqualTo("offhours: --normalize prepares the images of an ONNX model of --model only: the"
            + " default model takes its own preprocessing; give --model FILE with it; see 'offhours"
            + " local start --help'\n");
    assertThat(run("demo", "--resize", "crop", folder).err())
        .startsWith("offhours: --resize prepares the images of an ONNX model of --model only");
    CliRun command =
        run("local", "run", "--container-command", "python3 serve.py", "--normalize", "imagenet");
    assertThat(command.exitCode()).isEqualTo(2);
    assertThat(command.err())
        .isEqualTo("offhours: --normalize prepares the images of an ONNX model of --model only: the"
            + " server of --container-command prepares its own (leave it out, or serve an ONNX file"
            + " with --model); see 'offhours local run --help'\n");
    String[] withModel = {
      "local", "start", "--model", model.toString(), "--labels", labels.toString()
    };
    CliRun two = run(concat(withModel, "--normalize", "0.5/0.5"));
    assertThat(two.exitCode()).isEqualTo(2);
    assertThat(two.err())
        .isEqualTo("offhours: --normalize needs three comma-separated numbers for the mean (R,G,B),"
            + " got 1 in '0.5/0.5'; see 'offhours local start --help'\n");
    assertThat(run(concat(withModel, "--normalize", "0.5,0.5,0.5/0.5,0,0.5")).err())
        .startsWith("offhours: --normalize needs each std above 0 (it divides), got");
    assertThat(run(concat(withModel, "--normalize", "torchvision")).err())
        .startsWith("offhours: --normalize must be imagenet, unit, or MEAN/STD of three numbers"
            + " each (0.5,0.5,0.5/0.5,0.5,0.5), got 'torchvision'");
    assertThat(run(concat(withModel, "--resize", "fit")).err())
        .isEqualTo(
            "offhours: --resize must be stretch, crop or crop:FRACTION, the fraction of the scaled"
                + " image cut, above 0 and at most 1 (as crop:0.875), got 'fit'; see 'offhours local"
                + " start --help'\n");
    assertThat(run(concat(withModel, "--resample", "lanczos")).err())
        .isEqualTo("offhours: --resample must be bilinear (TF.js' resizeBilinear, as nsfwjs) or"
            + " antialias (Pillow's BILINEAR, as torchvision and Hugging Face), got 'lanczos'; see"
            + " 'offhours local start --help'\n");
    assertThat(run(
                "local",
                "run",
                "--container-command",
                "python3 serve.py",
                "--resample",
                "antialias")
            .err())
        .startsWith("offhours: --resample prepares the images of an ONNX model of --model only");
    assertThat(run(concat(withModel, "--resize", "crop:1.5")).err())
        .isEqualTo("offhours: --resize needs a crop fraction above 0 and at most 1, in digits 0-9"
            + " with at most one '.' as crop:0.875, got 'crop:1.5'; see 'offhours local start"
            + " --help'\n");
    assertThat(StateFile.path(cache)).as("nothing started").doesNotExist();
  }

  @Test
  void theStackIsGivenNormalizeAndResizeInTheContainersSpellingAndItsFunctionsAreNot(
      @TempDir Path dir) throws IOException {
    Path model = Files.writeString(dir.resolve("model.onnx"), "not read by the command line");
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    Invocation call = CliRun.quietCall(
        cache,
        Clock.system(GMT),
        Map.of(
            "model",
            model.toString(),
            "labels",
            labels.toString(),
            "normalize",
            "ImageNet",
            "resize",
            "CROP",
            "resample",
            "AntiAlias",
            "accept",
            "application/json"));

    assertThat(LocalCommand.settings(call).modelSettings())
        .isEqualTo(Map.of(
            "NORMALIZE",
            "imagenet",
            "RESIZE",
            "crop",
            "RESAMPLE",
            "antialias",
            "ACCEPT",
            "application/json"));
    for (String[] given : new String[][] {{"crop:1.0", "crop"}, {"Crop:.8750", "crop:0.875"}}) {
      Invocation fraction = CliRun.quietCall(
          cache,
          Clock.system(GMT),
          Map.of("model", model.toString(), "labels", labels.toString(), "resize", given[0]));
      assertThat(LocalCommand.settings(fraction).modelSettings())
          .as(given[0])
          .isEqualTo(Map.of("RESIZE", given[1]));
    }
  }

  @Test
  void inputSizeComesWithAModelOnlyIsCheckedAndReachesTheStackInTheContainersSpelling(
      @TempDir Path dir) throws IOException {
    Path model = Files.writeString(dir.resolve("model.onnx"), "not read by the command line");
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    for (String[] help : List.of(
        new String[] {"local", "start", "--help"},
        new String[] {"local", "run", "--help"},
        new String[] {"demo", "--help"})) {
      assertThat(run(help).out()).contains("--input-size SIZE", "HEIGHTxWIDTH as 384x288");
    }
    assertThat(run("local", "start", "--input-size", "224").err())
        .isEqualTo("offhours: --input-size prepares the images of an ONNX model of --model only:"
            + " the default model takes its own preprocessing; give --model FILE with it; see"
            + " 'offhours local start --help'\n");
    assertThat(run("local", "run", "--container-command", "python3 serve.py", "--input-size", "224")
            .err())
        .startsWith("offhours: --input-size prepares the images of an ONNX model of --model only:"
            + " the server of --container-command prepares its own");
    String[] withModel = {
      "local", "start", "--model", model.toString(), "--labels", labels.toString()
    };
    CliRun shaped = run(concat(withModel, "--input-size", "224\u001b[2Jx3"));
    assertThat(shaped.exitCode()).isEqualTo(2);
    assertThat(shaped.err())
        .isEqualTo("offhours: --input-size must be a side such as 224 for a square, or HEIGHTxWIDTH"
            + " such as 384x288, each from 1 to 4096 in digits 0-9, got '224\\x1b[2Jx3'; see"
            + " 'offhours local start --help'\n");
    assertThat(run(concat(withModel, "--input-size", "384x4097")).err())
        .startsWith("offhours: --input-size needs each side from 1 to 4096, got '384x4097'");
    assertThat(run(concat(withModel, "--input-size", "0")).err())
        .startsWith("offhours: --input-size needs each side from 1 to 4096, got '0'");
    assertThat(StateFile.path(cache)).as("nothing started").doesNotExist();

    for (String[] given :
        List.of(new String[] {"224x224", "224"}, new String[] {"384x288", "384x288"})) {
      Invocation call = CliRun.quietCall(
          cache,
          Clock.system(GMT),
          Map.of("model", model.toString(), "labels", labels.toString(), "input-size", given[0]));
      assertThat(LocalCommand.settings(call).modelSettings())
          .isEqualTo(Map.of("INPUT_SIZE", given[1]));
    }
  }

  /** README's flags for a Hugging Face ViT that optimum exported, read as the stack takes them. */
  @Test
  void theReadmesFlagsForAnOptimumVitAreTaken(@TempDir Path dir) throws IOException {
    String line = Files.readString(Path.of("README.md"))
        .lines()
        .filter(l -> l.startsWith("--model model.onnx ") && l.contains("--input-size"))
        .findFirst()
        .orElseThrow();
    String[] words = line.split(" ");
    Map<String, String> flags = new java.util.HashMap<>();
    for (int i = 0; i < words.length; i += 2) {
      assertThat(words[i]).startsWith("--");
      String value = words[i + 1];
      flags.put(
          words[i].substring(2),
          value.endsWith(".onnx") || value.endsWith(".txt")
              ? Files.writeString(dir.resolve(value), "cat\ndog\n").toString()
              : value);
    }
    Invocation call = CliRun.quietCall(cache, Clock.system(GMT), flags);

    // Its processor stretches the image (the default resize, no RESIZE) with Pillow's resampler.
    assertThat(LocalCommand.settings(call).modelSettings())
        .isEqualTo(Map.of(
            "INPUT_SIZE", "224", "NORMALIZE", "0.5,0.5,0.5/0.5,0.5,0.5", "RESAMPLE", "antialias"));
  }

  /** README's flags for a torchvision ResNet-50, Resize(256) then CenterCrop(224), read as the stack takes them. */
  @Test
  void theReadmesFlagsForATorchvisionResnetAreTaken(@TempDir Path dir) throws IOException {
    String readme =
        String.join(" ", Files.readString(Path.of("README.md")).lines().toList());
    var flagsOf = java.util.regex.Pattern.compile(
            "a torchvision ResNet-50 exported with `torch.onnx.export` takes `([^`]+)` beside")
        .matcher(readme);
    assertThat(flagsOf.find()).isTrue();
    String[] words = flagsOf.group(1).split(" ");
    Map<String, String> flags = new java.util.HashMap<>(Map.of(
        "model", Files.writeString(dir.resolve("model.onnx"), "not read").toString(),
        "labels", Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n").toString()));
    for (int i = 0; i < words.length; i += 2) {
      assertThat(words[i]).startsWith("--");
      flags.put(words[i].substring(2), words[i + 1]);
    }
    Invocation call = CliRun.quietCall(cache, Clock.system(GMT), flags);

    assertThat(LocalCommand.settings(call).modelSettings())
        .isEqualTo(
            Map.of("NORMALIZE", "imagenet", "RESIZE", "crop:0.875", "RESAMPLE", "antialias"));
  }

  private static String[] concat(String[] first, String... more) {
    return java.util.stream.Stream.concat(Arrays.stream(first), Arrays.stream(more))
        .toArray(String[]::new);
  }
}
