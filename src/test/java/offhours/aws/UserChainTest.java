package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The user's chain asks its providers as the SDK's does, and keeps what each failed with. */
class UserChainTest {

  private final List<String> asked = new ArrayList<>();

  @Test
  void theProviderThatGaveCredentialsIsAskedAloneFromThenOn() {
    UserChain chain = new UserChain(List.of(failing("env", "no keys"), giving("profile")));

    assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("profile");
    assertThat(chain.resolveCredentials().accessKeyId()).isEqualTo("profile");
    assertThat(asked).containsExactly("env", "profile", "profile");
  }

  @Test
  void noProviderGivingAnyIsTheChainsFailureWithEachProvidersKept() {
    SdkClientException noKeys = SdkClientException.create("no keys");
    SdkClientException noProfile = SdkClientException.create("profile file not found");
    UserChain chain = new UserChain(List.of(
        () -> {
          throw noKeys;
        },
        () -> {
          throw noProfile;
        }));

    Throwable failure = catchThrowable(chain::resolveCredentials);

    assertThat(failure)
        .isInstanceOf(SdkClientException.class)
        .hasMessageStartingWith("Unable to load credentials from any of the providers in the chain")
        .hasMessageContaining("no keys")
        .hasMessageContaining("profile file not found");
    assertThat(failure.getSuppressed()).containsExactly(noKeys, noProfile);
  }

  @Test
  void aProviderThatMetTheNetworkIsThrownAsItIsNotAsNoCredentials() {
    SdkClientException unreachable = SdkClientException.create(
        "Received an UnknownHostException",
        new UnknownHostException("sts.eu-central-1.amazonaws.com"));
    UserChain chain = new UserChain(List.of(failing("env", "no keys"), () -> {
      throw unreachable;
    }));

    Throwable failure = catchThrowable(CredentialSources.markingNone(chain)::resolveCredentials);

    assertThat(failure).isSameAs(unreachable);
    assertThat(CredentialSources.noneIn(failure)).isEmpty();
  }

  @Test
  void theInstanceMetadataServiceNotAnsweringOffEc2IsStillNoCredentials() {
    // A laptop with no credentials: every provider fails, the last resort on the network (nothing
    // listens at its address), and that must not hide "no credentials".
    AwsCredentialsProvider imds = InstanceProfileCredentialsProvider.builder()
        .endpoint("http://127.0.0.1:" + closedPort())
        .build();
    UserChain chain = new UserChain(List.of(failing("env", "no keys"), imds));

    Throwable failure = catchThrowable(CredentialSources.markingNone(chain)::resolveCredentials);

    assertThat(CredentialSources.noneIn(failure)).isPresent();
    Throwable[] kept =
        CredentialSources.noneIn(failure).orElseThrow().getCause().getSuppressed();
    assertThat(kept).hasSize(2);
    assertThat(CredentialSources.networkIn(kept[1])).isTrue();
  }

  @Test
  void itsProvidersAreTheSdkDefaultChainsInItsOrder() {
    // UserChain copies the providers of the SDK's DefaultCredentialsProvider: a new SDK whose
    // default chain asks another provider, or in another order, must fail here, not go unseen. Both
    // chains name their providers once made, which a first ask does (without the instance metadata
    // service, which off EC2 takes its timeout).
    System.setProperty("aws.disableEc2Metadata", "true");
    try {
      DefaultCredentialsProvider sdk = DefaultCredentialsProvider.builder().build();
      UserChain ours = new UserChain();
      catchThrowable(sdk::resolveCredentials);
      catchThrowable(ours::resolveCredentials);

      assertThat(providers(ours.toString()))
          .startsWith("[SystemPropertyCredentialsProvider(")
          .isEqualTo(providers(sdk.toString()));
    } finally {
      System.clearProperty("aws.disableEc2Metadata");
    }
  }

  /** The list of providers a chain's toString names: from its '[' to its last ']'. */
  private static String providers(String chain) {
    String from =
        chain.substring(chain.indexOf("credentialsProviders=[") + "credentialsProviders=".length());
    return from.substring(0, from.lastIndexOf(']') + 1);
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private AwsCredentialsProvider failing(String name, String why) {
    return () -> {
      asked.add(name);
      throw SdkClientException.create(why);
    };
  }

  private AwsCredentialsProvider giving(String name) {
    return () -> {
      asked.add(name);
      return AwsBasicCredentials.create(name, "secret");
    };
  }
}
