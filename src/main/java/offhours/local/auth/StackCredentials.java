package offhours.local.auth;

import java.security.SecureRandom;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The credentials of one local stack: a random access key id and secret made at start, known only to the user
 * who started it (they are written to the private state file), and required by the local SageMaker and the local
 * Lambda on every request.
 */
public final class StackCredentials {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private StackCredentials() {}

  /** A new pair shaped like AWS's: {@code AKIA} and 16 base-32 characters, and a 40-character secret. */
  public static AwsBasicCredentials generate() {
    StringBuilder id = new StringBuilder("AKIA");
    for (int i = 0; i < 16; i++) {
      id.append(BASE32[RANDOM.nextInt(BASE32.length)]);
    }
    byte[] secret = new byte[30];
    RANDOM.nextBytes(secret);
    return AwsBasicCredentials.create(id.toString(), Base64.getEncoder().encodeToString(secret));
  }
}
