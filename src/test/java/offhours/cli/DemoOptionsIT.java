package offhours.cli;

// Needs: moto_server, python3 (the stand-in container), node and npm the first time the default
// model is converted into the user's cache (which the demos' own cache links to, see TestCaches).

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import offhours.local.model.DefaultModel;
import offhours.local.model.ModelFiles;
import offhours.local.model.OnnxGraphs;
import offhours.stack.Hosting;
import offhours.testing.TestCaches;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo serving a user's own ONNX model (--model) and a user's own container (--container-command), with the
 * request headers such containers want (--content-type, --accept).
 */
class DemoOptionsIT {

  /** src/test/resources/sagemaker/format_container.py: answers which image format it was sent. */
  private static final String FORMAT_CONTAINER =
      "python3 " + Path.of("src/test/resources/sagemaker/format_container.py").toAbsolutePath();

  /**
   * Class names with commas, as in ImageNet's labels files ("tench, Tinca tinca"), stay whole: five names for five
   * outputs, not eight. Blanks around names and blank lines are dropped, as ModelFiles reads the file.
   */
  @Test
  void aUsersOwnOnnxModelAndLabelsWithCommasInTheirNamesServeTheDemo(@TempDir Path dir)
      throws Exception {
    ModelFiles model = DefaultModel.ensure(TestCaches.user());
    Path own = Files.copy(model.onnx(), dir.resolve("my model.onnx"));
    Path labels = Files.writeString(
        dir.resolve("labels.txt"),
        "drawing, sketch\r\nhentai\n\n  neutral, safe for work  \nporn, explicit\nsexy\n");
    Path images = photo(dir);

    Run run = demo(images.toString(), "--model", own.toString(), "--labels", labels.toString());

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out.lines().filter(l -> l.startsWith("cat.png")))
        .singleElement()
        .asString()
        .contains("neutral, safe for work", "CLASSIFIED");
  }

  @Test
  void aUsersOwnContainerCommandServesTheDemo(@TempDir Path dir) throws Exception {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "jpeg\npng\n");
    Path images = photo(dir);
    Files.copy(Path.of("src/test/resources/images/rocket.jpg"), images.resolve("rocket.jpg"));

    Run run = demo(
        images.toString(), "--container-command", FORMAT_CONTAINER, "--labels", labels.toString());

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out.lines().filter(l -> l.startsWith("cat.png")))
        .singleElement()
        .asString()
        .contains("png", "0.900", "CLASSIFIED");
    assertThat(run.out.lines().filter(l -> l.startsWith("rocket.jpg")))
        .singleElement()
        .asString()
        .contains("jpeg", "0.900", "CLASSIFIED");
  }

  @Test
  void aHuggingFaceShapedContainerThatRefusesXImageServesTheDemoWithContentTypeAutoAndNoLabels(
      @TempDir Path dir) throws Exception {
    Path images = photo(dir);
    Files.copy(Path.of("src/test/resources/images/rocket.jpg"), images.resolve("rocket.jpg"));

    Run run = demo(
        images.toString(),
        "--container-command",
        shapes("SHAPE=huggingface REFUSE_X_IMAGE=1"),
        "--content-type",
        "auto");

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out.lines().filter(l -> l.startsWith("cat.png") || l.startsWith("rocket.jpg")))
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("bird", "0.660", "CLASSIFIED"));
  }

  @Test
  void aJumpStartShapedContainerNamesItsClassesWhenAskedWithAcceptVerbose(@TempDir Path dir)
      throws Exception {
    Path images = photo(dir);

    Run run = demo(
        images.toString(),
        "--container-command",
        shapes("SHAPE=jumpstart-verbose"),
        "--accept",
        "application/json;verbose");

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out.lines().filter(l -> l.startsWith("cat.png")))
        .singleElement()
        .asString()
        .contains("dog", "0.800", "CLASSIFIED");
  }

  @Test
  void theDemoRunsOnAServerlessEndpoint(@TempDir Path dir) throws Exception {
    Path images = photo(dir);
    Files.copy(Path.of("src/test/resources/images/rocket.jpg"), images.resolve("rocket.jpg"));

    Run run = demo(images.toString(), "--hosting", "serverless");

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out.lines().filter(l -> l.startsWith("cat.png") || l.startsWith("rocket.jpg")))
        .hasSize(2)
        .allSatisfy(line -> assertThat(line).contains("CLASSIFIED"));
    // The stack created the endpoint: the progress says so and never calls it off.
    assertThat(run.err)
        .contains(
            HostingStatus.line(Hosting.SERVERLESS) + "\n",
            "serverless endpoint offhours-endpoint, created with the stack",
            "serverless endpoint: InService, trigger Enabled; results: ")
        .doesNotContain("is off");
  }

  @Test
  void aHostingTheTemplateDoesNotKnowIsAUsageError(@TempDir Path dir) throws IOException {
    Run run = demo(dir.toString(), "--hosting", "Serverless");

    assertThat(run.code).isEqualTo(2);
    assertThat(run.err)
        .contains(
            "--hosting must be one of scheduled, scale-to-zero or serverless, got 'Serverless'");
  }

  @Test
  void aContentTypeThatIsNoMediaTypeIsAUsageError(@TempDir Path dir) throws IOException {
    Run run = demo(dir.toString(), "--container-command", "true", "--content-type", "jpeg");

    assertThat(run.code).isEqualTo(2);
    assertThat(run.err)
        .contains(
            "--content-type must be application/x-image, auto (image/jpeg or image/png from the"
                + " image) or a media type like image/jpeg, got 'jpeg'");
  }

  /** src/test/resources/sagemaker/shapes_container.py with {@code variables}, as a --container-command. */
  private static String shapes(String variables) {
    return variables + " exec python3 '"
        + Path.of("src/test/resources/sagemaker/shapes_container.py").toAbsolutePath() + "'";
  }

  @Test
  void labelsThatDoNotFitTheModelFailAtStartNamingBothCounts(@TempDir Path dir) throws Exception {
    Path onnx = DefaultModel.ensure(TestCaches.user()).onnx();
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\nother\n");

    Run run = demoOfOnePhoto(dir, "--model", onnx.toString(), labels);

    assertThat(run.code).isEqualTo(1);
    assertThat(run.err)
        .contains("labels file '" + labels + "' lists 3 labels but model file '" + onnx
            + "' outputs 5 classes")
        .doesNotContain("starting moto_server");
  }

  @Test
  void aModelOfADynamicSizeIsCheckedAtStartAtTheInputSizeGiven(@TempDir Path dir) throws Exception {
    Path optimum = Files.write(dir.resolve("optimum.onnx"), OnnxGraphs.dynamicInputShape());
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");

    Run run = demo(
        photo(dir).toString(),
        "--model",
        optimum.toString(),
        "--labels",
        labels.toString(),
        "--input-size",
        "32x48",
        "--timeout",
        "300");

    // Read at the size given, the model's four outputs are counted against the two labels.
    assertThat(run.code).isEqualTo(1);
    assertThat(run.err)
        .contains("labels file '" + labels + "' lists 2 labels but model file '" + optimum
            + "' outputs 4 classes")
        .doesNotContain("starting moto_server");
  }

  @Test
  void aBrokenModelFailsAtStartWithOnnxRuntimesError(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.onnx"), "not a model");
    Path labels = Files.writeString(dir.resolve("labels.txt"), "cat\ndog\n");

    Run run = demoOfOnePhoto(dir, "--model", broken.toString(), labels);

    assertThat(run.code).isEqualTo(1);
    assertThat(run.err)
        .contains("ONNX Runtime could not load " + broken)
        .contains("give an ONNX model (a model in another format can be served by a container"
            + " command of your own, --container-command)");
  }

  @Test
  void aDamagedDefaultModelInTheCacheFailsAtStartSayingHowToFetchItAgain(@TempDir Path dir)
      throws Exception {
    Path cache = dir.resolve("cache");
    Path model = Files.createDirectories(cache.resolve("models").resolve("nsfwjs-4.4.0"));
    Files.writeString(model.resolve("nsfwjs-mobilenet_v2.onnx"), "cut short");
    Files.writeString(model.resolve("labels.txt"), "Drawing\nHentai\nNeutral\nPorn\nSexy\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = new Main(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of("OFFHOURS_CACHE", cache.toString()))
        .run("demo", photo(dir).toString(), "--timeout", "300");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("the default model cached in " + model + " does not load or fit its labels"
            + " (ONNX Runtime could not load " + model.resolve("nsfwjs-mobilenet_v2.onnx"))
        .contains("; delete " + model + " and start again, which fetches it anew")
        .doesNotContain("starting moto_server");
  }

  @Test
  void aContainerThatCannotStartStopsTheDemoWithTheEndpointsFailureReason(@TempDir Path dir)
      throws Exception {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "jpeg\npng\n");

    Run run =
        demoOfOnePhoto(dir, "--container-command", "echo 'no weights found' >&2; exit 3", labels);

    assertThat(run.code).isEqualTo(1);
    assertThat(run.err)
        .contains("offhours demo: stopped waiting: the endpoint failed: The primary container for"
            + " production variant offhours-model did not pass the ping health check.")
        .contains("the container command exited with status 3");
    assertThat(run.out).contains("NO RESULT");
  }

  @Test
  void aContainerThatCannotStartStopsAScaleToZeroDemoWithTheComponentsFailureReason(
      @TempDir Path dir) throws Exception {
    Path labels = Files.writeString(dir.resolve("labels.txt"), "jpeg\npng\n");

    Run run = demo(
        photo(dir).toString(),
        "--hosting",
        "scale-to-zero",
        "--container-command",
        "echo 'no weights found' >&2; exit 3",
        "--labels",
        labels.toString(),
        "--timeout",
        "300");

    assertThat(run.code).isEqualTo(1);
    assertThat(run.err)
        .containsPattern(
            "offhours demo: stopped waiting: inference component offhours-component\\S*"
                + " failed: ")
        .contains("the container command exited with status 3");
    assertThat(run.out).contains("NO RESULT");
  }

  @Test
  void aContainerWhoseAnswerDoesNotFitTheLabelsStopsTheDemoWithTheReason(@TempDir Path dir)
      throws Exception {
    Path labels = Files.writeString(
        dir.resolve("labels.txt"), "jpeg\npng\nother\n"); // the container answers two

    Run run = demoOfOnePhoto(dir, "--container-command", FORMAT_CONTAINER, labels);

    assertThat(run.code).isEqualTo(1);
    assertThat(run.err)
        .contains("offhours demo: stopped waiting: the endpoint answers, but not as the model's"
            + " settings say, so the trigger stays off: ")
        .contains("labels");
  }

  @Test
  void aContainerThatRefusesTheContentTypeStopsTheDemoWithTheReasonInsteadOfWaitingOutItsTimeout(
      @TempDir Path dir) throws Exception {
    Run run = demo(
        photo(dir).toString(),
        "--container-command",
        shapes("SHAPE=huggingface REFUSE_X_IMAGE=1"),
        "--timeout",
        "300");

    assertThat(run.code).isEqualTo(1);
    assertThat(run.err)
        .contains(
            "offhours demo: stopped waiting: the model refuses the requests, so the trigger stays"
                + " off: the model refused the request's Content-Type (status 400)")
        .contains("(--content-type and --accept here)")
        .doesNotContain("got no result within");
  }

  /** A folder with one photo. */
  private static Path photo(Path dir) throws IOException {
    Path images = Files.createDirectories(dir.resolve("images"));
    Files.copy(Path.of("src/test/resources/images/chelsea.png"), images.resolve("cat.png"));
    return images;
  }

  @Test
  void aModelWithoutLabelsIsAUsageErrorThatSaysWhatToAdd(@TempDir Path dir) throws IOException {
    Path model =
        Files.write(dir.resolve("m.onnx"), new byte[] {8, 1}); // exists: the labels are missing
    Run run = demo(dir.toString(), "--model", model.toString());
    assertThat(run.code).isEqualTo(2);
    assertThat(run.err).contains("--labels FILE is required with --model");
  }

  @Test
  void theDemoRunsOnAScaleToZeroInferenceComponent(@TempDir Path dir) throws Exception {
    Path images = photo(dir);

    Run run = demo(images.toString(), "--hosting", "scale-to-zero");

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out.lines().filter(l -> l.startsWith("cat.png")))
        .singleElement()
        .asString()
        .contains("CLASSIFIED");
    // What the controller switches is the component's copies: the progress follows them.
    assertThat(run.err)
        .contains(
            HostingStatus.line(Hosting.SCALE_TO_ZERO) + "\n",
            "inference component offhours-component has no copies; uploading 1 image from ",
            "inference component offhours-component: InService, 1 of 1 copies (1 copy serving),"
                + " trigger Enabled; results: ")
        .doesNotContain("is off");
  }

  private record Run(int code, String out, String err) {}

  /** The demo of one photo in {@code dir} served by {@code option value} with {@code labels}, given five minutes. */
  private static Run demoOfOnePhoto(Path dir, String option, String value, Path labels)
      throws IOException {
    return demo(
        photo(dir).toString(), option, value, "--labels", labels.toString(), "--timeout", "300");
  }

  /**
   * The demo in-process on this JVM's own test cache (its function log and the stack's logs there), which links to the
   * user's default model.
   */
  private static Run demo(String... args) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] all = new String[args.length + 1];
    all[0] = "demo";
    System.arraycopy(args, 0, all, 1, args.length);
    int code = new Main(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of("OFFHOURS_CACHE", TestCaches.ofThisJvm().toString()))
        .run(all);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
