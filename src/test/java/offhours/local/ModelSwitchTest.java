package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.local.model.ModelFiles;
import offhours.local.model.OnnxGraphs;
import offhours.stack.StackSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a model update is refused for before it touches the stack (the switch here has no services: one that got as
 * far as them would fail otherwise): an update that changes nothing, a stack of serverless hosting, labels that cannot
 * be read. And what {@link ModelUpdate} itself refuses, in the words of the command line's flags.
 */
class ModelSwitchTest {

  @TempDir
  Path dir;

  private final ModelSwitch unwired = new ModelSwitch(null, null, null, null, null, null, null);

  @Test
  void anUpdateThatChangesNothingIsRefusedThoughItNamesAnotherFileOfTheSameLabels()
      throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    Path same = Files.writeString(dir.resolve("copy.txt"), "cat\r\n\ndog\n");
    ServedModel now =
        commandStack("python3 serve.py", labels, Map.of("ACCEPT", "application/json"));

    for (ModelUpdate nothing : List.of(
        new ModelUpdate(Optional.empty(), Optional.of(same), Optional.empty(), Map.of()),
        new ModelUpdate(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Map.of("ACCEPT", "application/json")))) {
      assertThatThrownBy(() -> unwired.apply(now, nothing))
          .as("update %s", nothing)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("nothing changed: the local stack serves this model with these labels and"
              + " settings already");
    }
  }

  @Test
  void labelsAloneAreRefusedOnAStackOfTheDefaultModelWhichNamesItsOwnClasses() throws IOException {
    Path own = Files.writeString(dir.resolve("own.txt"), "Drawing\nHentai\nNeutral\nPorn\nSexy\n");
    Path five = Files.writeString(dir.resolve("five.txt"), "a\nb\nc\nd\ne\n");
    ServedModel now = defaultStack(own);

    assertThatThrownBy(() -> unwired.apply(
            now, new ModelUpdate(Optional.empty(), Optional.of(five), Optional.empty(), Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "--labels alone relabels the model the local stack serves, and it serves none of"
                + " yours: the default model (nsfwjs MobileNetV2) names its own classes; give --model or"
                + " --container-command with --labels");
    // With a model of the user's, the labels go with it: past the check, the unwired switch fails
    // at its first use of the stack.
    assertThatThrownBy(() -> unwired.apply(
            now,
            new ModelUpdate(
                Optional.empty(), Optional.of(five), Optional.of("python3 serve.py"), Map.of())))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void aCommandGivenAgainIsANewModelForItsCodeMayHaveChanged() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    ServedModel now = commandStack("python3 serve.py", labels, Map.of());
    ModelUpdate again = new ModelUpdate(
        Optional.empty(), Optional.of(labels), Optional.of("python3 serve.py"), Map.of());

    // Past the check, the unwired switch fails at its first use of the stack: its SageMaker client.
    assertThatThrownBy(() -> unwired.apply(now, again))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("this.clients");
  }

  @Test
  void aStackOfServerlessHostingTakesNoUpdate() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    ServedModel now = commandStack("python3 serve.py", labels, Map.of("HOSTING", "serverless"));

    assertThatThrownBy(() -> unwired.apply(
            now,
            new ModelUpdate(
                Optional.empty(), Optional.empty(), Optional.of("python3 other.py"), Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the local stack runs HOSTING serverless, whose endpoint a stack update changes"
            + " in place; a model update works with scheduled and scale-to-zero: stop the stack and"
            + " start it with the new model");
  }

  @Test
  void anUpdateNamesWhatItChangesOnlyAndNeverTheModelWithoutItsLabels() {
    Path model = dir.resolve("model.onnx");
    assertThatThrownBy(
            () -> new ModelUpdate(Optional.of(model), Optional.empty(), Optional.empty(), Map.of()))
        .hasMessage("--labels FILE is required with --model: one class name per line, in the order"
            + " of the model's outputs");
    assertThatThrownBy(() -> new ModelUpdate(
            Optional.of(model), Optional.of(model), Optional.of("python3 serve.py"), Map.of()))
        .hasMessage("choose one of --model and --container-command, not both");
    assertThatThrownBy(() -> new ModelUpdate(
            Optional.empty(), Optional.empty(), Optional.empty(), Map.of("HOSTING", "serverless")))
        .hasMessage(
            "a model update changes CONTENT_TYPE, ACCEPT, NORMALIZE, RESIZE, RESAMPLE and INPUT_SIZE of"
                + " the model settings, not HOSTING");
    assertThatThrownBy(
            () -> new ModelUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Map.of()))
        .hasMessage("a model update needs at least one of --model, --container-command, --labels,"
            + " --content-type, --accept, --normalize, --resize, --resample and --input-size");
  }

  @Test
  void aNewModelsImagesArePreparedAsItsUpdateSaysNeverAsTheOldModelsWere() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "red\ngreen\nblue\n");
    ServedModel now = onnxStack(
        labels,
        Map.of(
            "NORMALIZE",
            "imagenet",
            "RESIZE",
            "crop",
            "INPUT_SIZE",
            "384x288",
            "CONTENT_TYPE",
            "auto"));
    Path other = dir.resolve("other.onnx");

    assertThat(ModelSwitch.settingsAfter(
            now.options(),
            new ModelUpdate(Optional.of(other), Optional.of(labels), Optional.empty(), Map.of())))
        .as("a new model")
        .isEqualTo(Map.of("CONTENT_TYPE", "auto"));
    assertThat(ModelSwitch.settingsAfter(
            now.options(),
            new ModelUpdate(
                Optional.of(other),
                Optional.of(labels),
                Optional.empty(),
                Map.of("RESIZE", "crop"))))
        .isEqualTo(Map.of("CONTENT_TYPE", "auto", "RESIZE", "crop"));
    assertThat(ModelSwitch.settingsAfter(
            now.options(),
            new ModelUpdate(
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("NORMALIZE", "unit"))))
        .as("the same model, normalized anew")
        .isEqualTo(Map.of(
            "NORMALIZE",
            "unit",
            "RESIZE",
            "crop",
            "INPUT_SIZE",
            "384x288",
            "CONTENT_TYPE",
            "auto"));
    assertThat(ModelSwitch.settingsAfter(
            now.options(),
            new ModelUpdate(
                Optional.of(other),
                Optional.of(labels),
                Optional.empty(),
                Map.of("INPUT_SIZE", "224"))))
        .as("a new model of its own input size")
        .isEqualTo(Map.of("CONTENT_TYPE", "auto", "INPUT_SIZE", "224"));
    assertThat(ModelSwitch.settingsAfter(
            now.options(),
            new ModelUpdate(Optional.empty(), Optional.of(labels), Optional.empty(), Map.of())))
        .as("new labels only")
        .isEqualTo(now.options().modelSettings());
  }

  @Test
  void theSameNormalizationAgainChangesNothingAndAnotherIsAnUpdate() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "red\ngreen\nblue\n");
    ServedModel now = onnxStack(labels, Map.of("NORMALIZE", "imagenet"));

    assertThatThrownBy(() -> unwired.apply(
            now,
            new ModelUpdate(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of("NORMALIZE", "imagenet"))))
        .hasMessageStartingWith("nothing changed");
    // Past the checks, the unwired switch fails at its first use of the stack: its SageMaker
    // client.
    assertThatThrownBy(() -> unwired.apply(
            now,
            new ModelUpdate(
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("RESIZE", "crop"))))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("this.clients");
  }

  @Test
  void theImagesOfACommandOrOfTheDefaultModelAreTheirsToPrepare() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");
    ServedModel command = commandStack("python3 serve.py", labels, Map.of());

    assertThatThrownBy(() -> unwired.apply(
            command,
            new ModelUpdate(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of("NORMALIZE", "imagenet"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--normalize prepares the images of an ONNX model of --model only: a"
            + " --container-command's server prepares its own; give --model FILE with it");
    // Given as the ONNX container's default, such a setting is no more the command's: refused
    // alike, never said to be what the stack uses already.
    for (Map.Entry<String, String> given :
        Map.of("NORMALIZE", "unit", "RESIZE", "stretch", "RESAMPLE", "bilinear").entrySet()) {
      String flag = "--" + given.getKey().toLowerCase(java.util.Locale.ROOT);
      assertThatThrownBy(() -> unwired.apply(
              command,
              new ModelUpdate(
                  Optional.empty(), Optional.empty(), Optional.empty(), Map.ofEntries(given))))
          .as(flag)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(flag + " prepares the images of an ONNX model of --model only: a"
              + " --container-command's server prepares its own; give --model FILE with it");
    }
    assertThatThrownBy(() -> new ModelUpdate(
            Optional.empty(),
            Optional.empty(),
            Optional.of("python3 serve.py"),
            Map.of("RESIZE", "crop")))
        .hasMessage(
            "--normalize, --resize, --resample and --input-size prepare the images of an ONNX model of --model"
                + " only: a --container-command's server prepares its own");
    assertThatThrownBy(() -> LocalDeployment.Options.defaults(dir)
            .withModelSettings(Map.of("NORMALIZE", "imagenet", "RESIZE", "crop")))
        .hasMessage("--normalize and --resize prepare the images of an ONNX model of --model only:"
            + " the default model takes its own preprocessing; give --model FILE with it");
    assertThatThrownBy(() -> LocalDeployment.Options.defaults(dir)
            .withModelSettings(Map.of("INPUT_SIZE", "224", "RESIZE", "crop")))
        .hasMessageStartingWith("--resize and --input-size prepare the images of an ONNX model of"
            + " --model only: the default model");
  }

  @Test
  void aNewModelOfADynamicSizeIsCheckedAtTheInputSizeItsUpdateGives() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "red\ngreen\nblue\n");
    ServedModel now = onnxStack(labels, Map.of());
    Path optimum = Files.write(dir.resolve("optimum.onnx"), OnnxGraphs.dynamicInputShape());
    Path four = Files.writeString(dir.resolve("four.txt"), "batch\nchannels\nheight\nwidth\n");

    // Past the checks, the unwired switch fails at its first use: its SageMaker client.
    assertThatThrownBy(() -> unwired.apply(
            now,
            new ModelUpdate(
                Optional.of(optimum),
                Optional.of(four),
                Optional.empty(),
                Map.of("INPUT_SIZE", "224"))))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("this.clients");
    assertThatThrownBy(() -> unwired.apply(
            now,
            new ModelUpdate(Optional.of(optimum), Optional.of(four), Optional.empty(), Map.of())))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("its height and width dynamic (-1): give --input-size");
    Path means = Files.write(dir.resolve("means8.onnx"), OnnxGraphs.channelMeans(8, 8));
    assertThatThrownBy(() -> unwired.apply(
            now,
            new ModelUpdate(
                Optional.of(means),
                Optional.of(labels),
                Optional.empty(),
                Map.of("INPUT_SIZE", "224"))))
        .as("a size the model's own contradicts is refused before the stack is touched")
        .isInstanceOf(IOException.class)
        .hasMessageContaining("its height and width fixed at 8x8, but --input-size is 224x224");
  }

  @Test
  void anInputSizeOfTheModelsOwnFixedSizeChangesNothingAndOfADynamicSizeIsAnUpdate()
      throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "red\ngreen\nblue\n");
    ServedModel fixed = onnxStack(labels, Map.of());

    assertThatThrownBy(() -> unwired.apply(
            fixed,
            new ModelUpdate(
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("INPUT_SIZE", "4"))))
        .as("the model's input is fixed at 4x4: it is fed that size, given or not")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("nothing changed: the local stack serves this model with these labels and"
            + " settings already (--input-size 4 is the size the model's input fixes itself: it is"
            + " fed that size, given or not)");
    ServedModel given = onnxStack(labels, Map.of("INPUT_SIZE", "4", "RESIZE", "crop"));
    assertThatThrownBy(() -> unwired.apply(
            given,
            new ModelUpdate(
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("RESIZE", "crop"))))
        .as("the size the stack was started with is a setting it has: nothing to explain")
        .hasMessage("nothing changed: the local stack serves this model with these labels and"
            + " settings already");
    assertThatThrownBy(() -> unwired.apply(
            fixed,
            new ModelUpdate(
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("INPUT_SIZE", "8"))))
        .as("another size is refused as before")
        .isInstanceOf(IOException.class)
        .hasMessageContaining("its height and width fixed at 4x4, but --input-size is 8x8");

    Path four = Files.writeString(dir.resolve("four.txt"), "batch\nchannels\nheight\nwidth\n");
    ServedModel dynamic =
        onnxStack(OnnxGraphs.dynamicInputShape(), four, Map.of("INPUT_SIZE", "224"));
    assertThatThrownBy(() -> unwired.apply(
            dynamic,
            new ModelUpdate(
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("INPUT_SIZE", "224"))))
        .hasMessageStartingWith("nothing changed");
    // Past the checks, the unwired switch fails at its first use: its SageMaker client.
    assertThatThrownBy(() -> unwired.apply(
            dynamic,
            new ModelUpdate(
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of("INPUT_SIZE", "32"))))
        .as("a dynamic input is fed the size given")
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("this.clients");
  }

  @Test
  void aSettingGivenAsTheDefaultOrInAnotherSpellingOfTheSameChangesNothing() throws IOException {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "red\ngreen\nblue\n");
    ServedModel defaults = onnxStack(labels, Map.of());
    for (Map.Entry<String, String> given : Map.of(
            "NORMALIZE", "unit",
            "RESIZE", "stretch",
            "RESAMPLE", "bilinear",
            "CONTENT_TYPE", "application/x-image",
            "ACCEPT", "application/json")
        .entrySet()) {
      String flag = "--" + given.getKey().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
      assertThatThrownBy(() -> unwired.apply(
              defaults,
              new ModelUpdate(
                  Optional.empty(), Optional.empty(), Optional.empty(), Map.ofEntries(given))))
          .as(flag)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("nothing changed: the local stack serves this model with these labels and"
              + " settings already (" + flag + " " + given.getValue()
              + " is the default the stack already uses)");
    }
    ServedModel cropped = onnxStack(labels, Map.of("RESIZE", "crop", "NORMALIZE", "imagenet"));
    assertThatThrownBy(() -> unwired.apply(
            cropped,
            new ModelUpdate(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of("RESIZE", "crop:1", "NORMALIZE", "0.485,0.456,0.406/0.229,0.224,0.225"))))
        .hasMessage("nothing changed: the local stack serves this model with these labels and"
            + " settings already (--normalize 0.485,0.456,0.406/0.229,0.224,0.225 is what imagenet"
            + " already was; --resize crop:1 is what crop already was)");
    // Past the checks, the unwired switch fails at its first use: its SageMaker client.
    assertThatThrownBy(() -> unwired.apply(
            defaults,
            new ModelUpdate(
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Map.of("NORMALIZE", "unit", "RESAMPLE", "antialias"))))
        .as("one setting the same, another changed")
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("this.clients");
  }

  /** A stack that serves an ONNX model of three classes with {@code labels} and {@code settings}. */
  private ServedModel onnxStack(Path labels, Map<String, String> settings) throws IOException {
    return onnxStack(OnnxGraphs.channelMeans(4, 4), labels, settings);
  }

  /** A stack that serves ONNX model {@code onnx} with {@code labels} and {@code settings}. */
  private ServedModel onnxStack(byte[] onnx, Path labels, Map<String, String> settings)
      throws IOException {
    Path model = Files.write(dir.resolve("means.onnx"), onnx);
    LocalDeployment.Options options = new LocalDeployment.Options(
        dir,
        Optional.of(model),
        Optional.of(labels),
        Optional.empty(),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Map.of(),
        settings);
    ModelFiles files = new ModelFiles(model, labels);
    return served(
        options,
        files,
        null,
        StateFile.Served.of(
            options.model(), options.labels(), options.containerCommand(), settings));
  }

  /** A stack of the default model (no file and no command of the user's), its labels {@code labels}. */
  private ServedModel defaultStack(Path labels) throws IOException {
    Path model = Files.write(dir.resolve("default.onnx"), OnnxGraphs.channelMeans(4, 4));
    LocalDeployment.Options options = new LocalDeployment.Options(
        dir,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Map.of(),
        Map.of());
    ModelFiles files = new ModelFiles(model, labels);
    return served(
        options,
        files,
        null,
        StateFile.Served.of(options.model(), options.labels(), options.containerCommand()));
  }

  /** A stack served by {@code command} with {@code labels}, as its start left it. */
  private ServedModel commandStack(String command, Path labels, Map<String, String> settings)
      throws IOException {
    LocalDeployment.Options options = new LocalDeployment.Options(
        dir,
        Optional.empty(),
        Optional.of(labels),
        Optional.of(command),
        Duration.ofSeconds(1),
        Duration.ofSeconds(1),
        Map.of(),
        settings);
    ModelFiles files = new ModelFiles(null, labels);
    return served(
        options,
        files,
        StackModel.firstCommandImage(),
        StateFile.Served.of(options.model(), options.labels(), options.containerCommand()));
  }

  /** The stack as its start left it: revision 1, the local names, no environment and no controller config yet. */
  private static ServedModel served(
      LocalDeployment.Options options, ModelFiles files, String image, StateFile.Served served)
      throws IOException {
    return new ServedModel(
        1,
        options,
        files,
        image,
        StackSpec.Names.local(),
        files.readLabels(),
        served,
        Map.of(),
        Map.of(),
        Map.of(),
        null);
  }
}
