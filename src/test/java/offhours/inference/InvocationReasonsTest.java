package offhours.inference;

import static org.assertj.core.api.Assertions.assertThat;

import offhours.inference.InvocationErrors.Cause;
import offhours.inference.InvocationErrors.Failure;
import org.assertj.core.api.AbstractStringAssert;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sagemakerruntime.model.ModelErrorException;
import software.amazon.awssdk.services.sagemakerruntime.model.SageMakerRuntimeException;

/**
 * What users read of each InvokeEndpoint failure (a result's verdict, a deferral's reason, POST /classify's answer, the
 * controller's outcome) is offhours' words, with the container's own message where it has one, and never SageMaker's
 * message: that names the account, the caller's role and the endpoint's log group. The messages are SageMaker's as
 * its callers have quoted them (aws/amazon-sagemaker-examples issues 293, 785, 833, 1881; philschmid/cdk-samples issue
 * 2; awslabs/realtime-fraud-detection-with-gnn-on-dgl issue 1331), with this test's account, role and endpoint.
 */
class InvocationReasonsTest {

  private static final String ACCOUNT = "123456789012";

  /** SageMaker's ModelError message around the container's: its log group and the account. */
  private static String wrapped(String kind, int status, String original) {
    return "Received " + kind + " error (" + status + ") from primary with message \"" + original
        + "\". See https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"
        + "#logEventViewer:group=/aws/sagemaker/Endpoints/offhours-endpoint in account " + ACCOUNT
        + " for more information.";
  }

  private static ModelErrorException modelError(int status, String original, String message) {
    return (ModelErrorException) ModelErrorException.builder()
        .statusCode(424)
        .originalStatusCode(status)
        .originalMessage(original)
        .logStreamArn("arn:aws:logs:us-east-1:" + ACCOUNT
            + ":log-group:/aws/sagemaker/Endpoints/offhours-endpoint")
        .awsErrorDetails(AwsErrorDetails.builder()
            .errorCode("ModelError")
            .errorMessage(message)
            .build())
        .build();
  }

