package offhours.endpoint.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import offhours.endpoint.ServerlessUsage;
import offhours.testing.MarkdownSections;
import org.junit.jupiter.api.Test;

class HostingPricesTest {

  /** A row of the README's price table: | `ml.TYPE` | what | $PRICE | ... */
  private static final Pattern ROW = Pattern.compile(
      "^\\| `(ml\\.[a-z0-9.]+)`[^|]*\\|[^|]*\\| \\$([0-9.]+) \\|", Pattern.MULTILINE);

  /**
   * "What it costs" prices the instance types a user is pointed to (Inferentia2 among them, also in "Choosing a hosting
   * option"); simulate and cost price each of them from this table, so a type the README prices is never refused as
   * unpriced, and never priced otherwise.
   */
  @Test
  void everyInstanceTypeTheReadmePricesHasThatPriceInTheTable() throws Exception {
    String section = MarkdownSections.readme("### What it costs");
    Map<String, Double> quoted = new LinkedHashMap<>();
    Matcher row = ROW.matcher(section);
    while (row.find()) {
      quoted.put(row.group(1), Double.parseDouble(row.group(2)));
    }

    assertThat(quoted).containsKeys("ml.m5.large", "ml.inf2.xlarge");
    quoted.forEach((type, usd) -> assertThat(HostingPrices.of(type))
        .as(type)
        .hasValueSatisfying(p -> assertThat(p.instanceHourUsd()).isEqualTo(usd)));
  }

  /**
   * The hosting options table ("Choosing a hosting option") quotes instance-hour and serverless prices in its "price
   * basis" row: each is the price simulate and cost use.
   */
  @Test
  void theHostingTablesPriceBasisRowQuotesThePricesTheCodeUses() throws Exception {
    String row = Files.readString(Path.of("README.md"))
        .lines()
        .filter(line -> line.startsWith("| price basis (us-east-1) |"))
        .findFirst()
        .orElseThrow();
    Map<String, Double> quoted = new LinkedHashMap<>();
    Matcher type = Pattern.compile("`(ml\\.[a-z0-9.]+)` \\$([0-9.]+)").matcher(row);
    while (type.find()) {
      quoted.put(type.group(1), Double.parseDouble(type.group(2)));
    }

    assertThat(quoted).containsKeys("ml.m5.large", "ml.c5.large", "ml.g5.xlarge");
    quoted.forEach((t, usd) -> assertThat(HostingPrices.of(t))
        .as(t)
        .hasValueSatisfying(p -> assertThat(p.instanceHourUsd()).isEqualTo(usd)));
    assertThat(row)
        .contains(" $"
            + BigDecimal.valueOf(ServerlessUsage.GB_SECOND_USD)
                .stripTrailingZeros()
                .toPlainString() + " per GB-second")
        .contains(" $" + ServerlessUsage.DATA_GB_USD + " per GB of data");
  }

  @Test
  void anInferentiaTypeIsPricedAndHasNoServerlessOption() {
    assertThat(HostingPrices.of("ml.inf2.xlarge"))
        .hasValueSatisfying(p -> assertThat(p.serverlessAvailable()).isFalse());
    assertThat(HostingPrices.of("ml.c5.xlarge"))
        .hasValueSatisfying(p -> assertThat(p.serverlessAvailable()).isTrue());
  }
}
