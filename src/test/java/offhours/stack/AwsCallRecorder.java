package offhours.stack;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Records every SDK call made through clients built with {@code AwsClients.withInterceptor(recorder)}: service,
 * operation, the request as sent, and how it ended (HTTP status, error code). Thread-safe: Classify works on a batch's
 * records in parallel.
 */
final class AwsCallRecorder implements ExecutionInterceptor {

  /**
   * One call; {@code status} is 0 when no HTTP response came back, {@code errorCode} null on success; {@code kmsKeyId}
   * the KMS key S3 decrypted a GetObject's object with (SSE-KMS), else null.
   */
  record Call(
      String service,
      String operation,
      SdkRequest request,
      Region region,
      int status,
      String errorCode,
      String kmsKeyId) {
    Call(
        String service,
        String operation,
        SdkRequest request,
        Region region,
        int status,
        String errorCode) {
      this(service, operation, request, region, status, errorCode, null);
    }

    @Override
    public String toString() {
      return service + "." + operation
          + (errorCode == null ? "" : " -> " + status + " " + errorCode);
    }
  }

  private final List<Call> calls = new CopyOnWriteArrayList<>();

  @Override
  public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
    Call call = call(context.request(), attributes, context.httpResponse().statusCode(), null);
    if (context.response() instanceof GetObjectResponse object
        && object.serverSideEncryptionAsString() != null
        && object.serverSideEncryptionAsString().startsWith("aws:kms")) {
      call = new Call(
          call.service(),
          call.operation(),
          call.request(),
          call.region(),
          call.status(),
          null,
          object.ssekmsKeyId());
    }
    calls.add(call);
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    int status = context.httpResponse().map(r -> r.statusCode()).orElse(0);
    String code = context.exception().getClass().getSimpleName();
    if (context.exception() instanceof AwsServiceException e) {
      status = e.statusCode();
      if (e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null) {
        code = e.awsErrorDetails().errorCode();
      }
    }
    calls.add(call(context.request(), attributes, status, code));
  }

  private static Call call(
      SdkRequest request, ExecutionAttributes attributes, int status, String errorCode) {
    return new Call(
        attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME),
        attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
        request,
        attributes.getAttribute(AwsExecutionAttribute.AWS_REGION),
        status,
        errorCode);
  }

  /** Forgets what was recorded: a scenario's setup is not the function's doing. */
  void clear() {
    calls.clear();
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }
}
