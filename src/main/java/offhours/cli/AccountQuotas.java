package offhours.cli;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import offhours.stack.QuotaNeeds;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AccountLimit;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;
import software.amazon.awssdk.services.servicequotas.model.ServiceQuota;

/**
 * The account's values of the quotas a stack needs, in the clients' Region: SageMaker's from Service Quotas, Lambda's
 * concurrency from GetAccountSettings.
 */
final class AccountQuotas {

  /**
   * A quota's value for this account.
   *
   * @param code the quota code a request for an increase names
   * @param applied true when the account's applied value, false when AWS's default (Service Quotas lists no applied
   *     value for it)
   * @param reserved for Lambda, the concurrency that functions reserve, which the stack's cannot use; else 0
   */
  record Quota(String code, double value, boolean applied, double reserved) {

    /** What the stack can use of it. */
    double available() {
      return value - reserved;
    }
  }

  private AccountQuotas() {}

  /**
   * SageMaker's quotas named {@code names}: the applied value (ListServiceQuotas), else AWS's default
   * (ListAWSDefaultServiceQuotas), since ListServiceQuotas leaves out a quota whose applied value is not available
   * (https://docs.aws.amazon.com/servicequotas/2019-06-24/apireference/API_ListServiceQuotas.html). A name in neither
   * list is absent from the result: SageMaker has no such quota in this Region. Pages are read until every name is
   * found.
   */
  static Map<String, Quota> sageMaker(ServiceQuotasClient client, Collection<String> names) {
    String service = QuotaNeeds.QuotaService.SAGEMAKER.code();
    Map<String, Quota> found = new LinkedHashMap<>();
    Set<String> wanted = new HashSet<>(names);
    collect(
        client
            .listServiceQuotasPaginator(r -> r.serviceCode(service).maxResults(100))
            .quotas(),
        wanted,
        true,
        found);
    if (!wanted.isEmpty()) {
      collect(
          client
              .listAWSDefaultServiceQuotasPaginator(r -> r.serviceCode(service).maxResults(100))
              .quotas(),
          wanted,
          false,
          found);
    }
    return found;
  }

  /**
   * Takes the quotas named in {@code wanted} from {@code quotas}, removing each name found; stops when none is left.
   */
  static void collect(
      Iterable<ServiceQuota> quotas, Set<String> wanted, boolean applied, Map<String, Quota> into) {
    if (wanted.isEmpty()) {
      return;
    }
    for (ServiceQuota quota : quotas) {
      if (quota.value() != null && wanted.remove(quota.quotaName())) {
        into.put(quota.quotaName(), new Quota(quota.quotaCode(), quota.value(), applied, 0));
        if (wanted.isEmpty()) {
          return; // the paginator fetches no further page
        }
      }
    }
  }

  /**
   * Lambda's account concurrency as Lambda enforces it (GetAccountSettings: ConcurrentExecutions, and what reserved
   * concurrency leaves of it, UnreservedConcurrentExecutions), which the stack's functions share: none of them reserves
   * concurrency.
   */
  static Quota lambda(LambdaClient lambda) {
    AccountLimit limit = lambda.getAccountSettings(r -> {}).accountLimit();
    double total = limit.concurrentExecutions();
    double unreserved = limit.unreservedConcurrentExecutions() == null
        ? total
        : limit.unreservedConcurrentExecutions();
    return new Quota(QuotaNeeds.LAMBDA_CONCURRENCY_CODE, total, true, total - unreserved);
  }
}
