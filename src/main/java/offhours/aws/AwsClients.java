package offhours.aws;

import java.net.URI;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import offhours.inference.Jitter;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The one place that builds AWS clients. Every client shares one UrlConnection HTTP client (Apache and Netty are
 * excluded from the build), but a streamed read's ({@link #buildForStreamedReads}), one region and one credentials
 * provider; local mode adds an endpoint per service. Each retries as the SDK does for its service, its pauses drawn
 * from {@link Jitter} so that SnapStart environments restored from one snapshot do not retry in lockstep.
 *
 * <p>Callers name the service next to the builder, so this class never references a service's client
 * type: the Classify function can use it without carrying the SageMaker control-plane SDK.
 */
public final class AwsClients implements AutoCloseable {

  /** The services offhours talks to; the key for a local endpoint override. */
  public enum Service {
    S3(false),
    SQS(true),
    /** The SDK's DynamoDB client retries sooner and longer than the others: 9 attempts from a 25 ms base. */
    DYNAMODB(true, Duration.ofMillis(25)),
    SAGEMAKER(true),
    SAGEMAKER_RUNTIME(false),
    LAMBDA(false),
    CLOUDFORMATION(true),
    LOGS(true),
    /** The command line's quota check only ({@code offhours quotas}); no function calls it. */
    SERVICE_QUOTAS(true);

    private final boolean bounded;
    private final Duration retryBaseDelay;

    Service(boolean bounded) {
      this(bounded, Duration.ofMillis(100));
    }

    Service(boolean bounded, Duration retryBaseDelay) {
      this.bounded = bounded;
      this.retryBaseDelay = retryBaseDelay;
    }

    /**
     * The pause the SDK's own retry strategy for this service grows from between ordinary retries (every retry mode's
     * 100 ms; DynamoDB's own 25 ms), which {@link #build} keeps when it replaces the strategy's random source.
     */
    private Duration retryBaseDelay() {
      return retryBaseDelay;
    }

    /**
     * Whether its calls are small requests that answer in well under a second, so a stalled one is cut by
     * {@link #ATTEMPT_TIMEOUT} and {@link #CALL_TIMEOUT}. Not S3 (an object's body streams for as long as it takes),
     * SageMaker Runtime (the model may take its full 60 s) nor Lambda (Invoke waits for the function: the command
     * line asks the controller, which may run its whole Timeout, and a retried Invoke would run it twice).
     */
    private boolean bounded() {
      return bounded;
    }
  }

  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(70);

  /**
   * One attempt of a bounded call: a stalled connection is retried after this instead of holding the controller (its
   * Timeout, {@link offhours.stack.StackSpec#CONTROLLER_TIMEOUT_SECONDS}) on the {@link #SOCKET_TIMEOUT}. Longer than
   * SQS's longest long poll, 20 s
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html).
   */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(25);

  /** A bounded call with its retries: it fails inside the controller's Timeout, which the next run recovers from. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(50);

  /** Where a bounded call is cut: each attempt, and the whole call with its retries. */
  private record CallCuts(Duration attempt, Duration call) {}

  /** The bounded calls' cuts of every factory but a view made by {@link #cutSooner}. */
  private static final CallCuts CUTS = new CallCuts(ATTEMPT_TIMEOUT, CALL_TIMEOUT);

  private final SdkHttpClient http;
  private final Region region;
  private final AwsCredentialsProvider credentials;
  private final Map<Service, URI> endpoints;
  private final List<ExecutionInterceptor> interceptors;
  /** False for a view that shares another factory's HTTP client ({@link #sharing}): that one closes it. */
  private final boolean ownsHttp;
  /** Given each client as it is built ({@link #keptBy}); null for every factory but the local Lambda's. */
  private final Consumer<AutoCloseable> keeper;
  /** Where bounded calls are cut: {@link #CUTS} but in a view made by {@link #cutSooner}. */
  private final CallCuts cuts;

