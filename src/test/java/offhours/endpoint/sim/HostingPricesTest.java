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
import offhours.stack.QuotaNeeds;
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
   * simulate and cost price every instance type the template takes from the table, where two of them asked for
   * {@code --price}; within a family, each size costs twice the one below it, as the pricing page lists them.
   */
  @Test
  void everyInstanceTypeTheTemplateTakesIsPricedAtTwiceTheSizeBelowIt() {
    for (String type : QuotaNeeds.TEMPLATE_INSTANCE_TYPES) {
      assertThat(HostingPrices.of(type)).as(type).isPresent();
    }
    assertThat(HostingPrices.of("ml.m5.xlarge").orElseThrow().instanceHourUsd())
        .isEqualTo(2 * HostingPrices.of("ml.m5.large").orElseThrow().instanceHourUsd());
    assertThat(HostingPrices.of("ml.c5.2xlarge").orElseThrow().instanceHourUsd())
        .isEqualTo(2 * HostingPrices.of("ml.c5.xlarge").orElseThrow().instanceHourUsd())
        .isEqualTo(4 * HostingPrices.of("ml.c5.large").orElseThrow().instanceHourUsd());
  }

  /** A row of that table with its month columns: | `ml.TYPE` | what | $PRICE | $ALWAYS_ON | $OFFICE_HOURS | */
  private static final Pattern MONTH_ROW = Pattern.compile(
      "^\\| `(ml\\.[a-z0-9.]+)`[^|]*\\|[^|]*\\| \\$([0-9.]+) \\| \\$([0-9]+) \\| \\$([0-9]+) \\|$",
      Pattern.MULTILINE);

  /**
   * The table's two month columns are its hourly price times the hours its header names (30 days always on, 240 office
   * hours), in whole dollars, so a price change cannot leave them on the old one.
   */
  @Test
  void theCostTablesMonthColumnsAreItsHourlyPriceTimesTheHoursItsHeaderNames() throws Exception {
    String section = MarkdownSections.readme("### What it costs");
    assertThat(section).contains("| always on, 30 days | office hours (Mon-Fri 11 h, ~240 h) |");
    Matcher row = MONTH_ROW.matcher(section);
    int rows = 0;
    while (row.find()) {
      rows++;
      double hour = Double.parseDouble(row.group(2));
      assertThat(Long.parseLong(row.group(3)))
          .as("%s always on", row.group(1))
          .isEqualTo(Math.round(hour * 720));
      assertThat(Long.parseLong(row.group(4)))
          .as("%s office hours", row.group(1))
          .isEqualTo(Math.round(hour * 240));
    }
    assertThat(rows).as("rows with month columns").isEqualTo(4);
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
