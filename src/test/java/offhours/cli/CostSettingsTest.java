package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import offhours.endpoint.LedgerPrices;
import offhours.endpoint.ServerlessUsage;
import offhours.local.StateFile;
import offhours.stack.Hosting;
import org.junit.jupiter.api.Test;

/**
 * {@code cost} prices a deployed stack's ledger as its controller and its API's /status do: with the stack's
 * parameters, not the template's defaults and this machine's zone; a flag still wins.
 */
class CostSettingsTest {

  private static final ZoneId MACHINE = ZoneId.of("America/New_York");

  /** A deployed stack's parameters, as DescribeStacks returns them. */
  private static final Map<String, String> PARAMETERS = Map.of(
      "InstanceType", "ml.g4dn.xlarge",
      "InstanceCount", "3",
      "InstanceHourlyPriceUsd", "0.7364",
      "TimeZone", "Asia/Tokyo",
      "WorkingHours", "Mon-Fri 09:00-18:00",
      "MaxWaitMinutes", "30",
      "Hosting", "scheduled",
      "ModelDataUrl", "s3://models/model.tar.gz");

  @Test
  void theStacksParametersBecomeTheControllersSettings() {
    assertThat(Targets.settingsFromParameters(PARAMETERS))
        .containsOnly(
            Map.entry("INSTANCE_TYPE", "ml.g4dn.xlarge"),
            Map.entry("INSTANCE_COUNT", "3"),
            Map.entry("INSTANCE_HOURLY_PRICE_USD", "0.7364"),
            Map.entry("TIME_ZONE", "Asia/Tokyo"),
            Map.entry("WORKING_HOURS", "Mon-Fri 09:00-18:00"),
            Map.entry("MAX_WAIT_MINUTES", "30"),
            Map.entry("HOSTING", "scheduled"));
  }

