package offhours.units;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class IanaZonesTest {

  @Test
  void anIanaZoneJavaKnowsIsTakenRegionIdsIncluded() {
    for (String zone : List.of(
        "Europe/Berlin", "US/Eastern", "UTC", "Etc/UTC", "Etc/GMT+1", "GMT", "Asia/Kolkata")) {
      assertThat(IanaZones.parse("TIME_ZONE", zone)).as(zone).isEqualTo(ZoneId.of(zone));
    }
  }

  /** ZoneId.of reads each as an offset; GMT+1 as an hour east, where POSIX and tzdb's Etc/GMT+1 mean west. */
  @Test
  void aFixedOffsetIsRefusedSayingWhy() {
    for (String offset : List.of("GMT+1", "-5", "+02:00", "UTC+3", "Z", "UT-03:00")) {
      assertThatThrownBy(() -> IanaZones.parse("TIME_ZONE", offset))
          .as(offset)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("TIME_ZONE needs an IANA zone such as Europe/Berlin, got '" + offset
              + "', a fixed offset: it has no summer time, and Java puts GMT+1 an hour east of"
              + " Greenwich where POSIX puts it west; give the zone whose clocks you mean");
    }
  }

  @Test
  void anUnknownNameIsRefusedEscapedAndShortened() {
    assertThatThrownBy(() -> IanaZones.parse("--time-zone", "Europe/Berln\u001b[2J"))
        .hasMessage(
            "--time-zone needs an IANA zone such as Europe/Berlin, got 'Europe/Berln\\x1b[2J'");
    assertThatThrownBy(() -> IanaZones.parse("TIME_ZONE", "CET-1CEST"))
        .hasMessage("TIME_ZONE needs an IANA zone such as Europe/Berlin, got 'CET-1CEST'");
    assertThatThrownBy(() -> IanaZones.parse("TIME_ZONE", "A".repeat(5000)))
        .hasMessage("TIME_ZONE needs an IANA zone such as Europe/Berlin, got '" + "A".repeat(60)
            + "... (5000 characters)'");
    assertThatThrownBy(() -> IanaZones.parse("TIME_ZONE", ""))
        .hasMessage("TIME_ZONE needs an IANA zone such as Europe/Berlin, got ''");
  }
}
