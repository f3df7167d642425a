// Needs only the JDK the tests run on: one JVM per TZ, started as a user's shell starts one.
package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What {@link UserZoneTest} takes the JDK to make of each TZ, from the JDK itself. */
class UserZoneIT {

  private static final ZoneId UTC = ZoneId.of("UTC");

  /** Prints the zone the JDK took from TZ. */
  public static final class Child {
    public static void main(String[] args) {
      System.out.print(ZoneId.systemDefault().getId());
    }
  }

  /**
   * What UserZoneTest takes the JDK to give for each TZ, from the JDK itself.
   */
  @Test
  void theJdkReadsEachAcceptedFormAsItsZoneOrGmtAndEachRefusedOneAsAnOffset() throws Exception {
    Map<String, ZoneId> expected = new LinkedHashMap<>();
    UserZoneTest.ZERO_OFFSETS.forEach(tz -> expected.put(tz, UTC));
    List.of("UTC", "Etc/UTC", "GMT", "GMT0", ":UTC", "Europe/Paris")
        .forEach(tz -> expected.put(tz, ZoneId.of(tz.replace(":", ""))));
    Map<String, String> refused =
        Map.of("Europe/Pariss", "GMT", "CET-1CEST", "GMT+", "GMT+1", "GMT+01:00", "WET0", "GMT");
    Map<String, String> jdk = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(expected.keySet());
    all.addAll(refused.keySet());
    for (String tz : all) {
      jdk.put(tz, jdkZone(tz));
    }

    expected.forEach((tz, zone) -> assertThat(UserZone.check(tz, ZoneId.of(jdk.get(tz))))
        .as("TZ=%s, which the JDK reads as %s", tz, jdk.get(tz))
        .isEqualTo(zone));
    refused.forEach((tz, jdkReads) -> {
      assertThat(jdk.get(tz)).as("the JDK's zone for TZ=%s", tz).startsWith(jdkReads);
      assertThatThrownBy(() -> UserZone.check(tz, ZoneId.of(jdk.get(tz))))
          .as("TZ=%s", tz)
          .hasMessageStartingWith("TZ is '" + tz + "', which ");
    });
  }

  private static String jdkZone(String tz) throws IOException, InterruptedException {
    ProcessBuilder child = new ProcessBuilder(
        ProcessHandle.current().info().command().orElse("java"),
        "-Xshare:auto",
        "-XX:TieredStopAtLevel=1",
        "-cp",
        System.getProperty("java.class.path"),
        Child.class.getName());
    child.environment().put("TZ", tz);
    child.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = child.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS))
        .as("the JVM for TZ=%s ended", tz)
        .isTrue();
    return new String(out, StandardCharsets.UTF_8).strip();
  }
}
