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

  /** A serverless endpoint takes 4 MiB, the others InvokeEndpoint's 6,291,456 bytes (ImageLimitTemplateTest). */
  @Test
  void eachHostingsImageLimitIsItsEndpoints() {
    assertThat(Hosting.SCHEDULED.maxImageBytes()).isEqualTo(6_291_456);
    assertThat(Hosting.SCALE_TO_ZERO.maxImageBytes()).isEqualTo(6_291_456);
    assertThat(Hosting.SERVERLESS.maxImageBytes()).isEqualTo(4_194_304);
  }
}
