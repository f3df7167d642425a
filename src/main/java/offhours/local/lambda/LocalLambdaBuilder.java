package offhours.local.lambda;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import offhours.local.auth.StackCredentials;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Settings of a local Lambda; the defaults suit tests and the local stack. */
public final class LocalLambdaBuilder {
  final SqsClient sqs;
  String region = "us-east-1";
  String accountId = "123456789012";
  Duration transitionDelay = Duration.ofMillis(500);

  /**
   * The longest single ReceiveMessage wait (SQS long polling): 1 s, so disabling a mapping stops receiving within about
   * a second.
   */
  final Duration pollWait = Duration.ofSeconds(1);

  /** Batches in flight per mapping when its ScalingConfig sets no MaximumConcurrency. */
  final int defaultConcurrency = 2;

  /** The clock for LastModified. */
  final Clock clock = Clock.systemUTC();

  LambdaApiSocket api;
  AwsBasicCredentials credentials = StackCredentials.generate();

  LocalLambdaBuilder(SqsClient sqs) {
    this.sqs = Objects.requireNonNull(sqs, "sqs");
  }

  /**
   * The credentials every API request must be signed with; default a new random pair, see {@link
   * LocalLambda#credentials()}.
   */
  public LocalLambdaBuilder credentials(AwsBasicCredentials credentials) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    return this;
  }

  /** The region in ARNs and in each record's {@code awsRegion}; default us-east-1. */
  public LocalLambdaBuilder region(String region) {
    this.region = Objects.requireNonNull(region, "region");
    return this;
  }

  /** The account in ARNs; default 123456789012 (moto's). */
  public LocalLambdaBuilder accountId(String accountId) {
    if (!accountId.matches("\\d{12}")) {
      throw new IllegalArgumentException("account id must be 12 digits; got " + accountId);
    }
    this.accountId = accountId;
    return this;
  }

  /** How long Creating, Enabling, Disabling, Updating and Deleting last at least; default 500 ms. */
  public LocalLambdaBuilder transitionDelay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("transition delay must not be negative; got " + delay);
    }
    this.transitionDelay = delay;
    return this;
  }

  /** Serves the API on {@code api}, bound beforehand ({@link LambdaApiSocket#bind}), not on a port of its own. */
  public LocalLambdaBuilder api(LambdaApiSocket api) {
    this.api = Objects.requireNonNull(api, "api");
    return this;
  }

  /** Opens the API on the socket given to {@link #api}, else on a free loopback port. */
  public LocalLambda start() {
    return new LocalLambda(this);
  }
}
