package offhours.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PluralsTest {

  @Test
  void oneTakesTheSingularAndEveryOtherCountThePlural() {
    assertThat(Plurals.of(1, "start")).isEqualTo("1 start");
    assertThat(Plurals.of(2, "start")).isEqualTo("2 starts");
    assertThat(Plurals.of(0, "day")).as("none is plural in English").isEqualTo("0 days");
    assertThat(Plurals.of(7, "day")).isEqualTo("7 days");
    assertThat(Plurals.of(1, "cold start")).isEqualTo("1 cold start");
  }

  @Test
  void anIrregularNounSaysBothForms() {
    assertThat(Plurals.of(1, "launch", "launches")).isEqualTo("1 launch");
    assertThat(Plurals.of(45, "launch", "launches")).isEqualTo("45 launches");
  }

  @Test
  void choicesAreSaidWithCommasAndOneOr() {
    assertThat(Plurals.either(List.of(".png"))).isEqualTo(".png");
    assertThat(Plurals.either(List.of("on", "off"))).isEqualTo("on or off");
    assertThat(Plurals.either(List.of(".jpg", ".jpeg", ".png"))).isEqualTo(".jpg, .jpeg or .png");
    assertThatThrownBy(() -> Plurals.either(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aListOfNamesIsSaidWithCommasAndOneAnd() {
    assertThat(Plurals.all(List.of("days"))).isEqualTo("days");
    assertThat(Plurals.all(List.of("key", "bytes"))).isEqualTo("key and bytes");
    assertThat(Plurals.all(List.of("limit", "label", "key"))).isEqualTo("limit, label and key");
    assertThatThrownBy(() -> Plurals.all(List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
