package offhours.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import offhours.inference.ModelContract;
import offhours.local.model.DefaultModel;
import offhours.local.model.InputSize;
import offhours.local.model.ModelFiles;
import offhours.local.model.Normalization;
import offhours.local.model.Preprocessing;
import offhours.local.model.Resample;
import offhours.local.model.Resize;

/**
 * The model a command names ({@link #MODEL}, {@link #LABELS}, {@link #CONTAINER_COMMAND}), how it is called
 * ({@link #CONTENT_TYPE}, {@link #ACCEPT}, as CONTENT_TYPE and ACCEPT among {@code settings}) and how an ONNX
 * model's images are prepared ({@link #NORMALIZE}, {@link #RESIZE}, {@link #RESAMPLE}, {@link #INPUT_SIZE}, as
 * NORMALIZE, RESIZE, RESAMPLE and INPUT_SIZE, each in its own spelling): the options of {@code local start|run|update}
 * and {@code demo} that choose the model, and their reading.
 */
record ModelOptions(
    Optional<Path> model,
    Optional<Path> labels,
    Optional<String> containerCommand,
    Map<String, String> settings) {

  static final Option MODEL = Option.value(
      "model", "FILE", "serve this ONNX model instead of the default " + DefaultModel.NAME);
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
      "how an image is brought to --model's input size: stretch (default, the whole image), crop (shorter side to"
          + " the input's, then the middle, as torchvision's and timm's evaluation do) or crop:FRACTION (shorter side"
          + " to the input's over FRACTION, above 0 and at most 1, then the input's size from the middle:"
          + " crop:0.875 is torchvision's 224 of 256)");
  static final Option RESAMPLE = Option.value(
      "resample",
      "HOW",
      "how --model's input pixels are computed from the image's: bilinear (default, TF.js' resizeBilinear, as"
          + " nsfwjs) or antialias (Pillow's BILINEAR, which averages every pixel a shrink covers, as torchvision's"
          + " Resize and Hugging Face's image processors)");
  static final Option INPUT_SIZE = Option.value(
      "input-size",
      "SIZE",
      "--model's input height and width where its export left them dynamic: the size it was trained at, 224 for a"
          + " square or HEIGHTxWIDTH as 384x288 (default: the input's own, which must then be fixed)");
  static final Option CONTAINER_COMMAND = Option.value(
      "container-command",
      "CMD",
      "serve with this command instead: it must answer GET /ping and POST /invocations on $SAGEMAKER_BIND_TO_PORT");

  /** The options that choose the model: those of {@code local start} a running stack takes ({@code local update}). */
  static final List<Option> OPTIONS = List.of(
      MODEL,
      LABELS,
      CONTAINER_COMMAND,
      CONTENT_TYPE,
      ACCEPT,
      NORMALIZE,
      RESIZE,
      RESAMPLE,
      INPUT_SIZE);

  /**
   * The model options of {@code local start|run|update} and {@code demo}, each checked as the stack will check it, so
   * a bad one is a usage error here rather than a failed start or update.
   */
  static ModelOptions of(Invocation call) {
    Arguments args = call.args();
    Optional<Path> model = args.nonEmpty(MODEL.name(), "an ONNX model file").map(Path::of);
    Optional<Path> labels = args.nonEmpty(LABELS.name(), "a labels file").map(Path::of);
    model.ifPresent(p -> file(p, "model file", "; give the path of an ONNX model"));
    labels.ifPresent(p -> {
      file(p, "labels file", "");
      String file = "labels file '" + Terminal.printable(p.toString()) + "'";
      List<String> names;
      try {
        names = new ModelFiles(p, p).readLabels();
      } catch (FileSystemException | CharacterCodingException e) {
        throw CliException.usage("cannot read " + file + ": " + Format.fileProblem(e));
      } catch (IOException e) {
        throw CliException.usage(e.getMessage()); // it has no labels
      }
      // Checked now, as the stack will: a label the functions refuse at their start (a control
      // character, too long) is said here, of the file, not by a stack that then fails to start.
      // The file's names are never blank (parseLabelLines drops blank lines).
      try {
        ModelContract.checkNames(file, names);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(e.getMessage());
      }
    });
    if (args.value(CONTAINER_COMMAND.name()).filter(String::isBlank).isPresent()) {
      throw CliException.usage("--" + CONTAINER_COMMAND.name() + " is empty; give the command that"
          + " serves the model, or leave it out for the default model");
    }
    args.value(CONTAINER_COMMAND.name()).ifPresent(ModelOptions::refuseControls);
    // To the functions an empty setting means the default (a template parameter left empty);
    // typed on the command line it is more likely a slip (an unset shell variable): refused.
    refuseEmpty(args, CONTENT_TYPE, ModelContract.X_IMAGE);
    refuseEmpty(args, ACCEPT, ModelContract.JSON);
    Map<String, String> settings = new HashMap<>();
    args.value(CONTENT_TYPE.name()).ifPresent(v -> settings.put("CONTENT_TYPE", v));
    args.value(ACCEPT.name()).ifPresent(v -> settings.put("ACCEPT", v));
    try {
      ModelContract.fromEnv(settings);
    } catch (IllegalArgumentException e) {
      throw CliException.usage(LocalCommand.asFlag(e.getMessage()));
    }
    settings.putAll(preprocessing(args));
    return new ModelOptions(
        model, labels, args.value(CONTAINER_COMMAND.name()), Map.copyOf(settings));
  }

  /**
   * These options for a new stack ({@code local start|run}, {@code demo}), where {@link #LABELS} without
   * {@link #MODEL} or {@link #CONTAINER_COMMAND} would rename the default model's classes: refused. ({@code local
   * update} takes {@code --labels} alone to relabel a model of the user's that the stack serves.)
   */
  ModelOptions forNewStack() {
    if (labels.isPresent() && model.isEmpty() && containerCommand.isEmpty()) {
      throw CliException.usage(
          "--" + LABELS.name() + " names the classes of --" + MODEL.name() + " or --"
              + CONTAINER_COMMAND.name() + ", given with neither: "
              + DefaultModel.NAMES_ITS_OWN_CLASSES + "; give --"
              + MODEL.name() + " or --" + CONTAINER_COMMAND.name() + " with --" + LABELS.name()
              + ", or leave --"
              + LABELS.name() + " out");
    }
    return this;
  }

  /**
   * {@link #NORMALIZE}, {@link #RESIZE}, {@link #RESAMPLE} and {@link #INPUT_SIZE} as NORMALIZE, RESIZE, RESAMPLE and
   * INPUT_SIZE, each spelled as the container reads it back ({@code ImageNet} as {@code imagenet}, {@code 224x224} as
   * {@code 224}), so that the same choice typed again changes nothing. They prepare an ONNX model's images, so a
   * container command, whose server prepares its own, is refused with them.
   */
  private static Map<String, String> preprocessing(Arguments args) {
    Map<String, String> settings = new LinkedHashMap<>();
    Optional<String> normalize = args.value(NORMALIZE.name());
    Optional<String> resize = args.value(RESIZE.name());
    Optional<String> resample = args.value(RESAMPLE.name());
    Optional<String> inputSize = args.value(INPUT_SIZE.name());
    if (args.value(CONTAINER_COMMAND.name()).isPresent()) {
      Optional<Option> given = Stream.of(NORMALIZE, RESIZE, RESAMPLE, INPUT_SIZE)
          .filter(o -> args.value(o.name()).isPresent())
          .findFirst();
      if (given.isPresent()) {
        throw CliException.usage(
            "--" + given.get().name()
                + " prepares the images of an ONNX model of --model only: the server of"
                + " --container-command prepares its own (leave it out, or serve an ONNX file with --model)");
      }
    }
    try {
      normalize.ifPresent(v -> settings.put(
          Preprocessing.NORMALIZE,
          Normalization.parse(v, Preprocessing.NORMALIZE).spelling()));
      resize.ifPresent(v -> settings.put(
          Preprocessing.RESIZE, Resize.parse(v, Preprocessing.RESIZE).value()));
      resample.ifPresent(v -> settings.put(
          Preprocessing.RESAMPLE, Resample.parse(v, Preprocessing.RESAMPLE).value()));
      inputSize.ifPresent(v -> settings.put(
          Preprocessing.INPUT_SIZE, InputSize.parse(v, Preprocessing.INPUT_SIZE).spelling()));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(LocalCommand.asFlag(e.getMessage()));
    }
    return settings;
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
}
