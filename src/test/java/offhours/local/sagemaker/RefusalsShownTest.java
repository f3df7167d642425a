package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import offhours.testing.RawUtf8Request;
import offhours.testing.SigV4;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantInstanceType;
import software.amazon.awssdk.services.sagemaker.model.Tag;

/**
 * What a request to the local SageMaker named (a resource, an image, a variant, a token, a tag key, an operation, a
 * body that is not JSON), as its refusal quotes it: escaped and cut as offhours quotes any value from outside
 * (offhours.units.Shown). Only a caller with the local stack's credentials gets that far, but the refusal reaches a
 * terminal through the SDK's exception message.
 */
class RefusalsShownTest {
  private static final String ARN = "arn:aws:sagemaker:eu-central-1:123456789012:";
  private static final String ROLE = "arn:aws:iam::123456789012:role/offhours";

  /** 5,000 characters, in lower case (ARNs are), that open with ESC and U+202E (right-to-left override). */
  private static final String VALUE = "x\u001b[0m\u202e" + "v".repeat(4994);

  /** How a refusal shows {@link #VALUE}: escaped, its first 60 characters and its length. */
  private static final String SHOWN = "x\\x1b[0m\\u202e" + "v".repeat(54) + "... (5000 characters)";

  private final Fixture f = new Fixture(LocalSageMaker.builder()
      .creatingDelay(Duration.ZERO)
      .deletingDelay(Duration.ZERO)
      .container(Fixture.IMAGE, spec -> new FakeContainer()));

  @AfterEach
  void close() {
    f.close();
  }

