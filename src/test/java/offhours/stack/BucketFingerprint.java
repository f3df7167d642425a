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
 * What template.yaml's EndpointCleanup ImagesBucketFingerprint must be: the first 16 hex digits of the SHA-256 of the
 * ImagesBucket resource as parsed (intrinsics in their long form), written as JSON with sorted keys. Any change of that
 * resource changes it, so that a stack update that may put the bucket's notification configuration again (and S3 sends
 * a new s3:TestEvent) updates the cleanup resource too, whose Update sweeps it.
 */
final class BucketFingerprint {
  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private BucketFingerprint() {}

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
