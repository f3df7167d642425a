package offhours.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import offhours.inference.ModelContract;
import offhours.inference.Scores;
import org.junit.jupiter.api.Test;

class ControllerConfigTest {

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Rig.ENV);
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i + 1] == null) {
        env.remove(pairs[i]);
      } else {
        env.put(pairs[i], pairs[i + 1]);
      }
    }
    return env;
  }

  @Test
  void theProbeReadsTheModelWithClassifysSettings() {
    ControllerConfig c = ControllerConfig.fromEnvironment(env(
        "LABELS",
        "cat, dog",
        "CONTENT_TYPE",
        "auto",
        "ACCEPT",
        "application/json;verbose",
        "SCORES",
        "logits"));

    assertThat(c.model())
        .isEqualTo(new ModelContract(
            List.of("cat", "dog"), null, "auto", "application/json;verbose", Scores.LOGITS, null));
    assertThat(ControllerConfig.fromEnvironment(env()).model().contentType())
        .isEqualTo("application/x-image");
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("SCORES", "maybe")))
        .hasMessage("SCORES must be probabilities, logits or auto, got 'maybe'");
  }

  @Test
  void defaultsFollowTheContract() {
    ControllerConfig c = ControllerConfig.fromEnvironment(env());
    assertThat(c.idleStop()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.createTimeout()).isEqualTo(Duration.ofMinutes(45));
    assertThat(c.createBackoff()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.wakeBacklogMessages()).isZero();
    assertThat(c.wakeBacklogAge()).isZero();
    assertThat(c.instanceCount()).isEqualTo(1);
    assertThat(c.dlqUrl()).isEmpty();
    assertThat(c.zone().getId()).isEqualTo("Europe/Berlin");
    assertThat(c.schedule()).hasToString("Mon-Fri 08:00-19:00 Europe/Berlin");
    assertThat(c.logRetentionDays()).isEqualTo(30);
  }

  @Test
  void theContainerLogsRetentionIsOneCloudWatchLogsAcceptsAndOnlyTheControllerReadsIt() {
    assertThat(ControllerConfig.fromEnvironment(env("LOG_RETENTION_DAYS", "7")).logRetentionDays())
        .isEqualTo(7);
    assertThat(
            ControllerConfig.fromEnvironment(env("LOG_RETENTION_DAYS", "3653")).logRetentionDays())
        .isEqualTo(3653);
    for (String refused : List.of(
        "0", "2", "31", "3654", "-1", "30 days", "", "+30", "\uFF13\uFF10", "99999999999")) {
      assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("LOG_RETENTION_DAYS", refused)))
          .as(refused)
          .hasMessage("LOG_RETENTION_DAYS '" + refused + "' is not a retention CloudWatch Logs"
              + " accepts; use one of [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,"
              + " 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] (days)");
    }
    // The API reads the controller's policy, never sets a retention, and ignores the variable.
    assertThat(ControllerConfig.policyFromEnvironment(env("LOG_RETENTION_DAYS", "7"))
            .logRetentionDays())
        .isZero();
  }

  @Test
  void readsEveryVariable() {
    ControllerConfig c = ControllerConfig.fromEnvironment(env(
        "DLQ_URL",
        "http://dlq",
        "HOLIDAYS",
        "2026-12-24",
        "WAKE_BACKLOG_MESSAGES",
        "500",
        "WAKE_BACKLOG_AGE_MINUTES",
        "120",
        "IDLE_STOP_MINUTES",
        "0",
        "CREATE_TIMEOUT_MINUTES",
        "60",
        "DRAIN_TIMEOUT_MINUTES",
        "5",
        "CREATE_BACKOFF_SECONDS",
        "20",
        "INSTANCE_TYPE",
        "ml.g4dn.xlarge",
        "INSTANCE_COUNT",
        "2",
        "INSTANCE_HOURLY_PRICE_USD",
        "0.736"));
    assertThat(c.dlqUrl()).isEqualTo("http://dlq");
    assertThat(c.schedule()).hasToString("Mon-Fri 08:00-19:00 Europe/Berlin except [2026-12-24]");
    assertThat(c.wakeBacklogMessages()).isEqualTo(500);
    assertThat(c.wakeBacklogAge()).isEqualTo(Duration.ofHours(2));
    assertThat(c.idleStop()).isZero();
    assertThat(c.createTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(c.createBackoff()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.drainTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.instanceType()).isEqualTo("ml.g4dn.xlarge");
    assertThat(c.instanceCount()).isEqualTo(2);
    assertThat(c.instanceHourlyPriceUsd()).isEqualTo(0.736);
  }

  @Test
  void emptyWorkingHoursMeanNeverScheduledOn() {
    assertThat(ControllerConfig.fromEnvironment(env("WORKING_HOURS", "")).schedule())
        .hasToString("never Europe/Berlin");
  }

  /**
   * The rule of the template's TimeZone and of local start --time-zone: a fixed offset reads two ways (Java puts GMT+1
   * an hour east, POSIX west), so the controller refuses it as it reads its settings, not at its first decision; the
   * API's policy settings read it the same way.
   */
  @Test
  void aFixedOffsetTimeZoneIsRefusedAtStartNamingTheVariableTheValueAndWhatIsAllowed() {
    for (String offset : List.of("GMT+1", "-5", "+02:00", "UTC+3")) {
      String expected = "TIME_ZONE needs an IANA zone such as Europe/Berlin, got '" + offset
          + "', a fixed offset: it has no summer time, and Java puts GMT+1 an hour east of"
          + " Greenwich where POSIX puts it west; give the zone whose clocks you mean";
      assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("TIME_ZONE", offset)))
          .as(offset)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(expected);
      assertThatThrownBy(() -> ControllerConfig.policyFromEnvironment(env("TIME_ZONE", offset)))
          .as(offset)
          .hasMessage(expected);
    }
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("TIME_ZONE", "GMT+1\u001b[2J")))
        .hasMessageStartingWith(
            "TIME_ZONE needs an IANA zone such as Europe/Berlin, got 'GMT+1\\x1b[2J'");
    for (String zone : List.of("Etc/UTC", "US/Eastern", "UTC", "Etc/GMT+1", "America/New_York")) {
      assertThat(ControllerConfig.fromEnvironment(env("TIME_ZONE", zone)).zone().getId())
          .isEqualTo(zone);
    }
  }

  @Test
  void aLongValueIsQuotedByItsStartAndItsLength() {
    String hours = "Mon-Fri 08:00-19:00; ".repeat(250);
    assertThatThrownBy(
            () -> ControllerConfig.fromEnvironment(env("IDLE_STOP_MINUTES", "9".repeat(5000))))
        .hasMessage("IDLE_STOP_MINUTES must be a whole number from 0 to 10080 in digits 0-9, got '"
            + "9".repeat(60) + "... (5000 characters)'");
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("WORKING_HOURS", hours + "x")))
        .hasMessageStartingWith(
            "WORKING_HOURS '" + hours.substring(0, 60) + "... (5251 characters)': ");
  }

  @Test
  void validationMessagesNameTheVariableTheValueAndWhatIsExpected() {
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("ENDPOINT_NAME", null)))
        .hasMessage("ENDPOINT_NAME is not set; the stack passes it to the controller function");
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("MAPPING_UUID", " ")))
        .hasMessage("MAPPING_UUID is not set; the stack passes it to the controller function");
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("TIME_ZONE", "Europe/Berln")))
        .hasMessage("TIME_ZONE needs an IANA zone such as Europe/Berlin, got 'Europe/Berln'");
    assertThatThrownBy(
            () -> ControllerConfig.fromEnvironment(env("IDLE_STOP_MINUTES", "half an hour")))
        .hasMessage(
            "IDLE_STOP_MINUTES must be a whole number from 0 to 10080 in digits 0-9, got 'half an hour'");
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("CREATE_TIMEOUT_MINUTES", "0")))
        .hasMessage("CREATE_TIMEOUT_MINUTES must be a whole number from 1 to 1440, got 0");
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("INSTANCE_COUNT", "0")))
        .hasMessage("INSTANCE_COUNT must be a whole number from 1 to 1000, got 0");
    assertThatThrownBy(
            () -> ControllerConfig.fromEnvironment(env("INSTANCE_HOURLY_PRICE_USD", "$0.10")))
        .hasMessage(
            "INSTANCE_HOURLY_PRICE_USD must be a number more than 0 and at most 1000000 in digits 0-9 with"
                + " at most one '.' (like 0.115), got '$0.10'");
    // Double.parseDouble's extras, none of which the template writes; and 0, which the
    // template and cost refuse too: no instance-hour is free.
    for (String bad :
        new String[] {"0.1d", "0x1p-3", " 0.115", "Infinity", "NaN", "1e-1", "-0", "0", "0.000"}) {
      assertThatThrownBy(
              () -> ControllerConfig.fromEnvironment(env("INSTANCE_HOURLY_PRICE_USD", bad)))
          .as("'%s'", bad)
          .hasMessage(
              "INSTANCE_HOURLY_PRICE_USD must be a number more than 0 and at most 1000000 in digits 0-9"
                  + " with at most one '.' (like 0.115), got '" + bad + "'");
    }
    assertThat(ControllerConfig.fromEnvironment(env("INSTANCE_HOURLY_PRICE_USD", ""))
            .instanceHourlyPriceUsd())
        .as("unset: the default FunctionVariables gives, as cost assumes for a stack without one")
        .isEqualTo(0.115);
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("WORKING_HOURS", "weekdays")))
        .hasMessageStartingWith("WORKING_HOURS 'weekdays': 'weekdays' is not 'DAYS HH:MM-HH:MM'");
    assertThatThrownBy(() -> ControllerConfig.fromEnvironment(env("HOLIDAYS", "xmas")))
        .hasMessage("HOLIDAYS 'xmas': 'xmas' is not an ISO date like 2026-12-24");
  }
}
