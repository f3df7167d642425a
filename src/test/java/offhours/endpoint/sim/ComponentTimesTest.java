package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ComponentTimesTest {

  @Test
  void fourMinutesReadAsLaunchLoadUnloadAndIdleAndTheDefaultsReadBack() {
    assertThat(ComponentTimes.parse("--component-minutes", "5,2,2,10"))
        .isEqualTo(ComponentTimes.DEFAULTS);
    ComponentTimes t = ComponentTimes.parse("--component-minutes", "4,1.5,.25,0");
    assertThat(t.instanceLaunch()).isEqualTo(Duration.ofMinutes(4));
    assertThat(t.copyLoad()).isEqualTo(Duration.ofSeconds(90));
    assertThat(t.copyUnload()).isEqualTo(Duration.ofSeconds(15));
    assertThat(t.instancesIdle()).isZero();
    assertThat(t.wake()).isEqualTo(Duration.ofSeconds(330));
    assertThat(t.stop()).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void anythingElseIsRefusedNamingTheSettingAndTheFormat() {
    for (String bad : new String[] {"", "5,2,2", "5,2,2,10,1", "5;2;2;10", null}) {
      assertThatThrownBy(() -> ComponentTimes.parse("--component-minutes", bad))
          .as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(
              "is not four minutes LAUNCH,LOAD,UNLOAD,IDLE (an instance's launch, a copy's load"
                  + " and unload, the instance's idle time before it is removed), such as 5,2,2,10");
    }
    for (String bad : new String[] {"-1", "x", "NaN", "2d", "1e1", " 2", "2 ", "10080.5"}) {
      assertThatThrownBy(() -> ComponentTimes.parse("--component-minutes", "5,2," + bad + ",10"))
          .as("'%s'", bad)
          .hasMessageEndingWith(": '" + bad + "' is not minutes from 0 to a week (10080) in digits"
              + " 0-9 with at most one '.' (like 0.115), without blanks");
    }
    assertThat(ComponentTimes.parse("--component-minutes", "5,2,2,10080").instancesIdle())
        .isEqualTo(Duration.ofDays(7));
    assertThatThrownBy(() -> ComponentTimes.parse("--component-minutes", "0,0,2,10"))
        .hasMessageEndingWith(": a wake (launch + load) of 0 minutes is no component AWS runs");
  }
}