  private AwsClients(
      Region region, AwsCredentialsProvider credentials, Map<Service, URI> endpoints) {
    this(region, credentials, endpoints, List.of());
  }

  private AwsClients(
      Region region,
      AwsCredentialsProvider credentials,
      Map<Service, URI> endpoints,
      List<ExecutionInterceptor> interceptors) {
    // InvokeEndpoint may take the model's full 60 s, which the default 30 s read
    // timeout would cut short
    // (https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-test-endpoints.html).
    this(
        UrlConnectionHttpClient.builder().socketTimeout(SOCKET_TIMEOUT).build(),
        true,
        region,
        credentials,
        endpoints,
        interceptors,
        null,
        CUTS);
  }

  private AwsClients(
      SdkHttpClient http,
      boolean ownsHttp,
      Region region,
      AwsCredentialsProvider credentials,
      Map<Service, URI> endpoints,
      List<ExecutionInterceptor> interceptors,
      Consumer<AutoCloseable> keeper,
      CallCuts cuts) {
    this.http = http;
    this.ownsHttp = ownsHttp;
    this.keeper = keeper;
    this.cuts = cuts;
    this.region = Objects.requireNonNull(region, "region");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.endpoints = endpoints.isEmpty() ? Map.of() : new EnumMap<>(endpoints);
    this.interceptors = List.copyOf(interceptors);
  }

  /**
   * Inside a Lambda function: region from {@code AWS_REGION}; credentials from the function's environment
   * variables (the fastest provider at cold start), or, on a SnapStart version, from the local credentials
   * endpoint Lambda announces in {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}: SnapStart functions get no
   * {@code AWS_ACCESS_KEY_ID} (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-activate.html).
   */
  public static AwsClients forLambda(Map<String, String> env) {
    String region = env.get("AWS_REGION");
    if (region == null || region.isBlank()) {
      throw new IllegalStateException("AWS_REGION is not set; Lambda sets it for every function");
    }
    withoutJvmDnsCache();
    return new AwsClients(Region.of(region), CredentialSources.lambda(env), Map.of());
  }

  static final String JVM_DNS_CACHE_TTL = "networkaddress.cache.ttl";

  /**
   * Turns off the JVM's own cache of host name lookups (30 s by default), before a function's first lookup: Lambda
   * caches DNS answers itself, and under SnapStart an address the JVM cached during init would be reused after a
   * restore, where AWS warns of connection timeouts; AWS's advice is to set networkaddress.cache.ttl to 0
   * (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html#snapstart-networking). The JVM reads
   * it once, at its first lookup.
   */
  private static void withoutJvmDnsCache() {
    Security.setProperty(JVM_DNS_CACHE_TTL, "0");
  }

  /**
   * On a user's machine against a deployed stack in {@code region}: credentials from the usual chain, as the AWS CLI
   * finds them (environment, then the profile: static keys, a role to assume with {@code role_arn}, an IAM Identity
   * Center session with {@code sso_session}, a {@code credential_process}). The STS, SSO and SSO-OIDC modules that
   * the last ones need are on the command line's class path, never in a function's package.
   */
  public static AwsClients forUser(Region region) {
    return new AwsClients(region, CredentialSources.user(), Map.of());
  }

  /** Against moto_server alone: it accepts any credentials, so these are dummies. */
  public static AwsClients local(Region region, Map<Service, URI> endpoints) {
    return local(region, AwsBasicCredentials.create("offhours", "offhours"), endpoints);
  }

  /**
   * Against local, protocol-compatible services, signing with {@code credentials}: the local SageMaker and the local
   * Lambda accept only their stack's own.
   */
  public static AwsClients local(
      Region region, AwsCredentials credentials, Map<Service, URI> endpoints) {
    return new AwsClients(region, StaticCredentialsProvider.create(credentials), endpoints);
  }

