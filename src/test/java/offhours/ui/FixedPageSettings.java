package offhours.ui;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import offhours.api.StackObserver;
import offhours.api.StatusView;
import offhours.aws.PayloadLimits;
import offhours.results.LiveSettings;

/**
 * A page's settings for tests that do not look at their refresh: read once, at the epoch, and never again, with
 * InvokeEndpoint's upload limit (the servers of these tests are given their upload rules on their own).
 */
public final class FixedPageSettings {

  private FixedPageSettings() {}

  /** InvokeEndpoint's upload limit and no other rule. */
  public static UploadRules uploadRules() {
    return new UploadRules(PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES, Optional.empty());
  }

  public static Supplier<Refreshed.AsRead<AwsUiData.PageSettings>> of(
      AwsUiData.Pricing pricing,
      Supplier<LiveSettings> live,
      Function<StackObserver.Observed, StatusView.Upcoming> upcoming) {
    Refreshed.AsRead<AwsUiData.PageSettings> read = Refreshed.AsRead.of(
        new AwsUiData.PageSettings(pricing, live, upcoming, uploadRules()), Instant.EPOCH);
    return () -> read;
  }
}
