package offhours.aws;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.utils.Lazy;

/**
 * The user's credentials chain: the providers of the SDK's DefaultCredentialsProvider (2.40.2), in its order, made on
 * first use as it makes them, and, as its chain does, the provider that gave credentials asked alone from then on,
 * its failure thrown as it is. Where it differs: the SDK's chain, when every provider fails, throws one exception that
 * keeps their words and none of their exceptions, so a role profile whose STS call met a network down (refused, no
 * address, a timeout, TLS) read as no credentials. This one throws that provider's failure as it is, the network's
 * error in its causes, and otherwise the chain's failure in the SDK's words with each provider's as suppressed. The
 * instance metadata service's failure is never such a one: off EC2 its address never answers.
 */
final class UserChain implements AwsCredentialsProvider {

  private final Lazy<List<AwsCredentialsProvider>> providers;
  private volatile AwsCredentialsProvider last;

  UserChain() {
    this(new Lazy<>(UserChain::defaults));
  }

  /** A chain of {@code providers}, asked in their order. */
  UserChain(List<AwsCredentialsProvider> providers) {
    this(new Lazy<>(() -> List.copyOf(providers)));
  }

  private UserChain(Lazy<List<AwsCredentialsProvider>> providers) {
    this.providers = providers;
  }

  /** DefaultCredentialsProvider's providers, as its builder makes them by default. */
  private static List<AwsCredentialsProvider> defaults() {
    return List.of(
        SystemPropertyCredentialsProvider.create(),
        EnvironmentVariableCredentialsProvider.create(),
        WebIdentityTokenFileCredentialsProvider.create(),
        ProfileCredentialsProvider.create(),
        ContainerCredentialsProvider.builder().build(),
        InstanceProfileCredentialsProvider.create());
  }

  @Override
  public AwsCredentials resolveCredentials() {
    AwsCredentialsProvider reused = last;
    if (reused != null) {
      return reused.resolveCredentials();
    }
    List<RuntimeException> failures = new ArrayList<>();
    for (AwsCredentialsProvider provider : providers.getValue()) {
      try {
        AwsCredentials credentials = provider.resolveCredentials();
        last = provider;
        return credentials;
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    for (int i = 0; i < failures.size(); i++) {
      // The instance metadata service is the chain's last resort, asked on any machine: away
      // from EC2 its address does not answer (refused, unreachable, a timeout), which is no
      // credentials, not a network down.
      boolean lastResort =
          providers.getValue().get(i) instanceof InstanceProfileCredentialsProvider;
      if (!lastResort && CredentialSources.networkIn(failures.get(i))) {
        throw failures.get(i);
      }
    }
    List<String> words = new ArrayList<>();
    for (int i = 0; i < failures.size(); i++) {
      words.add(providers.getValue().get(i) + ": " + failures.get(i).getMessage());
    }
    SdkClientException none = SdkClientException.create(
        "Unable to load credentials from any of the providers in the chain " + this + " : "
            + words);
    failures.forEach(none::addSuppressed);
    throw none;
  }

  @Override
  public String toString() {
    return "UserChain(credentialsProviders=" + providers.getValue() + ")";
  }
}
