package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class UserZoneTest {

  private static final ZoneId GMT = ZoneId.of("GMT");
  private static final String PARISS = "TZ is 'Europe/Pariss', which is no time zone Java knows, so"
      + " times would be read and the local stack's hours kept in GMT; set TZ to an IANA zone such"
      + " as Europe/Paris, or unset it to use this machine's zone";

  @Test
  void aTzTheJdkFellBackToGmtForIsRefusedNamingIt() {
    // What the JDK does on this machine: TZ=Europe/Pariss java ... gives ZoneId.systemDefault()
    // GMT.
    assertThatThrownBy(() -> UserZone.check("Europe/Pariss", GMT))
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.exitCode()).isEqualTo(1))
        .hasMessage(PARISS);
    assertThatThrownBy(() -> UserZone.check(":Nowhere/Town", GMT))
        .hasMessageStartingWith("TZ is ':Nowhere/Town', which is no time zone Java knows");
  }

  @Test
  void aTzThatNamesAZoneOrNoTzAtAllIsTheJdksZone() {
    assertThat(UserZone.check("GMT", GMT)).isEqualTo(GMT);
    assertThat(UserZone.check(":GMT", GMT)).isEqualTo(GMT);
    assertThat(UserZone.check(null, GMT)).isEqualTo(GMT);
    assertThat(UserZone.check("", GMT)).isEqualTo(GMT);
    ZoneId paris = ZoneId.of("Europe/Paris");
    assertThat(UserZone.check("Europe/Paris", paris)).isEqualTo(paris);
    assertThat(UserZone.check("Europe/Pariss", ZoneId.of("Etc/UTC")))
        .as("a zone the JDK took from elsewhere (-Duser.timezone)")
        .isEqualTo(ZoneId.of("Etc/UTC"));
  }

  @Test
  void theClockTellsTheTimeAndRefusesOnlyWhenAskedForItsZone() {
    Clock clock = UserZone.clock(java.util.Map.of("TZ", "Europe/Pariss"));
    Instant before = Instant.now();

    assertThat(clock.instant()).isAfterOrEqualTo(before);
    assertThat(clock.withZone(ZoneOffset.UTC).getZone()).isEqualTo(ZoneOffset.UTC);
  }
}