  @Test
  void aDeployedStackIsPricedWithItsOwnParameters() {
    CostSettings settings = CostSettings.of(call(Map.of()), deployed(PARAMETERS));

    assertThat(settings.zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
    assertThat(settings.instanceType()).isEqualTo("ml.g4dn.xlarge");
    assertThat(settings.instanceCount()).isEqualTo(3);
    assertThat(settings.hourlyPriceUsd()).isEqualTo(0.7364);
    assertThat(settings.maxWaitMinutes()).contains(30L);
    assertThat(settings.workingHours()).contains("Mon-Fri 09:00-18:00");
  }

  @Test
  void flagsOverrideTheStacksParameters() {
    CostSettings settings = CostSettings.of(
        call(Map.of(
            "time-zone", "UTC",
            "instance-type", "ml.m5.xlarge",
            "instances", "2",
            "price", "0.23")),
        deployed(PARAMETERS));

    assertThat(settings.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(settings.instanceType()).isEqualTo("ml.m5.xlarge");
    assertThat(settings.instanceCount()).isEqualTo(2);
    assertThat(settings.hourlyPriceUsd()).isEqualTo(0.23);
  }

  @Test
  void anotherInstanceTypeIsPricedAtTheTablesPriceOfItNotAtTheStacksPriceUnderItsName() {
    CostSettings gpu = CostSettings.of(call(Map.of("instance-type", "ml.g4dn.xlarge")), local());
    assertThat(gpu.instanceType()).isEqualTo("ml.g4dn.xlarge");
    assertThat(gpu.hourlyPriceUsd()).isEqualTo(0.736);

    CostSettings same =
        CostSettings.of(call(Map.of("instance-type", "ml.g4dn.xlarge")), deployed(PARAMETERS));
    assertThat(same.hourlyPriceUsd())
        .as("the stack's own type keeps its own price")
        .isEqualTo(0.7364);

    assertThatThrownBy(
            () -> CostSettings.of(call(Map.of("instance-type", "ml.p5.48xlarge")), local()))
        .hasMessage(
            "no price for ml.p5.48xlarge in the table (ml.c5.2xlarge, ml.c5.large, ml.c5.xlarge,"
                + " ml.g4dn.xlarge, ml.g5.xlarge, ml.inf2.xlarge, ml.m5.large, ml.m5.xlarge): give its"
                + " instance-hour with --price USD");
  }

  @Test
  void
      aLocalStackOfAnOlderStateFileAndAStackWithoutTheParametersUseTheDefaultsAndTheCommandsZone() {
    for (Target target : new Target[] {local(), deployed(Map.of())}) {
      CostSettings settings = CostSettings.of(call(Map.of()), target);

      assertThat(settings.zone()).isEqualTo(MACHINE);
      assertThat(settings.instanceType()).isEqualTo("ml.m5.large");
      assertThat(settings.instanceCount()).isEqualTo(1);
      assertThat(settings.hourlyPriceUsd()).isEqualTo(0.115);
      assertThat(settings.maxWaitMinutes()).isEmpty();
      assertThat(settings.workingHours()).isEmpty();
    }
  }

  @Test
  void theLocalStackIsDatedAndPricedWithWhatItsStateFileRecordsNotTheCommandsZone() {
    // 'local start' ran in Europe/Berlin and recorded its controller's settings; the command runs
    // in New York.
    StateFile state = new StateFile(
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of("CONTENT_TYPE", "image/png"),
        Map.of(
            "TIME_ZONE", "Europe/Berlin",
            "WORKING_HOURS", "",
            "MAX_WAIT_MINUTES", "0",
            "INSTANCE_TYPE", "ml.c5.large",
            "INSTANCE_COUNT", "1",
            "INSTANCE_HOURLY_PRICE_USD", "0.1",
            "SERVERLESS_MEMORY_MB", "3072"),
        null,
        null,
        null);
    Target local = TestTargets.local(Map.of(), state);

    CostSettings settings = CostSettings.of(call(Map.of()), local);
    assertThat(settings.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(settings.instanceType()).isEqualTo("ml.c5.large");
    assertThat(settings.hourlyPriceUsd()).isEqualTo(0.1);
    assertThat(settings.serverlessMemoryMb()).isEqualTo(3072);
    assertThat(settings.maxWaitMinutes()).isEmpty();
    assertThat(settings.workingHours()).as("none, as the local controller").isEmpty();
    assertThat(local.setting("CONTENT_TYPE")).as("the model's settings stay").contains("image/png");
    assertThat(CostSettings.of(call(Map.of("time-zone", "UTC")), local).zone())
        .as("the flag wins")
        .isEqualTo(ZoneId.of("UTC"));
  }

  @Test
  void aLocalStateFileValueTheCommandCannotReadSaysHowToGetAGoodOne() {
    StateFile state = new StateFile(
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        Map.of("TIME_ZONE", "Mars/Olympus"),
        null,
        null,
        null);

    assertThatThrownBy(() -> CostSettings.of(call(Map.of()), TestTargets.local(Map.of(), state)))
        .hasMessage("the local stack has TIME_ZONE 'Mars/Olympus' in its state file, not an IANA"
            + " time zone; give the value with --time-zone, or restart the local stack"
            + " ('scripts/offhours local stop', then 'local start')");
  }

  @Test
  void aBudgetThatIsNoNumberOfMinutesLeavesCompareAtItsDefault() {
    for (String budget : new String[] {"0", "next-opening"}) {
      assertThat(CostSettings.of(call(Map.of()), deployed(Map.of("MaxWaitMinutes", budget)))
              .maxWaitMinutes())
          .as(budget)
          .isEmpty();
    }
  }

  @Test
  void aStackValueTheCommandCannotReadNamesItsParameterAndTheFlag() {
    assertThatThrownBy(() ->
            CostSettings.of(call(Map.of()), deployed(Map.of("InstanceHourlyPriceUsd", "free"))))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "stack prod has InstanceHourlyPriceUsd 'free', not a positive price in digits 0-9 with"
                + " at most one '.' (like 0.115); give the value with --price, or correct the stack's"
                + " parameter");
    // what Double.parseDouble took besides, which the template's pattern never writes
    // and 0, which the template and the controller refuse too: no instance-hour is free
    for (String bad : new String[] {"0.1d", " 0.1", "Infinity", "1e-1", "0", "0.000"}) {
      assertThatThrownBy(() ->
              CostSettings.of(call(Map.of()), deployed(Map.of("InstanceHourlyPriceUsd", bad))))
          .as("'%s'", bad)
          .hasMessageStartingWith("stack prod has InstanceHourlyPriceUsd '" + bad + "', not a"
              + " positive price in digits 0-9");
    }
    assertThatThrownBy(
            () -> CostSettings.of(call(Map.of()), deployed(Map.of("InstanceCount", "+2"))))
        .hasMessageStartingWith("stack prod has InstanceCount '+2', not a whole number from 1");
    assertThatThrownBy(
            () -> CostSettings.of(call(Map.of()), deployed(Map.of("TimeZone", "Mars/Olympus"))))
        .hasMessageStartingWith("stack prod has TimeZone 'Mars/Olympus', not an IANA time zone;");
    // A bad value the flag replaces does not matter.
    assertThat(CostSettings.of(
                call(Map.of("price", "0.2")), deployed(Map.of("InstanceHourlyPriceUsd", "free")))
            .hourlyPriceUsd())
        .isEqualTo(0.2);
  }

  @Test
  void aServerlessStackIsPricedByItsHostingAndMemoryAtTheServerlessPricesOrTheFlags() {
    Map<String, String> serverless = Map.of(
        "Hosting", "serverless", "ServerlessMemorySizeInMB", "4096", "InstanceType", "ml.c5.large");
    assertThat(Targets.settingsFromParameters(serverless))
        .containsEntry("HOSTING", "serverless")
        .containsEntry("SERVERLESS_MEMORY_MB", "4096");

    CostSettings settings = CostSettings.of(call(Map.of()), deployed(serverless));
    assertThat(settings.hosting()).isEqualTo(Hosting.SERVERLESS);
    assertThat(settings.serverlessMemoryMb()).isEqualTo(4096);
    assertThat(settings.prices())
        .isEqualTo(new LedgerPrices(
            Hosting.SERVERLESS,
            "ml.c5.large",
            1,
            0.115,
            ServerlessUsage.GB_SECOND_USD,
            ServerlessUsage.DATA_GB_USD));

    CostSettings flagged = CostSettings.of(
        call(Map.of("serverless-gb-second", "0.00003", "serverless-gb-data", "0.01")),
        deployed(serverless));
    assertThat(flagged.prices().gbSecondUsd()).isEqualTo(0.00003);
    assertThat(flagged.prices().dataGbUsd()).isEqualTo(0.01);
    assertThat(flagged.hostingPrices().serverlessGbSecondUsd()).isEqualTo(0.00003);
    assertThat(flagged.hostingPrices().serverlessGbDataUsd()).isEqualTo(0.01);
  }

  @Test
  void theLocalStacksHostingComesFromItsStateFileAndAStackThatRecordsNoneIsScheduled() {
    Target serverless = TestTargets.local(Map.of(Target.Name.HOSTING, "serverless"));
    assertThat(CostSettings.of(call(Map.of()), serverless).hosting()).isEqualTo(Hosting.SERVERLESS);
    for (Target target : new Target[] {local(), deployed(Map.of())}) {
      CostSettings settings = CostSettings.of(call(Map.of()), target);
      assertThat(settings.hosting()).isEqualTo(Hosting.SCHEDULED);
      assertThat(settings.serverlessMemoryMb()).as("the template's default").isEqualTo(2048);
    }
  }

  @Test
  void aHostingOrMemoryTheCommandCannotReadIsAFailureThatSaysWhy() {
    assertThatThrownBy(() -> CostSettings.of(call(Map.of()), deployed(Map.of("Hosting", "batch"))))
        .isInstanceOf(CliException.class)
        .hasMessage(
            "stack prod says its hosting is 'batch', which this version of offhours does not"
                + " know (scheduled, scale-to-zero or serverless): it cannot be priced");
    assertThatThrownBy(() ->
            CostSettings.of(call(Map.of()), deployed(Map.of("ServerlessMemorySizeInMB", "1500"))))
        .hasMessage(
            "stack prod has ServerlessMemorySizeInMB '1500', not 1024-6144 MB in 1 GB steps;"
                + " correct the stack's parameter");
  }

  @Test
  void aBadFlagIsAUsageError() {
    assertThatThrownBy(() -> CostSettings.of(call(Map.of("price", "-1")), deployed(PARAMETERS)))
        .isInstanceOf(CliException.class)
        .hasMessage("--price needs a number of US dollars per instance-hour more than 0 and at most"
            + " 1000000, got '-1': write it in digits 0-9 with at most one '.' (like 0.115)");
    assertThatThrownBy(() -> CostSettings.of(call(Map.of("time-zone", "Nowhere")), local()))
        .hasMessage("--time-zone needs an IANA zone such as Europe/Berlin, got 'Nowhere'");
  }

  private static Invocation call(Map<String, String> options) {
    return CliRun.quietCall(
        Path.of("unused"), Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), MACHINE), options);
  }

  private static Target deployed(Map<String, String> parameters) {
    return TestTargets.deployed(Map.of(), parameters);
  }

  private static Target local() {
    return TestTargets.local(Map.of());
  }
}
