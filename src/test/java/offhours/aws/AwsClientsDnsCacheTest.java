package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Security;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * AWS advises SnapStart functions against the JVM's own DNS cache (30 s by default): an address cached during init
 * would be reused after a restore (https://docs.aws.amazon.com/lambda/latest/dg/snapstart-best-practices.html).
 */
class AwsClientsDnsCacheTest {

  @Test
  void aFunctionsClientsAreBuiltWithTheJvmDnsCacheOff() {
    try (AwsClients clients = AwsClients.forLambda(Map.of("AWS_REGION", "eu-central-1"))) {
      assertThat(Security.getProperty(AwsClients.JVM_DNS_CACHE_TTL))
          .as("networkaddress.cache.ttl")
          .isEqualTo("0");
      assertThat(AwsClients.JVM_DNS_CACHE_TTL).isEqualTo("networkaddress.cache.ttl");
    }
  }
}
