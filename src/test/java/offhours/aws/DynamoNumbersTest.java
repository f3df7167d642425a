package offhours.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoNumbersTest {

  @Test
  void magnitudesBelowWhatDynamoDbStoresAreWrittenAsZero() {
    assertThat(DynamoNumbers.text(3e-140, "p")).isEqualTo("0");
    assertThat(DynamoNumbers.text(-3e-140, "p")).isEqualTo("0");
    assertThat(DynamoNumbers.text(Double.MIN_VALUE, "p")).isEqualTo("0");
    assertThat(DynamoNumbers.text(9.99e-131, "p")).isEqualTo("0");
    assertThat(DynamoNumbers.text(-0.0, "p")).isEqualTo("0");
    assertThat(DynamoNumbers.of(1e-300, "p")).isEqualTo(AttributeValue.fromN("0"));
  }

  @Test
  void numbersDynamoDbStoresAreWrittenAsTheyAre() {
    assertThat(DynamoNumbers.text(1e-130, "p")).isEqualTo("1.0E-130");
    assertThat(DynamoNumbers.text(2.5e-129, "p")).isEqualTo("2.5E-129");
    assertThat(DynamoNumbers.text(0.91, "p")).isEqualTo("0.91");
    assertThat(DynamoNumbers.text(1, "p")).isEqualTo("1.0");
    assertThat(DynamoNumbers.text(0, "p")).isEqualTo("0");
    assertThat(DynamoNumbers.text(-4.2e125, "p")).isEqualTo("-4.2E125");
  }

  @Test
  void numbersDynamoDbHasNoWayToHoldAreRefusedWithWhatTheyAre() {
    assertThatThrownBy(() -> DynamoNumbers.of(Double.NaN, "the score of 'cat'"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the score of 'cat' is NaN, which DynamoDB cannot store");
    assertThatThrownBy(() -> DynamoNumbers.of(Double.POSITIVE_INFINITY, "r"))
        .hasMessageStartingWith("r is Infinity");
    assertThatThrownBy(() -> DynamoNumbers.of(Double.NEGATIVE_INFINITY, "r"))
        .hasMessageStartingWith("r is -Infinity");
    assertThatThrownBy(() -> DynamoNumbers.of(1e126, "r")).hasMessageStartingWith("r is 1.0E126");
    assertThatThrownBy(() -> DynamoNumbers.of(-1e200, "r")).hasMessageStartingWith("r is -1.0E200");
  }
}
