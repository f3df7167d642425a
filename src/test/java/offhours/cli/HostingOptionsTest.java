package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import offhours.units.Decimals;
import org.junit.jupiter.api.Test;

class HostingOptionsTest {

  @Test
  void serverlessPricesInTheHelpAreWrittenAsTheFlagsTakeThemNotInScientificNotation() {
    // 'offhours cost --help' and 'simulate --help' showed "(default 2.0E-5)".
    assertThat(HostingOptions.GB_SECOND.help())
        .endsWith("per GB-second, more than 0 (default 0.00002)");
    assertThat(HostingOptions.GB_DATA.help()).endsWith("per GB, more than 0 (default 0.016)");
    assertThat(Decimals.plain(0.0000166667)).isEqualTo("0.0000166667");
    assertThat(Decimals.plain(0.115)).isEqualTo("0.115");
  }
}
