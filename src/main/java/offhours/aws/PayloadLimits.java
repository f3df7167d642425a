package offhours.aws;

/**
 * The request sizes AWS documents for the calls an image travels through, each stated once. Two of them are the same
 * number, 6,291,456 bytes, and are still different facts: InvokeEndpoint's Body limits what reaches the model, Lambda's
 * invocation payload what reaches a function (POST /classify's base64-encoded event); a change of one says nothing of
 * the other. The largest image Classify and the API send is the endpoint's: {@code
 * offhours.stack.Hosting#maxImageBytes} picks one of the first two by hosting, as template.yaml's MAX_IMAGE_BYTES does
 * (ImageLimitTemplateTest). This class is in every function's zip: keep it free of dependencies.
 */
public final class PayloadLimits {

  private PayloadLimits() {}

  /**
   * The largest Body InvokeEndpoint takes, a real-time endpoint's limit: "Length Constraints: Maximum length of
   * 6291456" (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html).
   */
  public static final int INVOKE_ENDPOINT_BODY_BYTES = 6_291_456;

  /**
   * The largest request a serverless endpoint takes: "The maximum request and response payload size for serverless
   * invocations is 4 MB" (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-invoke.html), read as
   * 4 MiB; SageMaker refuses a larger body as "oversize" before it takes capacity.
   */
  public static final int SERVERLESS_INVOKE_BYTES = 4 * 1024 * 1024;

  /**
   * The largest synchronous invocation payload Lambda takes, the request's event: "6 MB each for request and response
   * (synchronous)" (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), 6,291,456 bytes as
   * Lambda's refusal names it ("Request must be smaller than 6291456 bytes for the InvokeFunction operation").
   */
  public static final int LAMBDA_INVOKE_PAYLOAD_BYTES = 6_291_456;

  /**
   * The largest answer a function may give a synchronous invocation, the other half of the same quota: a larger one
   * fails the invocation with {@code Function.ResponseSizeTooLarge}, "Response payload size exceeded maximum allowed
   * payload size (6291556 bytes)" (the bound Lambda names, 100 bytes over the request's; moto's
   * tests/test_awslambda/test_lambda_invoke.py holds Lambda's answer), and API Gateway answers a bare 500 for it.
   */
  public static final int LAMBDA_RESPONSE_PAYLOAD_BYTES = 6_291_556;
}
