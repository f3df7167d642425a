package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The HTTP API's route throttling stays within what API Gateway can give it: a route's limit above the account's
 * throttle quota per Region cannot take effect, so the template's ApiRateLimit and ApiBurstLimit end at the default
 * quota, 10,000 requests per second with a burst of 5,000
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
 */
class ApiThrottlingTest {

  /** API Gateway's default throttle quota per account and Region, requests per second. */
  private static final int ACCOUNT_RATE = 10_000;

  /** Its default burst (the token bucket's size), which follows the rate quota. */
  private static final int ACCOUNT_BURST = 5_000;

  private final String text;
  private final ParameterConstraints constraints;

  ApiThrottlingTest() throws IOException {
    text = Files.readString(Path.of("template.yaml"));
    constraints = new ParameterConstraints(CloudFormationYaml.parse(text));
  }

  @Test
  void theLimitsEndAtTheAccountsDefaultQuotaAndSayHowToRaiseThem() {
    assertThat(bounds("ApiRateLimit")).containsExactly(1, ACCOUNT_RATE);
    assertThat(bounds("ApiBurstLimit")).containsExactly(1, ACCOUNT_BURST);
    for (String parameter : new String[] {"ApiRateLimit", "ApiBurstLimit"}) {
      assertThat(String.valueOf(declaration(parameter).get("ConstraintDescription")))
          .as(parameter)
          .contains("from 1 to " + bounds(parameter)[1])
          .contains("Service Quotas")
          .contains("raise this bound in template.yaml");
    }
    assertThat(text)
        .as("the template cites the quota page")
        .contains("(https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)");
  }

  /**
   * The least and the most whole number CloudFormation accepts for {@code parameter}, after checking that it accepts
   * every one between them and none in 0..100000 outside them.
   */
  private int[] bounds(String parameter) {
    int[] accepted = IntStream.rangeClosed(0, 100_000)
        .filter(n -> constraints.refusal(parameter, Integer.toString(n)) == null)
        .toArray();
    assertThat(accepted).as(parameter).isNotEmpty();
    int min = accepted[0];
    int max = accepted[accepted.length - 1];
    assertThat(accepted)
        .as("%s accepts every whole number from %d to %d", parameter, min, max)
        .hasSize(max - min + 1);
    return new int[] {min, max};
  }

  private Map<String, Object> declaration(String parameter) {
    return StackResolver.map(constraints.declarations().get(parameter));
  }
}
