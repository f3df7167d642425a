package offhours.aws;

import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;

/**
 * Where the credentials of {@link AwsClients}' factories come from: a function's environment ({@link
 * AwsClients#forLambda}) or the user's chain and profile ({@link AwsClients#forUser}), and, for the command line's
 * message when the chain finds none, which profile it read and why that gave nothing. It builds no client.
 */
public final class CredentialSources {

  private CredentialSources() {}

  /**
   * A function's credentials: its environment variables, or, on a SnapStart version, the local credentials endpoint
   * Lambda announces in {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}.
   */
  static AwsCredentialsProvider lambda(Map<String, String> env) {
    String containerUri = env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    if (containerUri != null && !containerUri.isBlank()) {
      // Reads the URI and AWS_CONTAINER_AUTHORIZATION_TOKEN from the process environment itself.
      return ContainerCredentialsProvider.builder().build();
    }
    return EnvironmentVariableCredentialsProvider.create();
  }

  /** The user's chain, as the AWS CLI reads it (environment, then the profile; {@link UserChain}). */
  static AwsCredentialsProvider user() {
    return markingNone(new UserChain());
  }

  /**
   * {@code chain}, but a failure to give credentials is thrown as an SdkClientException in the SDK's words whose cause
   * is a {@link NoCredentials} (whose own cause is the failure): a failure that type tells apart, where the SDK throws
   * the chain's as a bare SdkClientException, as it throws one of the network. The page of {@code offhours ui} says it
   * as this machine's setup, not as a stack that did not answer. A failure with the network's or TLS's error in its
   * causes ({@link #networkIn}: refreshing credentials a provider gave before, or a role's first STS call, which
   * {@link UserChain} throws as it is) is thrown as it is; a file's (a deleted SSO cache) is not.
   */
  public static AwsCredentialsProvider markingNone(AwsCredentialsProvider chain) {
    return () -> {
      try {
        return chain.resolveCredentials();
      } catch (RuntimeException e) {
        // A chain reuses the provider that gave credentials before, throwing its failure as is;
        // the network's or TLS's, refreshing them, is no missing setup.
        if (networkIn(e)) {
          throw e;
        }
        throw SdkClientException.create(e.getMessage(), new NoCredentials(e));
      }
    };
  }

  /** Whether the network's or TLS's error is among {@code failure}'s causes: a socket's, an unknown host, SSL. */
  static boolean networkIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SocketException
          || t instanceof UnknownHostException
          || t instanceof SocketTimeoutException
          || t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@link NoCredentials} among {@code failure}'s causes, which {@link #markingNone} put there: the user's chain
   * gave no credentials, this machine's setup; empty for any other failure. The one test of it, for the page and the
   * command line alike.
   */
  public static Optional<NoCredentials> noneIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NoCredentials none) {
        return Optional.of(none);
      }
    }
    return Optional.empty();
  }

  /** No credentials from the user's chain: this machine's setup; the chain's failure is its cause. */
  public static final class NoCredentials extends RuntimeException {
    private final String profile;

    NoCredentials(RuntimeException failure) {
      this(userProfile(), failure);
    }

    /** {@code failure}, the chain's, which read {@code profile}. */
    public NoCredentials(String profile, RuntimeException failure) {
      super("no AWS credentials from the chain (profile " + profile + ")", failure);
      this.profile = profile;
    }

    /** The profile the chain read ({@link #userProfile}). */
    public String profile() {
      return profile;
    }
  }

  /** What to do when there are no credentials, {@code shownProfile} the profile's name as the message shows it. */
  public static String help(String shownProfile) {
    return "run 'aws configure', or 'aws sso login --profile " + shownProfile
        + "' (AWS CLI v2) for an IAM Identity Center profile; or set AWS_PROFILE, or AWS_ACCESS_KEY_ID and"
        + " AWS_SECRET_ACCESS_KEY";
  }

  /** The profile the user's chain reads: {@code AWS_PROFILE} (or {@code aws.profile}), else "default". */
  public static String userProfile() {
    return ProfileFileSystemSetting.AWS_PROFILE.getStringValue().orElse("default");
  }

  /**
   * Why {@link #userProfile()} gives no credentials, for the message after the whole chain found none (an expired
   * IAM Identity Center session, a role STS refused); empty when it gives some or is not configured at all. Asks
   * the profile again, so a role is assumed a second time: only for that message.
   */
  public static Optional<String> userProfileProblem() {
    try {
      ProfileFile files = ProfileFile.defaultProfileFile();
      if (files.profile(userProfile()).isEmpty()) {
        return Optional.empty(); // nothing configured: the message says how to configure it
      }
      try (ProfileCredentialsProvider profile = ProfileCredentialsProvider.builder()
          .profileFile(files)
          .profileName(userProfile())
          .build()) {
        profile.resolveCredentials();
        return Optional.empty();
      }
    } catch (RuntimeException e) {
      String reason = String.valueOf(e.getMessage());
      // The SDK appends the parsed files (profile and property names); the reason is before it.
      int files = reason.indexOf(": ProfileFile(");
      return Optional.of(files < 0 ? reason : reason.substring(0, files));
    }
  }
}
