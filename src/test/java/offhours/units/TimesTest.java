package offhours.units;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimesTest {

  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void anInstantIsItsDateAndTimeOfDayInTheNamedZone() {
    assertThat(Times.at(Instant.parse("2026-11-25T22:00:00Z"), BERLIN))
        .isEqualTo("2026-11-25 23:00 Europe/Berlin");
    assertThat(Times.at(Instant.parse("2026-07-01T22:30:59.9Z"), BERLIN))
        .as("summer time, to the minute as the controller's reasons say times")
        .isEqualTo("2026-07-02 00:30 Europe/Berlin");
    assertThat(Times.at(Instant.parse("2026-11-25T22:00:00Z"), ZoneOffset.UTC))
        .isEqualTo("2026-11-25 22:00 UTC");
  }

  @Test
  void everyIsoInstantInATextIsSaidTheSameWay() {
    assertThat(Times.inText(
            "timer for 2026-11-25T09:39:40.123456789Z, then 2026-11-25T10:00Z; 2026-11-25 is a date",
            BERLIN))
        .isEqualTo("timer for 2026-11-25 10:39 Europe/Berlin, then 2026-11-25 11:00 Europe/Berlin;"
            + " 2026-11-25 is a date");
    assertThat(Times.inText("no time $1 here", BERLIN)).isEqualTo("no time $1 here");
  }
}
