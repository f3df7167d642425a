package offhours.classify;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import offhours.classify.S3Notifications.ObjectEvent;
import offhours.inference.ImageFormat;
import offhours.inference.KmsDenial;
import offhours.units.Sizes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.InvalidObjectStateException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Downloads the exact object version an event names, or says why it cannot be classified. */
final class ImageDownloads {

  sealed interface Download {}

  /** A JPEG or PNG, read into one array of its size. */
  record Image(byte[] bytes) implements Download {}

  /** The object will never be classifiable: a verdict. */
  record Unusable(String reason) implements Download {}

  /** The deployment or S3 failed us: retry through the queue. */
  record Failed(String reason) implements Download {}

  private final S3Client s3;
  private final long maxImageBytes;

  ImageDownloads(S3Client s3, long maxImageBytes) {
    this.s3 = s3;
    this.maxImageBytes = maxImageBytes;
  }

  /** Checks the size an event announces, so an oversized object is never downloaded; null if fine. */
  String sizeProblem(ObjectEvent event) {
    return event.size() != null && event.size() > maxImageBytes
        ? tooLarge(event, event.size())
        : null;
  }

  /**
   * Unexpected S3 errors (5xx, throttling) propagate: the caller retries the message. {@code timeout} (null: none)
   * bounds the call until S3 answers, every retry included. The S3 client has no call timeout of its own (a body
   * streams for as long as it takes), so without it a stalled GetObject would wait out the 70 s socket timeout once
   * per attempt and Lambda would end the invocation first: the whole batch, finished records included, would come
   * back after the visibility timeout with one more receive each.
   */
  Download fetch(ObjectEvent event, Duration timeout) {
    byte[] bytes;
    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request(event, timeout))) {
      Long contentLength = in.response().contentLength();
      if (contentLength != null && contentLength > maxImageBytes) {
        in.abort(); // do not drain a body we will not use
        return new Unusable(tooLarge(event, contentLength));
      }
      bytes = contentLength != null
          ? readExactly(in, contentLength.intValue(), event)
          : in.readAllBytes();
    } catch (NoSuchKeyException gone) {
      return new Unusable(gone(event));
    } catch (S3Exception e) {
      Download refused = refused(event, e);
      if (refused != null) {
        return refused;
      }
      return switch (e.statusCode()) {
        case 404 -> new Unusable(gone(event)); // NoSuchVersion: that version was deleted
        case 412 ->
          new Unusable(
              "object " + event.uri()
                  + " was overwritten before it could be classified; the newer version has its own result");
        // Without s3:ListBucket S3 answers 403 for a missing key too; either way the deployment
        // must fix it.
        case 403 ->
          new Failed("access denied reading " + event.uri()
              + "; the function needs s3:GetObject and s3:ListBucket on the bucket: "
              + e.getMessage());
        default -> throw e;
      };
    } catch (ApiCallTimeoutException e) {
      return new Failed("reading " + event.uri() + " took longer than the " + timeout.toMillis()
          + " ms left before this invocation's deadline; S3 did not answer in time: "
          + e.getMessage());
    } catch (IOException e) {
      return new Failed("reading " + event.uri() + " failed: " + e.getMessage());
    }
    if (bytes.length == 0) {
      return new Unusable("object " + event.uri() + " is empty (0 bytes)");
    }
    if (bytes.length > maxImageBytes) {
      return new Unusable(tooLarge(event, bytes.length));
    }
    if (ImageFormat.of(bytes) == null) {
      return new Unusable("unsupported format: object " + event.uri() + " looks like "
          + ImageFormat.describe(bytes) + "; offhours accepts JPEG and PNG");
    }
    return new Image(bytes);
  }

  /**
   * What S3's error code says before its status does: an object in an archive storage class (GLACIER,
   * DEEP_ARCHIVE, or an Intelligent-Tiering archive tier) answers 403 InvalidObjectState until it is restored, one
   * encrypted with a customer-provided key (SSE-C) answers 400 InvalidRequest without that key, and one encrypted
   * with a KMS key the function may not use answers 403 AccessDenied naming KMS (see {@link KmsDenial}). None
   * changes by retrying, so each is a verdict that says what would make the object readable; null for any other
   * error (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
   */
  private static Download refused(ObjectEvent event, S3Exception e) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    if ("InvalidObjectState".equals(code)) {
      return new Unusable("object " + event.uri() + " is archived in storage class " + archive(e)
          + " and cannot be read until it is restored; restore it, then reprocess it");
    }
    if ("InvalidRequest".equals(code)
        && e.statusCode() == 400
        && e.awsErrorDetails().errorMessage() != null
        && e.awsErrorDetails().errorMessage().toLowerCase(Locale.ROOT).contains("encryption")) {
      return new Unusable("object " + event.uri()
          + " is encrypted with a customer-provided key (SSE-C), which offhours cannot read: it is"
          + " never given the key; upload it again without SSE-C");
    }
    String key = KmsDenial.key(e);
    if (key != null) {
      return new Unusable("object " + event.uri() + " is encrypted with " + KmsDenial.named(key)
          + ", which the Classify function may not use (kms:Decrypt denied): the function's role may"
          + " decrypt through S3 with keys of this account whose key policy lets IAM policies grant"
          + " their use; allow the role in that key's policy, or upload the object again without"
          + " that key, then reprocess it");
    }
    return null;
  }

  /** The storage class (and Intelligent-Tiering access tier) S3 names in an InvalidObjectState error. */
  private static String archive(S3Exception e) {
    if (e instanceof InvalidObjectStateException state && state.storageClassAsString() != null) {
      return state.accessTierAsString() == null
          ? state.storageClassAsString()
          : state.storageClassAsString() + " (access tier " + state.accessTierAsString() + ")";
    }
    return "unknown (S3 did not say)";
  }

  /**
   * Asks for exactly the version the event is about: by versionId in a versioned bucket, else by
   * If-Match on its ETag, so a later overwrite is never classified under this event's identity
   * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html).
   */
  static GetObjectRequest request(ObjectEvent event, Duration timeout) {
    GetObjectRequest.Builder request =
        GetObjectRequest.builder().bucket(event.bucket()).key(event.key());
    if (timeout != null) {
      request.overrideConfiguration(c -> c.apiCallTimeout(timeout));
    }
    if (event.versionId() != null && !event.versionId().isEmpty()) {
      request.versionId(event.versionId());
    } else if (event.eTag() != null && !event.eTag().isEmpty()) {
      request.ifMatch("\"" + event.eTag() + "\"");
    }
    return request.build();
  }

  /** One array of the object's size, filled once, later handed to the SDK without a copy. */
  private static byte[] readExactly(InputStream in, int length, ObjectEvent event)
      throws IOException {
    byte[] bytes = new byte[length];
    int read = in.readNBytes(bytes, 0, length);
    if (read != length) {
      throw new IOException(
          "the body of " + event.uri() + " ended after " + read + " of " + length + " bytes");
    }
    return bytes;
  }

  private String tooLarge(ObjectEvent event, long size) {
    return "object " + event.uri() + " " + Sizes.overLimit(size, maxImageBytes) + ": "
        + Sizes.SHRINK_AND_UPLOAD_AGAIN;
  }

  private static String gone(ObjectEvent event) {
    return "object " + event.uri() + " no longer exists (deleted after upload)";
  }
}
