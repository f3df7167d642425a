package offhours.local.sagemaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import offhours.testing.SigV4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointConfigResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeModelResponse;
import software.amazon.awssdk.services.sagemaker.model.EndpointStatus;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/** Every control-plane operation and error through the real SageMakerClient over HTTP. */
class ControlPlaneTest {
  private static final Instant NOW = Instant.parse("2026-03-29T01:30:00.125Z");
  private static final String ARN = "arn:aws:sagemaker:eu-central-1:123456789012:";

  private final Fixture f = new Fixture(LocalSageMaker.builder()
      .clock(Clock.fixed(NOW, ZoneOffset.UTC))
      .creatingDelay(Duration.ZERO)
      .deletingDelay(Duration.ZERO)
      .container(Fixture.IMAGE, spec -> new FakeContainer()));

  @AfterEach
  void close() {
    f.close();
  }

  @Test
  void modelRoundTripsWithArnInLowerCase() {
    String arn = f.control
        .createModel(r -> r.modelName("Classifier")
            .executionRoleArn("arn:aws:iam::123456789012:role/offhours")
            .primaryContainer(c -> c.image(Fixture.IMAGE)
                .modelDataUrl("file:///m/model.onnx")
                .environment(Map.of("LABELS", "a,b"))))
        .modelArn();

    DescribeModelResponse model = f.control.describeModel(r -> r.modelName("Classifier"));

    assertThat(arn).isEqualTo(ARN + "model/classifier");
    assertThat(model.modelArn()).isEqualTo(arn);
    assertThat(model.modelName()).isEqualTo("Classifier");
    assertThat(model.primaryContainer().image()).isEqualTo(Fixture.IMAGE);
    assertThat(model.primaryContainer().modelDataUrl()).isEqualTo("file:///m/model.onnx");
    assertThat(model.primaryContainer().environment()).containsExactly(Map.entry("LABELS", "a,b"));
    assertThat(model.executionRoleArn()).isEqualTo("arn:aws:iam::123456789012:role/offhours");
    assertThat(model.creationTime()).isEqualTo(NOW);

    f.control.deleteModel(r -> r.modelName("Classifier"));
    assertThatThrownBy(() -> f.control.describeModel(r -> r.modelName("Classifier")))
        .isInstanceOfSatisfying(SageMakerException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo("Could not find model \"" + ARN + "model/classifier\".");
          assertThat(e.statusCode()).isEqualTo(400);
        });
  }

  @Test
  void endpointConfigRoundTrips() {
    f.createEndpoint("cfg", Fixture.IMAGE, Map.of());

    DescribeEndpointConfigResponse config =
        f.control.describeEndpointConfig(r -> r.endpointConfigName("cfg-config"));

    assertThat(config.endpointConfigArn()).isEqualTo(ARN + "endpoint-config/cfg-config");
    assertThat(config.creationTime()).isEqualTo(NOW);
    assertThat(config.productionVariants()).singleElement().satisfies(v -> {
      assertThat(v.variantName()).isEqualTo("AllTraffic");
      assertThat(v.modelName()).isEqualTo("cfg-model");
      assertThat(v.instanceTypeAsString()).isEqualTo("ml.m5.large");
      assertThat(v.initialInstanceCount()).isEqualTo(1);
    });
    f.control.deleteEndpointConfig(r -> r.endpointConfigName("cfg-config"));
    assertThatThrownBy(
            () -> f.control.describeEndpointConfig(r -> r.endpointConfigName("cfg-config")))
        .isInstanceOf(SageMakerException.class)
        .hasMessageStartingWith(
            "Could not find endpoint configuration \"" + ARN + "endpoint-config/cfg-config\".");
  }

  @Test
  void creatingWhatExistsFailsLikeSageMaker() {
    f.createEndpoint("dup", Fixture.IMAGE, Map.of());

    assertThatThrownBy(() -> f.control.createModel(
            r -> r.modelName("dup-model").primaryContainer(c -> c.image(Fixture.IMAGE))))
        .hasMessageStartingWith(
            "Cannot create already existing model \"" + ARN + "model/dup-model\".");
    assertThatThrownBy(() -> f.control.createEndpointConfig(r -> r.endpointConfigName("dup-config")
            .productionVariants(v -> v.variantName("AllTraffic").modelName("dup-model"))))
        .hasMessageStartingWith("Cannot create already existing endpoint configuration \"" + ARN
            + "endpoint-config/dup-config\".");
    assertThatThrownBy(() ->
            f.control.createEndpoint(r -> r.endpointName("DUP").endpointConfigName("dup-config")))
        .isInstanceOfSatisfying(SageMakerException.class, e -> {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(e.awsErrorDetails().errorMessage())
              .isEqualTo("Cannot create already existing endpoint \"" + ARN + "endpoint/dup\".");
        });
  }

  @Test
  void missingReferencesAreNamed() {
    assertThatThrownBy(() -> f.control.createEndpointConfig(r -> r.endpointConfigName("c")
            .productionVariants(v -> v.variantName("AllTraffic").modelName("nope"))))
        .hasMessageStartingWith("Could not find model \"" + ARN + "model/nope\".");
    assertThatThrownBy(
            () -> f.control.createEndpoint(r -> r.endpointName("e").endpointConfigName("nope")))
        .hasMessageStartingWith(
            "Could not find endpoint configuration \"" + ARN + "endpoint-config/nope\".");
    assertThatThrownBy(() -> f.control.describeEndpoint(r -> r.endpointName("nope")))
        .hasMessageStartingWith("Could not find endpoint \"" + ARN + "endpoint/nope\".");
    assertThatThrownBy(() -> f.control.deleteEndpoint(r -> r.endpointName("nope")))
        .hasMessageStartingWith("Could not find endpoint \"" + ARN + "endpoint/nope\".");
  }

  @Test
  void namesMustMatchSageMakersPattern() {
    assertThatThrownBy(() -> f.control.createModel(
            r -> r.modelName("under_score").primaryContainer(c -> c.image(Fixture.IMAGE))))
        .hasMessageStartingWith(
            "1 validation error detected: Value 'under_score' at 'modelName' failed to satisfy"
                + " constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}");
  }

  @Test
  void unknownImageSaysHowToServeYourOwnModelLocally() {
    assertThatThrownBy(() -> f.control.createModel(r -> r.modelName("m")
            .primaryContainer(c -> c.image("123456789012.dkr.ecr.eu-central-1.amazonaws.com/x:1"))))
        .hasMessageStartingWith(
            "Image \"123456789012.dkr.ecr.eu-central-1.amazonaws.com/x:1\" is not known to the"
                + " local SageMaker; known images are [test/fake]. It runs no other image: start the"
                + " local stack with --model FILE --labels FILE, or --container-command CMD, to serve"
                + " your own model (README: Your own model).");
    assertThatThrownBy(() -> f.control.createModel(
            r -> r.modelName("m").primaryContainer(c -> c.image(LocalSageMaker.COMMAND_IMAGE))))
        .as("the command image of a stack started without --container-command")
        .hasMessageContaining(
            "known images are [test/fake]. It serves this one when the local stack starts with"
                + " --container-command CMD. (Service: SageMaker");
  }

  @Test
  void unknownOperationIsTheJson11UnknownOperationError() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(
            SigV4.post(
                f.sageMaker.endpoint(),
                Map.of(
                    "X-Amz-Target",
                    "SageMaker.CreateTrainingJob",
                    "Content-Type",
                    "application/x-amz-json-1.1"),
                "{}",
                f.sageMaker.credentials(),
                Fixture.REGION.id(),
                "sagemaker"),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("x-amzn-ErrorType"))
        .hasValue("UnknownOperationException");
    assertThat(response.body())
        .contains("\"__type\":\"UnknownOperationException\"")
        .contains(
            "The requested operation CreateTrainingJob is not recognized by the local SageMaker");
  }

  /** A signed JSON 1.1 request with a body the SDK would never send. */
  private HttpResponse<String> raw(String operation, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            SigV4.post(
                f.sageMaker.endpoint(),
                Map.of(
                    "X-Amz-Target",
                    "SageMaker." + operation,
                    "Content-Type",
                    "application/x-amz-json-1.1"),
                body,
                f.sageMaker.credentials(),
                Fixture.REGION.id(),
                "sagemaker"),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void pagingOutOfRangeIsAValidationErrorNotAnInternalFailure() throws Exception {
    // Before: 500 InternalFailure naming java.lang.IllegalArgumentException or
    // IndexOutOfBoundsException (a page from 0 to -1, from -5, or past Integer.MAX_VALUE).
    for (String operation : new String[] {"ListEndpoints", "ListInferenceComponents"}) {
      for (String body : new String[] {
        "{\"MaxResults\":-1}",
        "{\"NextToken\":\"-5\"}",
        "{\"NextToken\":\"+5\"}",
        "{\"NextToken\":\"\uFF15\"}",
        "{\"MaxResults\":101}"
      }) {
        HttpResponse<String> response = raw(operation, body);
        assertThat(response.statusCode()).as(operation + " " + body).isEqualTo(400);
        assertThat(response.body())
            .as(operation + " " + body)
            .contains("\"__type\":\"ValidationException\"")
            .doesNotContain("java.", "Exception:");
      }
      assertThat(raw(operation, "{\"MaxResults\":100,\"NextToken\":\"2147483647\"}")
              .statusCode())
          .isEqualTo(200);
    }
    assertThat(raw("ListEndpoints", "{\"MaxResults\":-1}").body())
        .contains("Value '-1' at 'maxResults' failed to satisfy constraint: Member must have value"
            + " greater than or equal to 1");
  }

  @Test
  void membersOfTheWrongTypeAreRefusedAndCreateNothing() throws Exception {
    f.control.createModel(r -> r.modelName("m").primaryContainer(c -> c.image(Fixture.IMAGE)));
    String variant = "{\"EndpointConfigName\":\"c\",\"ProductionVariants\":[{\"VariantName\":\"v\","
        + "\"ModelName\":\"m\",\"InstanceType\":\"ml.m5.large\",\"InitialInstanceCount\":";
    // Before, each was read leniently and created the config: "abc" as 1, 1e999 as
    // Integer.MAX_VALUE, 99999999999 as its low 32 bits, 0 and -1 as they are.
    Map<String, String> refused = Map.of(
        "\"abc\"", "InitialInstanceCount must be a whole number",
        "1e999", "InitialInstanceCount must be a whole number",
        "99999999999", "InitialInstanceCount must be a whole number",
        "0",
            "Value '0' at 'productionVariants.member.initialInstanceCount' failed to satisfy"
                + " constraint: Member must have value greater than or equal to 1");
    for (Map.Entry<String, String> count : refused.entrySet()) {
      HttpResponse<String> response = raw("CreateEndpointConfig", variant + count.getKey() + "}]}");
      assertThat(response.statusCode()).as(count.getKey()).isEqualTo(400);
      assertThat(response.body()).as(count.getKey()).contains(count.getValue());
    }
    assertThatThrownBy(() -> f.control.describeEndpointConfig(r -> r.endpointConfigName("c")))
        .isInstanceOf(SageMakerException.class);

    // An Environment that is no map of strings was dropped, or its values read as "".
    HttpResponse<String> environment = raw(
        "CreateModel",
        "{\"ModelName\":\"e\",\"PrimaryContainer\":{\"Image\":\"" + Fixture.IMAGE
            + "\",\"Environment\":[\"A=1\"]}}");
    assertThat(environment.statusCode()).isEqualTo(400);
    assertThat(environment.body())
        .contains("\"__type\":\"SerializationException\"")
        .contains("Environment must be an object of strings (a map), got [\\\"A=1\\\"]");
    assertThatThrownBy(() -> f.control.describeModel(r -> r.modelName("e")))
        .isInstanceOf(SageMakerException.class);

    // A list where a name goes was read as "" and answered as a missing endpoint named "".
    assertThat(raw("DescribeEndpoint", "{\"EndpointName\":[[]]}").body())
        .contains("EndpointName must be a string, got [[]]");
  }

  @Test
  void listEndpointsFiltersSortsAndPages() {
    for (String name : new String[] {"alpha-one", "beta-two", "alpha-three"}) {
      f.createEndpoint(name, Fixture.IMAGE, Map.of());
    }
    f.awaitStatus("alpha-three", EndpointStatus.IN_SERVICE);

    var alphas =
        f.control.listEndpoints(r -> r.nameContains("ALPHA").sortBy("Name").sortOrder("Ascending"));
    assertThat(alphas.endpoints())
        .extracting(e -> e.endpointName())
        .containsExactly("alpha-one", "alpha-three");

    var page1 = f.control.listEndpoints(r -> r.maxResults(2).sortBy("Name").sortOrder("Ascending"));
    var page2 = f.control.listEndpoints(
        r -> r.maxResults(2).sortBy("Name").sortOrder("Ascending").nextToken(page1.nextToken()));
    assertThat(page1.endpoints())
        .extracting(e -> e.endpointName())
        .containsExactly("alpha-one", "alpha-three");
    assertThat(page2.endpoints()).extracting(e -> e.endpointName()).containsExactly("beta-two");
    assertThat(page2.nextToken()).isNull();

    f.control.deleteEndpoint(r -> r.endpointName("beta-two"));
    f.awaitAbsent("beta-two");
    assertThat(f.control
            .listEndpoints(r -> r.statusEquals(EndpointStatus.IN_SERVICE))
            .endpoints())
        .extracting(e -> e.endpointArn())
        .containsExactlyInAnyOrder(ARN + "endpoint/alpha-one", ARN + "endpoint/alpha-three");
  }

  @Test
  void theAccountIdIsConfigurableAndChecked() {
    try (Fixture other = new Fixture(LocalSageMaker.builder().accountId("000000000000"))) {
      assertThatThrownBy(() -> other.control.describeEndpoint(r -> r.endpointName("x")))
          .hasMessageStartingWith(
              "Could not find endpoint \"arn:aws:sagemaker:eu-central-1:000000000000:endpoint/x\".");
      assertThatThrownBy(() -> other.runtime.invokeEndpoint(r ->
              r.endpointName("x").body(software.amazon.awssdk.core.SdkBytes.fromUtf8String("x"))))
          .hasMessageStartingWith("Endpoint x of account 000000000000 not found.");
    }
    assertThatThrownBy(() -> LocalSageMaker.builder().accountId("1234"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("accountId must be 12 digits, was 1234");
  }

  @Test
  void theSameUrlServesBothClients() {
    assertThat(f.sageMaker.endpoint())
        .isEqualTo(URI.create("http://127.0.0.1:" + f.sageMaker.endpoint().getPort()));
    assertThat(f.sageMaker.accountId()).isEqualTo("123456789012");
  }
}