  /** The message of the service's answer to {@code call}, which must be a refusal. */
  private static String refusal(ThrowingCallable call) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(thrown).isInstanceOf(AwsServiceException.class);
    String message = ((AwsServiceException) thrown).awsErrorDetails().errorMessage();
    assertThat(message).doesNotContain("\u001b", "\u202e").hasSizeLessThan(1_000);
    return message;
  }

  @Test
  void aResourceALookupDoesNotFindIsNamedEscapedAndCut() {
    assertThat(refusal(() -> f.control.describeModel(r -> r.modelName(VALUE))))
        .isEqualTo("Could not find model \"" + ARN + "model/" + SHOWN + "\".");
    assertThat(refusal(() -> f.control.describeEndpointConfig(r -> r.endpointConfigName(VALUE))))
        .isEqualTo(
            "Could not find endpoint configuration \"" + ARN + "endpoint-config/" + SHOWN + "\".");
    assertThat(refusal(() -> f.control.describeEndpoint(r -> r.endpointName(VALUE))))
        .isEqualTo("Could not find endpoint \"" + ARN + "endpoint/" + SHOWN + "\".");
    assertThat(refusal(
            () -> f.control.describeInferenceComponent(r -> r.inferenceComponentName(VALUE))))
        .isEqualTo(
            "Could not find inference component \"" + ARN + "inference-component/" + SHOWN + "\".");
    assertThat(refusal(() -> f.control.listTags(r -> r.resourceArn(VALUE))))
        .isEqualTo("Resource " + SHOWN + " does not exist.");
    String missing = ARN + "endpoint-config/" + "a".repeat(63);
    assertThat(refusal(() -> f.control.listTags(r -> r.resourceArn(missing))))
        .as("an ARN of a name SageMaker allows (63 characters) is quoted whole, its name included")
        .isEqualTo("Resource " + missing + " does not exist.");
  }

  @Test
  void aNameOrImageOrTokenOrTagTheServiceRefusesIsQuotedEscapedAndCut() {
    assertThat(refusal(() -> f.control.createModel(
            r -> r.modelName(VALUE).primaryContainer(c -> c.image(Fixture.IMAGE)))))
        .startsWith("1 validation error detected: Value '" + SHOWN + "' at 'modelName' failed to");
    assertThat(refusal(() ->
            f.control.createModel(r -> r.modelName("m").primaryContainer(c -> c.image(VALUE)))))
        .startsWith("Image \"" + SHOWN + "\" is not known to the local SageMaker");
    assertThat(refusal(() -> f.control.listEndpoints(r -> r.nextToken(VALUE))))
        .isEqualTo(
            "Invalid pagination token \"" + SHOWN + "\"; pass the NextToken of the previous page.");
    assertThat(refusal(() -> f.control.createEndpoint(r -> r.endpointName("ep")
            .endpointConfigName("cfg")
            .tags(Tag.builder().key(VALUE).value("v").build()))))
        .startsWith("1 validation error detected: Value '" + SHOWN + "' at 'tags.member.key'");
    assertThat(refusal(() -> f.control.createEndpoint(r -> r.endpointName("ep")
            .endpointConfigName("cfg")
            .tags(Tag.builder().key("aws:\u001b[2J").value("v").build()))))
        .isEqualTo("System prefix 'aws:' reserved for AWS usage in tag key: aws:\\x1b[2J");
  }

  @Test
  void aVariantTheServiceRefusesIsNamedEscapedAndCut() {
    assertThat(refusal(() -> f.control.createEndpointConfig(r -> r.endpointConfigName("cfg")
            .productionVariants(ProductionVariant.builder()
                .variantName(VALUE)
                .instanceType(ProductionVariantInstanceType.ML_M5_LARGE)
                .serverlessConfig(s -> s.memorySizeInMB(2048).maxConcurrency(1))
                .build()))))
        .startsWith("Variant " + SHOWN + " cannot have both ServerlessConfig and");
    assertThat(refusal(() -> f.control.createEndpointConfig(r -> r.endpointConfigName("cfg")
            .productionVariants(ProductionVariant.builder()
                .variantName(VALUE)
                .instanceType(ProductionVariantInstanceType.ML_M5_LARGE)
                .build()))))
        .startsWith("Endpoint configuration cfg: variant " + SHOWN + " names no model");
  }

  @Test
  void anInferenceComponentsVariantOrNameIsQuotedEscapedAndCut() throws Exception {
    // An endpoint that runs a model, in a variant the request named.
    f.control.createModel(r -> r.modelName("ep-model")
        .primaryContainer(c -> c.image(Fixture.IMAGE).modelDataUrl("file:///tmp/model.onnx")));
    f.control.createEndpointConfig(r -> r.endpointConfigName("ep-config")
        .productionVariants(ProductionVariant.builder()
            .variantName(VALUE)
            .modelName("ep-model")
            .instanceType(ProductionVariantInstanceType.ML_M5_LARGE)
            .initialInstanceCount(1)
            .build()));
    f.control.createEndpoint(r -> r.endpointName("ep").endpointConfigName("ep-config"));
    f.awaitStatus("ep", EndpointStatus.IN_SERVICE);
    assertThat(refusal(() -> createComponent("ep", VALUE)))
        .startsWith("Endpoint \"" + ARN + "endpoint/ep\" runs model ep-model in variant " + SHOWN
            + "; inference components need");

    // An endpoint that hosts components.
    f.control.createEndpointConfig(r -> r.endpointConfigName("ic-config")
        .executionRoleArn(ROLE)
        .productionVariants(ProductionVariant.builder()
            .variantName("AllTraffic")
            .instanceType(ProductionVariantInstanceType.ML_M5_LARGE)
            .initialInstanceCount(1)
            .build()));
    f.control.createEndpoint(r -> r.endpointName("ic").endpointConfigName("ic-config"));
    f.awaitStatus("ic", EndpointStatus.IN_SERVICE);
    assertThat(refusal(() -> createComponent("ic", VALUE)))
        .isEqualTo("Variant " + SHOWN + " does not exist on endpoint \"" + ARN + "endpoint/ic\".");
    // The SDK's client sends no control character in a header: this request is written by hand.
    RawUtf8Request invoke = signed(
        "/endpoints/ic/invocations",
        Map.of(
            "X-Amzn-SageMaker-Inference-Component",
            "ic\u001b[2J" + "c".repeat(4994),
            "Content-Type",
            "application/x-image"),
        "hello");
    assertThat(invoke.status()).isEqualTo(400);
    assertThat(invoke.body())
        .contains("Inference Component ic\\\\x1b[2J" + "c".repeat(54)
            + "... (5000 characters) not found for endpoint ic of account 123456789012.");
  }

  private void createComponent(String endpoint, String variant) {
    f.control.createInferenceComponent(r -> r.inferenceComponentName("ic-1")
        .endpointName(endpoint)
        .variantName(variant)
        .specification(s -> s.modelName("ep-model")
            .computeResourceRequirements(
                c -> c.numberOfCpuCoresRequired(1f).minMemoryRequiredInMb(1024)))
        .runtimeConfig(c -> c.copyCount(1)));
  }

  @Test
  void anEndpointTheRuntimeDoesNotFindIsNamedEscapedAndCut() {
    assertThat(refusal(() -> f.runtime.invokeEndpoint(r -> r.endpointName(VALUE)
            .contentType("application/x-image")
            .body(SdkBytes.fromUtf8String("hello")))))
        .isEqualTo("Endpoint " + SHOWN + " of account 123456789012 not found.");
  }

  @Test
  void aMemberOfTheWrongTypeIsShownEscapedAndCut() throws Exception {
    RawUtf8Request wrongType =
        control("CreateModel", "{\"ModelName\": [\"" + VALUE.replace("\u001b", "\\u001b") + "\"]}");
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.body())
        .contains("ModelName must be a string, got [\\\"x\\\\u001B[0m\\\\u202e" + "v".repeat(47)
            + "... (5009 characters)")
        .doesNotContain("\u202e");
    RawUtf8Request wrongKey = control(
        "CreateModel",
        "{\"ModelName\": \"m\", \"PrimaryContainer\": {\"Image\": \"" + Fixture.IMAGE
            + "\", \"Environment\": {\"" + VALUE.replace("\u001b", "\\u001b") + "\": 1}}}");
    assertThat(wrongKey.body())
        .contains("Environment." + SHOWN.replace("\\", "\\\\") + " must be a string, got 1")
        .doesNotContain("\u202e");
  }

  @Test
  void anUnknownOperationAndTheParsersWordsAreEscapedAndCut() throws Exception {
    RawUtf8Request unknown = control("Create\u001b[2J" + "Op".repeat(2500), "{}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body())
        .contains("The requested operation Create\\\\x1b[2J" + "Op".repeat(25)
            + "... (5010 characters) is not recognized by the local SageMaker")
        .doesNotContain("\u001b");

    RawUtf8Request notJson = control("CreateModel", "nope\u001b\u202e" + "q".repeat(5000));
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.body())
        .contains("The request body is not JSON: Unrecognized token 'nope\\\\x1b\\\\u202eqqq")
        .doesNotContain("\u001b", "\u202e")
        .hasSizeLessThan(1_000);
  }

  @Test
  void anEnvironmentVariableTheContainerCommandMayNotTakeIsNamedEscapedAndCut(@TempDir Path logs) {
    try (Fixture command =
        new Fixture(LocalSageMaker.builder().containerCommand("true").logDirectory(logs))) {
      assertThat(refusal(() -> command.control.createModel(r -> r.modelName("m")
              .primaryContainer(c ->
                  c.image(LocalSageMaker.COMMAND_IMAGE).environment(Map.of("LD_" + VALUE, "1"))))))
          .isEqualTo("Model m: PrimaryContainer.Environment may not set LD_x\\x1b[0m\\u202e"
              + "v".repeat(51) + "... (5003 characters): it would make the container command run"
              + " other code");
    }
  }

  /**
   * A control-plane request written by hand, its X-Amz-Target header and body sent as they are (the SDK and the JDK's
   * client would refuse or escape them), signed with the service's credentials.
   */
  private RawUtf8Request control(String operation, String body) throws Exception {
    return signed(
        "/",
        Map.of(
            "X-Amz-Target", "SageMaker." + operation, "Content-Type", "application/x-amz-json-1.1"),
        body);
  }

  /** A POST to {@code path} with {@code headers} and {@code body} as they are, signed with the service's credentials. */
  private RawUtf8Request signed(String path, Map<String, String> headers, String body)
      throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.putAll(SigV4.headers(
        "POST",
        f.sageMaker.endpoint().resolve(path),
        Map.copyOf(headers),
        bytes,
        f.sageMaker.credentials(),
        Fixture.REGION.id(),
        "sagemaker",
        Clock.systemUTC()));
    return RawUtf8Request.send(f.sageMaker.endpoint().getPort(), "POST", path, all, bytes);
  }
}
