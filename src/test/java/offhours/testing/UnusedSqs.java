package offhours.testing;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An SQS client for a local Lambda that is given no event source mapping, so it never polls: it points at a port
 * nothing listens on, and any call it made would fail at once.
 */
public final class UnusedSqs {

  private UnusedSqs() {}

  public static SqsClient client() {
    return SqsClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(URI.create("http://127.0.0.1:1"))
        .credentialsProvider(() -> AwsBasicCredentials.create("unused", "unused"))
        .build();
  }
}