  /**
   * The same region, credentials and endpoints, with {@code interceptor} added to every client built from the result
   * (which has its own HTTP client; close both). Tests record each SDK call with it, e.g. the permission test that
   * checks every call a function makes against its role, and the local Lambda refuses the calls of an execution
   * environment it ended. The Lambda factories never add one, so a deployed function pays nothing for the hook.
   */
  public AwsClients withInterceptor(ExecutionInterceptor interceptor) {
    List<ExecutionInterceptor> all = new ArrayList<>(interceptors);
    all.add(Objects.requireNonNull(interceptor, "interceptor"));
    return new AwsClients(region, credentials, endpoints, all);
  }

  /**
   * As {@link #withInterceptor}, on this factory's own HTTP client (one per function, as for the others): a function's
   * own hook, such as the controller's run deadline. Closing the result closes nothing; close this factory.
   */
  public AwsClients sharing(ExecutionInterceptor interceptor) {
    List<ExecutionInterceptor> all = new ArrayList<>(interceptors);
    all.add(Objects.requireNonNull(interceptor, "interceptor"));
    return view(all, keeper, cuts);
  }

  /**
   * This factory, on its HTTP client (close this one, not the result), with every bounded call cut sooner: each
   * attempt at {@code attempt} and the call, retries and all, at {@code call}, instead of {@link #ATTEMPT_TIMEOUT} and
   * {@link #CALL_TIMEOUT}. For the page of {@code offhours ui}, which must say within seconds that the stack does not
   * answer; the calls that are not bounded (an S3 object's body, Invoke) stay as they are. No function uses it.
   */
  public AwsClients cutSooner(Duration attempt, Duration call) {
    if (attempt.isNegative()
        || attempt.isZero()
        || call.compareTo(attempt) < 0
        || call.compareTo(CALL_TIMEOUT) > 0) {
      throw new IllegalArgumentException("cuts of " + attempt + " an attempt and " + call
          + " a call: an attempt must be positive and at most the call, the call at most "
          + CALL_TIMEOUT);
    }
    return view(interceptors, keeper, new CallCuts(attempt, call));
  }

  /**
   * This factory, on its HTTP client (close this one, not the result), handing each client built from the result, or
   * from a view of it ({@link #sharing}), to {@code keeper} once built: the local Lambda's execution environment keeps
   * them to close when it ends, whether the function's init built them or its handler did (the controller builds its
   * own, through the view of its run deadline). The Lambda factories never set one.
   */
  public AwsClients keptBy(Consumer<AutoCloseable> keeper) {
    return view(interceptors, Objects.requireNonNull(keeper, "keeper"), cuts);
  }

  /** A factory on this one's HTTP client (closing it closes nothing) and its region, credentials and endpoints. */
  private AwsClients view(
      List<ExecutionInterceptor> interceptors, Consumer<AutoCloseable> keeper, CallCuts cuts) {
    return new AwsClients(http, false, region, credentials, endpoints, interceptors, keeper, cuts);
  }

  public Region region() {
    return region;
  }

