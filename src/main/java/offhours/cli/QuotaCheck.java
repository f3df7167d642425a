package offhours.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import offhours.cli.AccountQuotas.Quota;
import offhours.stack.QuotaNeeds;
import offhours.stack.QuotaNeeds.Need;

/**
 * What the stack needs against what the account has, one row per quota, and what to do about a quota that is too low.
 *
 * @param region where the quotas were read: quotas are per Region, and so is a request to raise one
 */
record QuotaCheck(String region, List<QuotaRow> rows) {

  enum QuotaStatus {
    OK("ok"),
    TOO_LOW("too low"),
    /** Service Quotas lists no quota of that name here: SageMaker does not offer the instance type in this Region. */
    NOT_LISTED("not listed");

    private final String words;

    QuotaStatus(String words) {
      this.words = words;
    }

    private String words() {
      return words;
    }
  }

  /** A need and the account's quota for it (null when not listed). */
  record QuotaRow(Need need, Quota quota) {

    QuotaStatus status() {
      if (quota == null) {
        return QuotaStatus.NOT_LISTED;
      }
      return quota.available() >= need.needed() ? QuotaStatus.OK : QuotaStatus.TOO_LOW;
    }

    /** The value to ask for: the need, plus what reserved concurrency keeps from the stack. */
    long request() {
      return need.needed() + (quota == null ? 0 : (long) Math.ceil(quota.reserved()));
    }
  }

  QuotaCheck {
    rows = List.copyOf(rows);
  }

  /** Each need with the account's quota of its name ({@code sageMaker} by name, {@code lambda} for Lambda's). */
  static QuotaCheck of(
      String region, List<Need> needs, Map<String, Quota> sageMaker, Quota lambda) {
    List<QuotaRow> rows = new ArrayList<>();
    for (Need need : needs) {
      rows.add(new QuotaRow(
          need,
          need.service() == QuotaNeeds.QuotaService.LAMBDA ? lambda : sageMaker.get(need.quota())));
    }
    return new QuotaCheck(region, rows);
  }

  boolean allOk() {
    return rows.stream().allMatch(r -> r.status() == QuotaStatus.OK);
  }

  /** The table, then for each quota that is not ok one line that says what to do. */
  String render(int columns) {
    List<List<String>> cells = new ArrayList<>();
    for (QuotaRow row : rows) {
      cells.add(List.of(
          row.need().service().code(),
          row.need().quota(),
          row.need().needed() + " (" + row.need().why() + ")",
          account(row),
          row.status().words()));
    }
    StringBuilder text = new StringBuilder(TextTable.render(
        List.of("service", "quota", "needed", "account (" + region + ")", "status"),
        cells,
        columns));
    for (QuotaRow row : rows) {
      String todo = todo(row);
      if (todo != null) {
        text.append(Terminal.printable(todo)).append('\n');
      }
    }
    return text.toString();
  }

  private static String account(QuotaRow row) {
    Quota quota = row.quota();
    if (quota == null) {
      return "-";
    }
    String value = number(quota.value()) + (quota.applied() ? " (applied)" : " (AWS default)");
    return quota.reserved() > 0 ? number(quota.available()) + " unreserved of " + value : value;
  }

  /** What to do about a row that is not ok, or null. */
  private String todo(QuotaRow row) {
    Need need = row.need();
    return switch (row.status()) {
      case OK -> null;
      case NOT_LISTED ->
        "'" + need.quota() + "': Service Quotas lists no such quota in " + region
            + ": SageMaker does not offer that instance type here; choose another InstanceType or Region"
            + " (see the SageMaker pricing page for the Region's types)";
      case TOO_LOW ->
        "'" + need.quota() + "' is " + number(row.quota().available()) + ", the stack needs "
            + need.needed() + ": ask for " + row.request()
            + " in the Service Quotas console (" + need.service().code() + ") or with: "
            + requestCommand(row);
    };
  }

  /** The AWS CLI request for a raise to {@link QuotaRow#request()}. */
  private String requestCommand(QuotaRow row) {
    return "aws service-quotas request-service-quota-increase --region " + region
        + " --service-code " + row.need().service().code() + " --quota-code "
        + row.quota().code()
        + " --desired-value " + row.request();
  }

  /** One JSON object per row. */
  List<ObjectNode> toJson() {
    List<ObjectNode> objects = new ArrayList<>();
    for (QuotaRow row : rows) {
      ObjectNode json = Json.object()
          .put("region", region)
          .put("service", row.need().service().code())
          .put("quota", row.need().quota())
          .put("needed", row.need().needed())
          .put("why", row.need().why())
          .put("status", row.status().words());
      Quota quota = row.quota();
      if (quota == null) {
        json.putNull("quotaCode").putNull("value").putNull("source").putNull("available");
      } else {
        json.put("quotaCode", quota.code())
            .put("value", quota.value())
            .put("source", quota.applied() ? "applied" : "default")
            .put("available", quota.available());
      }
      json.put("todo", todo(row));
      objects.add(json);
    }
    return objects;
  }

  /** "10" for 10.0, "2.5" for 2.5. */
  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
