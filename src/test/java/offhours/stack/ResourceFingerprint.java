package offhours.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * A short hash of part of template.yaml as parsed (intrinsics in their long form): the first 16 hex digits of the
 * SHA-256 of it written as JSON with sorted keys. A custom resource that carries it as a property is updated by every
 * stack update that changes that part: EndpointCleanup's ImagesBucketFingerprint (the ImagesBucket resource: putting
 * the bucket's notification again makes S3 send a new s3:TestEvent, which the cleanup's Update sweeps) and
 * LiveVersions' FunctionsFingerprint (Globals and the aliased functions: a setting SAM does not hash must still reach
 * the live alias).
 */
final class ResourceFingerprint {
  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ResourceFingerprint() {}

  static String of(Map<String, Object> bucketResource) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(SORTED.writeValueAsString(bucketResource).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 16);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
