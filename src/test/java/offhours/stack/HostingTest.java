package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostingTest {

  @Test
  void readsTheTemplatesSpellings() {
    assertThat(Hosting.parse("scheduled")).isEqualTo(Hosting.SCHEDULED);
    assertThat(Hosting.parse("scale-to-zero")).isEqualTo(Hosting.SCALE_TO_ZERO);
    assertThat(Hosting.parse("serverless")).isEqualTo(Hosting.SERVERLESS);
  }

  @Test
  void refusesAnyOtherSpellingAndSaysWhatItTakes() {
    assertThatThrownBy(() -> Hosting.parse("Serverless"))
        .hasMessage(
            "HOSTING must be one of scheduled, scale-to-zero or serverless, got 'Serverless'");
    assertThatThrownBy(() -> Hosting.parse("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hosting.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