  /**
   * SageMaker's answer with {@code code} (null: none) and {@code message}: InvocationErrors reads the code, not the
   * SDK's class for it.
   */
  private static SdkException answered(int status, String code, String message) {
    return SageMakerRuntimeException.builder()
        .statusCode(status)
        .awsErrorDetails(
            AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
        .build();
  }

  /** The reason of {@code error}, checked to name neither an account nor an ARN, and to be one line. */
  private static AbstractStringAssert<?> reasonOf(SdkException error) {
    String reason = InvocationErrors.of(error).reason();
    assertThat(reason)
        .as("no account id, no ARN, no log URL, one line")
        .doesNotContainPattern("\\d{12}")
        .doesNotContainIgnoringCase("arn:")
        .doesNotContain("console.aws.amazon.com", "Received ", "\n", "\r");
    return assertThat(reason);
  }

  @Test
  void accessDeniedSaysWhichPermissionToCheckWithoutTheRoleOrTheAccount() {
    SdkException denied = answered(
        400,
        "AccessDeniedException",
        "User: arn:aws:sts::" + ACCOUNT
            + ":assumed-role/offhours-ClassifyFunctionRole"
            + "-4WHEQWWK3WXH/offhours-ClassifyFunction-Oc5R37D63bAz is not authorized to perform:"
            + " sagemaker:InvokeEndpoint on resource: arn:aws:sagemaker:us-east-1:" + ACCOUNT
            + ":endpoint/offhours-endpoint because no identity-based policy allows the"
            + " sagemaker:InvokeEndpoint action");

    assertThat(InvocationErrors.of(denied).cause()).isEqualTo(Cause.DEPLOYMENT);
    reasonOf(denied)
        .isEqualTo("the function's role may not call sagemaker:InvokeEndpoint on this endpoint"
            + " (AccessDeniedException, HTTP 400): check that the role's policy allows it on the"
            + " endpoint's ARN and that the endpoint name is the stack's; the image is not to"
            + " blame");
  }

  @Test
  void aValidationErrorOfUnknownWordingNamesItsCodeAndThatOffhoursDoesNotKnowIt() {
    for (String message : new String[] {
      "1 validation error detected: Value 'offhours endpoint' at 'endpointName' failed to satisfy"
          + " constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9])*",
      "Endpoint arn:aws:sagemaker:us-east-1:" + ACCOUNT + ":endpoint/offhours-endpoint of account "
          + ACCOUNT + " has no variant AllTraffic-2."
    }) {
      SdkException error = answered(400, "ValidationError", message);
      assertThat(InvocationErrors.of(error).cause()).as(message).isEqualTo(Cause.ENDPOINT);
      reasonOf(error)
          .as(message)
          .isEqualTo("the endpoint refused the request with a ValidationError whose message"
              + " offhours does not know, so the image is not to blame and waits; what SageMaker"
              + " answered is in the function's log");
    }
  }

  @Test
  void aModelErrorShowsTheContainersStatusAndMessageNotSageMakersWrapper() {
    String page = "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<title>500 Internal"
        + " Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server encountered an"
        + " internal error and was unable to complete your request.  Either the server is"
        + " overloaded or there is an error in the application.</p>\n";
    ModelErrorException crash = modelError(500, page, wrapped("server", 500, page));

    assertThat(InvocationErrors.of(crash).cause()).isEqualTo(Cause.CRASH);
    reasonOf(crash)
        .isEqualTo("the model failed (status 500): <!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2"
            + " Final//EN\"> <title>500 Internal Server Error</title> <h1>Internal Server"
            + " Error</h1> <p>The server encountered an internal error and was unable to complete"
            + " your request. Either the server is overloaded or there is an error in the"
            + " application.</p>");

    StringBuilder trace = new StringBuilder("Traceback (most recent call last):\n");
    for (int frame = 0; frame < 12; frame++) {
      trace
          .append("  File \"/opt/ml/code/inference.py\", line ")
          .append(40 + frame)
          .append(", in predict_fn\n");
    }
    trace.append("RuntimeError: CUDA out of memory.\n");
    ModelErrorException traceback =
        modelError(500, trace.toString(), wrapped("server", 500, "..."));
    Failure failure = InvocationErrors.of(traceback);
    reasonOf(traceback)
        .startsWith("the model failed (status 500): Traceback (most recent call last):"
            + " File \"/opt/ml/code/inference.py\", line 40, in predict_fn File")
        .endsWith("...");
    assertThat(failure.message())
        .as("excerpted: the whole message is in the endpoint's log")
        .hasSize(ContainerText.SHOWN + "...".length());
    assertThat(failure.containerSaid()).isEqualTo("(status 500): " + failure.message());
  }

  @Test
  void aModelThatAnsweredNoMessageIsSaidSoNotWithSageMakersWords() {
    ModelErrorException cut = modelError(
        500,
        null,
        "Received server error (500) from primary and could not load the entire response body."
            + " See https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"
            + "#logEventViewer:group=/aws/sagemaker/Endpoints/offhours-endpoint in account "
            + ACCOUNT + " for more information.");

    reasonOf(cut).isEqualTo("the model failed (status 500, without a message of its own)");
  }

  @Test
  void aModelsTimeoutKeepsItsWordsWhichNameNoAccount() {
    String timedOut = "Your invocation timed out while waiting for a response from container"
        + " primary. Review the latency metrics for each container in Amazon CloudWatch, resolve"
        + " the issue, and try again.";

    reasonOf(modelError(0, timedOut, wrapped("server", 0, timedOut)))
        .isEqualTo("the model failed (status 0): " + timedOut);
  }

  @Test
  void aContainersMessageEchoingAnAccountOrAnArnKeepsItsWordsWithoutThem() {
    // A handler that reads its labels from S3 with the endpoint's execution role, and answers
    // AWS's refusal as its 400 (the Hugging Face toolkit's JSON error body).
    String original =
        "{\n  \"code\": 400,\n  \"type\": \"InternalServerException\",\n  \"message\":"
            + " \"An error occurred (AccessDenied) when calling the GetObject operation: User:"
            + " arn:aws:sts::" + ACCOUNT + ":assumed-role/SageMakerExecutionRole/SageMaker is not"
            + " authorized to perform: s3:GetObject on resource: \\\"arn:aws:s3:::models-" + ACCOUNT
            + "/labels.json\\\"\"\n}\n";
    ModelErrorException refused = modelError(400, original, wrapped("client", 400, original));

    assertThat(InvocationErrors.of(refused).cause()).isEqualTo(Cause.UNREADABLE);
    reasonOf(refused)
        .isEqualTo("the model could not read the image (status 400): { \"code\": 400, \"type\":"
            + " \"InternalServerException\", \"message\": \"An error occurred (AccessDenied) when"
            + " calling the GetObject operation: User: (an ARN) is not authorized to perform:"
            + " s3:GetObject on resource: \\\"(an ARN)\\\"\" }");
  }

  @Test
  void aModelRefusingTheImagesSizeOrTheContentTypeIsQuotedWithoutSageMakersWrapper() {
    String tooLarge = "image of 20000 x 20000 pixels needs 1.6 GB to decode";
    ModelErrorException large = modelError(413, tooLarge, wrapped("client", 413, tooLarge));
    assertThat(InvocationErrors.of(large).cause()).isEqualTo(Cause.IMAGE);
    reasonOf(large).isEqualTo("the model refused the image as too large (status 413): " + tooLarge);

    String type = "Content type application/x-image is not supported by this framework.";
    ModelErrorException refused = modelError(415, type, wrapped("client", 415, type));
    assertThat(InvocationErrors.of(refused).cause()).isEqualTo(Cause.DEPLOYMENT);
    reasonOf(refused)
        .isEqualTo("the model refused the request's Content-Type (status 415): " + type
            + "; set the content type (auto sends image/jpeg or image/png) and accept settings to"
            + " what the container takes");
  }

  @Test
  void anArnOfAnyPartitionAndALoneAccountIdAreTakenOutButLongerNumbersStay() {
    assertThat(ContainerText.shown("role arn:aws-cn:iam::" + ACCOUNT + ":role/r, account " + ACCOUNT
            + ", arn:aws-us-gov:s3:::b; took 1733353200123 ms"))
        .isEqualTo("role (an ARN), account (an account id), (an ARN); took 1733353200123 ms");
    assertThat(ContainerText.shown(" \n ")).isNull();
  }

  @Test
  void anOversizeBodyIsSaidWithoutSageMakersMessage() {
    SdkException oversize = answered(
        400, "ValidationError", "Request 7c3f0e2a-41b7-4b4e-9d3e-2a1c0f5e8b6d has oversize body.");

    assertThat(InvocationErrors.of(oversize).cause()).isEqualTo(Cause.OVERSIZE);
    reasonOf(oversize)
        .doesNotContain("7c3f0e2a", "ValidationError")
        .isEqualTo("the endpoint refused the image as over its payload limit, though it is within"
            + " the stack's (MAX_IMAGE_BYTES): the endpoint is not of the stack's hosting (a"
            + " serverless one, which takes 4 MB, left from Hosting=serverless until the stack"
            + " update deletes it), so the image is not to blame and waits");
  }

  @Test
  void anAnswerWithoutAnErrorCodeIsNotSageMakersAndIsNotQuoted() {
    SdkException proxy = answered(
        403, null, "Forbidden: account " + ACCOUNT + " is not allowed through proxy.example");

    assertThat(InvocationErrors.of(proxy).cause()).isEqualTo(Cause.DEPLOYMENT);
    reasonOf(proxy)
        .doesNotContain("proxy.example")
        .isEqualTo("InvokeEndpoint answered HTTP 403 without an error code, which is not"
            + " SageMaker's error contract: something else answered (a proxy, or an endpoint URL"
            + " that is not SageMaker's), so the image is not to blame; its answer is in the"
            + " function's log");
  }

  @Test
  void anErrorCodeOffhoursDoesNotKnowIsNamedButItsMessageIsNot() {
    SdkException unknown = answered(
        403,
        "UnrecognizedClientException",
        "The security token included in the request is invalid.");

    assertThat(InvocationErrors.of(unknown).cause()).isEqualTo(Cause.DEPLOYMENT);
    reasonOf(unknown)
        .isEqualTo("InvokeEndpoint was refused with UnrecognizedClientException (HTTP 403), which"
            + " offhours does not know: the deployment is at fault, not the image; what SageMaker"
            + " answered is in the function's log");
  }
}