  /** Builds a client of {@code service} from its builder, e.g. {@code build(Service.S3, S3Client.builder())}. */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
      Service service, B builder) {
    return build(service, builder, service.bounded());
  }

  /**
   * As {@link #build}, its calls cut as a bounded service's are ({@link #ATTEMPT_TIMEOUT}, {@link #CALL_TIMEOUT})
   * whatever the service: for a client that only makes small control calls of a service whose other calls may take
   * long. Lambda's Invoke waits for the function, so {@link Service#LAMBDA} is not bounded; GetEventSourceMapping and
   * UpdateEventSourceMapping, which the controller and the stack-delete cleanup make, and the live-versions resource's
   * version and alias calls are small requests (a PublishVersion tried again publishes nothing new: Lambda publishes
   * only when the code or configuration changed since the last version). Without a timeout a stalled one waits out
   * the {@link #SOCKET_TIMEOUT}, and the SDK tries it again: the controller's run loses its minute to it, and the
   * cleanup, which pauses the trigger before it waits for the endpoint, would answer CloudFormation after its
   * function's Timeout, that is never.
   */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C buildForControlCalls(
      Service service, B builder) {
    return build(service, builder, true);
  }

  /**
   * As {@link #buildForControlCalls}, on an HTTP client of the client's own (closed with it) whose every read of the
   * socket fails once no byte has come for {@code silence}: for small reads whose body streams, as a thumbnail's
   * GetObject does. The call's cuts end when it returns the body's stream, before a byte of it is read: a body that
   * stops part-way would hold its reader for the {@link #SOCKET_TIMEOUT}, 70 s, whatever the cuts (and the stream's
   * abort waits for that read too). Only a silent socket is cut: a body that keeps coming, however slowly, is read
   * whole.
   */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C buildForStreamedReads(
      Service service, B builder, Duration silence) {
    if (silence.isNegative() || silence.isZero() || silence.compareTo(SOCKET_TIMEOUT) > 0) {
      throw new IllegalArgumentException("a streamed read cut after " + silence
          + " of silence: it must be positive and at most the socket's " + SOCKET_TIMEOUT);
    }
    builder.httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(silence));
    return build(service, builder, true, false);
  }

  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
      Service service, B builder, boolean bounded) {
    return build(service, builder, bounded, true);
  }

  /** {@code sharedHttp} false: the builder was given an HTTP client's builder of its own, which the client closes. */
  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(
      Service service, B builder, boolean bounded, boolean sharedHttp) {
    if (sharedHttp) {
      builder.httpClient(http);
    }
    builder.region(region).credentialsProvider(credentials);
    if (bounded) {
      builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
          .apiCallAttemptTimeout(cuts.attempt())
          .apiCallTimeout(cuts.call())
          .build());
    }
    if (!interceptors.isEmpty()) {
      // Added to what the caller configured (a retry strategy, say), not in its place.
      builder.overrideConfiguration(builder.overrideConfiguration().toBuilder()
          .applyMutation(c -> interceptors.forEach(c::addExecutionInterceptor))
          .build());
    }
    if (noRetriesConfigured(builder.overrideConfiguration())) {
      // The SDK's backoffs draw from ThreadLocalRandom, whose state a SnapStart snapshot copies
      // into every environment restored from it
      // (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-uniqueness.html). A plugin sees
      // the strategy the SDK resolved for this service (DynamoDB's own attempts included);
      // retryStrategy(Consumer) would mutate the generic one instead and lose them.
      Duration base = service.retryBaseDelay();
      builder.addPlugin(config -> config.overrideConfiguration(c -> {
        if (c.retryStrategy() != null) {
          c.retryStrategy(Jitter.drawnPerEnvironment(c.retryStrategy(), base));
        }
      }));
    }
    URI endpoint = endpoints.get(service);
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    C client = builder.build();
    if (keeper != null && client instanceof AutoCloseable closeable) {
      keeper.accept(closeable);
    }
    return client;
  }

  /** Whether the caller left retries to the SDK's defaults; a caller's own choice (Jitter's, say) stands. */
  private static boolean noRetriesConfigured(ClientOverrideConfiguration c) {
    return c.retryStrategy().isEmpty()
        && c.retryMode().isEmpty()
        && c.retryStrategyConfigurator().isEmpty()
        && c.retryPolicy().isEmpty();
  }

  /**
   * A client of {@code service} that is built, as {@link #build} builds it, only when {@code get()} is first called,
   * once whichever thread asks first. For a client that a function's first invocation usually does not use: its
   * construction (tens of milliseconds of class loading and configuration, more on the first client of a JVM) then
   * stays out of a cold start that does not need it.
   */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C>
      Supplier<C> buildOnFirstUse(Service service, Supplier<B> builder) {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(builder, "builder");
    return new Supplier<>() {
      private volatile C client;

      @Override
      public C get() {
        C built = client;
        if (built == null) {
          synchronized (this) {
            built = client;
            if (built == null) {
              built = build(service, builder.get());
              client = built;
            }
          }
        }
        return built;
      }
    };
  }

  @Override
  public void close() {
    if (ownsHttp) {
      http.close();
    }
  }
}
