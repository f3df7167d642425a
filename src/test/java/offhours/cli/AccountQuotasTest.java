package offhours.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import offhours.cli.AccountQuotas.Quota;
import offhours.cli.QuotaCheck.QuotaStatus;
import offhours.stack.QuotaNeeds;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.servicequotas.model.ListAwsDefaultServiceQuotasRequest;
import software.amazon.awssdk.services.servicequotas.model.ListAwsDefaultServiceQuotasResponse;
import software.amazon.awssdk.services.servicequotas.model.ListServiceQuotasRequest;
import software.amazon.awssdk.services.servicequotas.model.ListServiceQuotasResponse;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

class AccountQuotasTest {

  /** Pages of applied values and of defaults, each page a list; records the pages asked for. */
  private static final class PagedQuotas implements ServiceQuotasClient {
    final List<List<ServiceQuota>> applied;
    final List<List<ServiceQuota>> defaults;
    final List<String> asked = new ArrayList<>();

    PagedQuotas(List<List<ServiceQuota>> applied, List<List<ServiceQuota>> defaults) {
      this.applied = applied;
      this.defaults = defaults;
    }

    @Override
    public ListServiceQuotasResponse listServiceQuotas(ListServiceQuotasRequest r) {
      int page = r.nextToken() == null ? 0 : Integer.parseInt(r.nextToken());
      asked.add("applied " + page + " " + r.serviceCode());
      return ListServiceQuotasResponse.builder()
          .quotas(applied.get(page))
          .nextToken(page + 1 < applied.size() ? String.valueOf(page + 1) : null)
          .build();
    }

    @Override
    public ListAwsDefaultServiceQuotasResponse listAWSDefaultServiceQuotas(
        ListAwsDefaultServiceQuotasRequest r) {
      int page = r.nextToken() == null ? 0 : Integer.parseInt(r.nextToken());
      asked.add("default " + page + " " + r.serviceCode());
      return ListAwsDefaultServiceQuotasResponse.builder()
          .quotas(defaults.get(page))
          .nextToken(page + 1 < defaults.size() ? String.valueOf(page + 1) : null)
          .build();
    }

    @Override
    public String serviceName() {
      return "servicequotas";
    }

    @Override
    public void close() {}
  }

  private static ServiceQuota quota(String name, String code, double value) {
    return ServiceQuota.builder().quotaName(name).quotaCode(code).value(value).build();
  }

  @Test
  void appliedValuesAreReadAcrossPagesAndAQuotaWithoutOneFallsBackToAwssDefault() {
    PagedQuotas client = new PagedQuotas(
        List.of(
            List.of(quota("ml.t2.medium for endpoint usage", "L-1", 2)),
            List.of(quota(
                "Maximum total concurrency that can be allocated across all serverless endpoints",
                "L-2",
                10))),
        List.of(
            List.of(quota("ml.m5.large for endpoint usage", "L-3", 0)),
            List.of(quota("ml.c5.large for endpoint usage", "L-4", 4))));

    Map<String, Quota> found = AccountQuotas.sageMaker(
        client,
        List.of(
            "Maximum total concurrency that can be allocated across all serverless endpoints",
            "ml.m5.large for endpoint usage"));

    assertThat(found.get(
            "Maximum total concurrency that can be allocated across all serverless endpoints"))
        .isEqualTo(new Quota("L-2", 10, true, 0));
    assertThat(found.get("ml.m5.large for endpoint usage"))
        .isEqualTo(new Quota("L-3", 0, false, 0));
    assertThat(client.asked)
        .as("the defaults' second page is not needed")
        .containsExactly("applied 0 sagemaker", "applied 1 sagemaker", "default 0 sagemaker");
  }

  @Test
  void collectingStopsAtTheLastWantedQuotaAndSkipsOnesWithoutAValue() {
    List<ServiceQuota> seen = new ArrayList<>();
    Iterable<ServiceQuota> quotas = () -> List.of(
            ServiceQuota.builder()
                .quotaName("ml.m5.large for endpoint usage")
                .quotaCode("L-0")
                .build(),
            quota("ml.m5.large for endpoint usage", "L-1", 3),
            quota("after", "L-9", 1))
        .stream()
        .peek(seen::add)
        .iterator();
    Set<String> wanted = new HashSet<>(Set.of("ml.m5.large for endpoint usage"));
    Map<String, Quota> into = new LinkedHashMap<>();

    AccountQuotas.collect(quotas, wanted, true, into);

    assertThat(into).containsOnlyKeys("ml.m5.large for endpoint usage");
    assertThat(into.get("ml.m5.large for endpoint usage").code()).isEqualTo("L-1");
    assertThat(wanted).isEmpty();
    assertThat(seen).hasSize(2);
  }

  @Test
  void aQuotaIsOkAtExactlyTheNeedAndLambdasReservedConcurrencyIsNotTheStacks() {
    List<QuotaNeeds.Need> needs =
        QuotaNeeds.fromParameters(Map.of("InstanceCount", "2")).needs();
    int lambda = needs.get(1).needed();
    QuotaCheck enough = QuotaCheck.of(
        "us-east-1",
        needs,
        Map.of("ml.m5.large for endpoint usage", new Quota("L-1", 2, true, 0)),
        new Quota("L-B99A9384", 1000, true, 1000 - lambda));
    assertThat(enough.rows())
        .extracting(QuotaCheck.QuotaRow::status)
        .containsExactly(QuotaStatus.OK, QuotaStatus.OK);
    assertThat(enough.allOk()).isTrue();

    QuotaCheck reserved = QuotaCheck.of(
        "us-east-1", needs, Map.of(), new Quota("L-B99A9384", 1000, true, 1001 - lambda));
    assertThat(reserved.rows())
        .extracting(QuotaCheck.QuotaRow::status)
        .containsExactly(QuotaStatus.NOT_LISTED, QuotaStatus.TOO_LOW);
    assertThat(reserved.rows().get(1).request()).isEqualTo(1001);
    assertThat(reserved.render(200))
        .contains((lambda - 1) + " unreserved of 1000 (applied)")
        .contains("--service-code lambda --quota-code L-B99A9384 --desired-value 1001");
  }

  @Test
  void valuesPrintAsWholeNumbersWhenTheyAreOne() {
    assertThat(QuotaCheck.number(10.0)).isEqualTo("10");
    assertThat(QuotaCheck.number(2.5)).isEqualTo("2.5");
  }
}
