package offhours.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.model.ModelFiles;
import offhours.local.model.OnnxGraphs;
import offhours.local.sagemaker.LocalSageMaker;
import offhours.stack.StackSpec;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

/**
 * --normalize, --resize, --resample and --input-size from the local stack's options to the model: StackModel gives
 * the local SageMaker's model them as its container's environment, and the ONNX container it starts prepares each
 * image by them. The model here answers the mean of each channel it is fed, or the shape of the tensor.
 */
class ModelPreprocessingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  /**
   * 30 wide, 10 high: red in the left and right thirds only, green everywhere, blue 51 (0.2). Its middle square, what
   * a crop to a square input keeps, has no red.
   */
  private static byte[] stripes() throws Exception {
    BufferedImage image = new BufferedImage(30, 10, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(new Color(255, 255, 51));
    g.fillRect(0, 0, 30, 10);
    g.setColor(new Color(0, 255, 51));
    g.fillRect(10, 0, 10, 10);
    g.dispose();
    var png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);
    return png.toByteArray();
  }

  /** The channel means the endpoint of a stack given {@code settings} answers for {@link #stripes}. */
  private double[] served(Map<String, String> settings) throws Exception {
    return served(OnnxGraphs.channelMeans(4, 4), "red\ngreen\nblue\n", settings);
  }

  /** What the endpoint of a stack serving {@code onnx} with {@code settings} answers for {@link #stripes}. */
  private double[] served(byte[] onnx, String labelLines, Map<String, String> settings)
      throws Exception {
    Path model = Files.write(dir.resolve("model.onnx"), onnx);
    Path labels = Files.writeString(dir.resolve("labels.txt"), labelLines);
    LocalDeployment.Options options = new LocalDeployment.Options(
        dir,
        Optional.of(model),
        Optional.of(labels),
        Optional.empty(),
        Duration.ZERO,
        Duration.ofSeconds(1),
        Map.of(),
        settings);
    StackSpec.Names names = StackSpec.Names.local();
    try (LocalSageMaker sageMaker = LocalSageMaker.builder()
            .region(Region.US_EAST_1)
            .creatingDelay(Duration.ZERO)
            .deletingDelay(Duration.ZERO)
            .container(StackModel.ONNX_IMAGE, DeploymentWiring::onnxContainer)
            .start();
        AwsClients clients = AwsClients.local(
            Region.US_EAST_1,
            sageMaker.credentials(),
            Map.of(
                Service.SAGEMAKER,
                sageMaker.endpoint(),
                Service.SAGEMAKER_RUNTIME,
                sageMaker.endpoint()));
        SageMakerClient control = clients.build(Service.SAGEMAKER, SageMakerClient.builder());
        SageMakerRuntimeClient runtime =
            clients.build(Service.SAGEMAKER_RUNTIME, SageMakerRuntimeClient.builder())) {
      StackModel.create(
          control, sageMaker.accountId(), names, options, new ModelFiles(model, labels), null);
      assertThat(control
              .describeModel(r -> r.modelName(names.model()))
              .primaryContainer()
              .environment())
          .as("the model's container environment")
          .isEqualTo(settings);
      control.createEndpoint(
          r -> r.endpointName(names.endpoint()).endpointConfigName(names.endpointConfig()));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() ->
              control.describeEndpoint(r -> r.endpointName(names.endpoint())).endpointStatus()
                  == EndpointStatus.IN_SERVICE);
      byte[] image = stripes();
      String answer = runtime
          .invokeEndpoint(r -> r.endpointName(names.endpoint())
              .contentType("image/png")
              .accept("application/json")
              .body(SdkBytes.fromByteArray(image)))
          .body()
          .asUtf8String();
      return JSON.readValue(answer, double[].class);
    }
  }

  @Test
  void imagenetAndCropReachTheModelThroughItsContainerEnvironment() throws Exception {
    assertThat(served(Map.of("NORMALIZE", "imagenet", "RESIZE", "crop")))
        .containsExactly(
            new double[] {(0 - 0.485) / 0.229, (1 - 0.456) / 0.224, (0.2 - 0.406) / 0.225},
            within(1e-5));
  }

  @Test
  void withoutThemTheWholeImageIsStretchedAndScaledFromZeroToOne() throws Exception {
    // Columns 0, 9.67, 19.33 and 29 of the stripes: red 1, 1/3, 1/3 and 1.
    assertThat(served(Map.of())).containsExactly(new double[] {2 / 3.0, 1, 0.2}, within(1e-5));
  }

  @Test
  void antialiasReachesTheModelAndAveragesEveryColumnUnderEachPixel() throws Exception {
    // 30 columns into 4: Pillow's triangle 7.5 pixels wide around columns 3.75, 11.25, 18.75 and
    // 26.25 (edge
    // coordinates) weighs red at 6.4667 of 6.5667 for the outer two and 2.6 of 7.5 for the inner:
    // 251 and 88 of 255.
    assertThat(served(Map.of("RESAMPLE", "antialias")))
        .containsExactly(new double[] {(251 + 88) / 2.0 / 255, 1, 0.2}, within(1e-5));
  }

  @Test
  void aMeanAndStdOfTheirOwnReachTheModel() throws Exception {
    assertThat(served(Map.of("NORMALIZE", "0.5,0.5,0.5/0.5,0.5,0.5")))
        .containsExactly(new double[] {1 / 3.0, 1, -0.6}, within(1e-5));
  }

  @Test
  void anInputSizeAndACropFractionReachAModelDynamicInEveryDimensionAsOptimumExportsIt()
      throws Exception {
    // The model answers the shape it is fed: NCHW of 3 channels, 32 high and 48 wide.
    assertThat(served(
            OnnxGraphs.dynamicInputShape(),
            "batch\nchannels\nheight\nwidth\n",
            Map.of("INPUT_SIZE", "32x48", "RESIZE", "crop:0.875")))
        .containsExactly(1, 3, 32, 48);
  }
}
