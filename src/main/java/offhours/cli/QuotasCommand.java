package offhours.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.aws.CredentialSources;
import offhours.stack.Hosting;
import offhours.stack.QuotaNeeds;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.servicequotas.ServiceQuotasClient;

/**
 * {@code offhours quotas}: the account's quotas against what a stack needs, before the first deploy (from flags) or
 * for a deployed stack (from its parameters). A young account's SageMaker quota for the instance type is often 0, and
 * CreateEndpoint is then refused with ResourceLimitExceeded.
 */
final class QuotasCommand implements Command {

  private static final Option HOSTING = flag("hosting", "H", "Hosting", ": " + Hosting.spellings());
  private static final Option TYPE = flag("instance-type", "TYPE", "InstanceType", "");
  private static final Option COUNT = flag("instance-count", "N", "InstanceCount", "");
  private static final Option CONCURRENCY =
      flag("maximum-concurrency", "N", "MaximumConcurrency", ", Classify's");
  private static final Option SERVERLESS =
      flag("serverless-max-concurrency", "N", "ServerlessMaxConcurrency", "");

  /** As {@link Option#STACK}, which it stands for; without it the check is of a stack not yet deployed. */
  private static final Option STACK = Option.value(
      Option.STACK.name(),
      "NAME",
      "read the deployed CloudFormation stack NAME's parameters (default: none, the"
          + " template's defaults and the flags)");

  /** Each flag with the template parameter it stands for. */
  private static final Map<Option, String> PARAMETERS = orderedFlags();

  /** What the check calls, for the message when AWS refuses one. */
  static final String ACTIONS =
      "servicequotas:ListServiceQuotas, servicequotas:ListAWSDefaultServiceQuotas and"
          + " lambda:GetAccountSettings";

  @Override
  public String name() {
    return "quotas";
  }

  @Override
  public String summary() {
    return "check the account's SageMaker and Lambda quotas against what the stack needs (before the first deploy)";
  }

  @Override
  public List<Option> options() {
    return List.of(HOSTING, TYPE, COUNT, CONCURRENCY, SERVERLESS, Option.JSON, STACK);
  }

  @Override
  public String description() {
    return """
        Reads, in your AWS Region (AWS_REGION, AWS_DEFAULT_REGION or your profile's) and with your credentials,
        the account's applied value of each quota the stack needs, else AWS's default, and says whether it is
        enough: SageMaker's "TYPE for endpoint usage" (instances of InstanceType across the account's real-time
        endpoints; a young account's is often 0, and CreateEndpoint is then refused with ResourceLimitExceeded)
        or, with Hosting serverless, its total serverless concurrency; and Lambda's concurrency, which Classify
        (up to MaximumConcurrency) and the controller share.
        Without --stack it checks the template's defaults, as the first deploy would use them; the flags set
        what you will deploy with. With --stack NAME it reads the deployed stack's parameters, and the flags
        override them. Values template.yaml refuses are refused: an InstanceType it does not list, and with
        Hosting serverless a GPU or Inferentia InstanceType or a MaximumConcurrency over ServerlessMaxConcurrency,
        as its Rules say. For each quota that is too low it prints the AWS CLI request for an increase.
        Exit status 1 when a quota is too low or not offered in the Region.
        It calls servicequotas:ListServiceQuotas, servicequotas:ListAWSDefaultServiceQuotas and
        lambda:GetAccountSettings (with --stack also cloudformation:DescribeStacks).
        With --json: one object per quota: {"region", "service", "quota", "needed", "why", "status" (ok, too low,
        not listed), "quotaCode", "value", "source" (applied or default), "available", "todo"}.
        """;
  }

  @Override
  public int run(Invocation call) {
    Optional<String> stack = call.args().value(Option.STACK.name());
    Map<String, String> flags = new LinkedHashMap<>();
    PARAMETERS.forEach((option, parameter) ->
        call.args().value(option.name()).ifPresent(v -> flags.put(parameter, v)));
    // The flags alone first: a wrong one is said before the Region, the credentials and the stack
    // are looked for.
    QuotaNeeds fromFlags = needs(flags);
    if (stack.isEmpty()) {
      // Without a stack the flags and the template's defaults are all the values.
      refuseBrokenRule(fromFlags);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    Target target = stack.isPresent() ? call.target() : null;
    try (AwsClients clients = target == null ? userClients(call) : target.clients()) {
      if (target != null) {
        parameters.putAll(target.parameters());
      }
      parameters.putAll(flags);
      QuotaNeeds needs = needs(parameters);
      refuseBrokenRule(needs);
      QuotaCheck check;
      try (ServiceQuotasClient serviceQuotas =
              clients.build(Service.SERVICE_QUOTAS, ServiceQuotasClient.builder());
          LambdaClient lambda = clients.build(Service.LAMBDA, LambdaClient.builder())) {
        List<QuotaNeeds.Need> list = needs.needs();
        check = QuotaCheck.of(
            clients.region().id(),
            list,
            AccountQuotas.sageMaker(
                serviceQuotas,
                list.stream()
                    .filter(n -> n.service() == QuotaNeeds.QuotaService.SAGEMAKER)
                    .map(QuotaNeeds.Need::quota)
                    .toList()),
            AccountQuotas.lambda(lambda));
      } catch (SdkClientException e) {
        if (Targets.noCredentials(e)) {
          throw CliException.failure("no AWS credentials to read the quotas of " + clients.region()
              + ": " + Targets.credentialsHelp(CredentialSources.userProfile()));
        }
        throw e;
      } catch (AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        if (code != null && code.startsWith("AccessDenied")) {
          throw CliException.failure("AWS refused to show the quotas in " + clients.region() + " ("
              + Terminal.printable(e.awsErrorDetails().errorMessage())
              + "); the check needs " + ACTIONS);
        }
        throw e;
      }
      if (call.json()) {
        check.toJson().forEach(o -> call.out().println(Json.line(o)));
      } else {
        call.out().print(check.render(call.context().columns()));
      }
      return check.allOk() ? 0 : CliException.FAILURE;
    }
  }

  /** The user's clients; without a Region the message names this command, not --stack. */
  private static AwsClients userClients(Invocation call) {
    try {
      return call.context().userClients().get();
    } catch (CliException e) {
      if (Targets.NO_REGION.equals(e.getMessage())) {
        throw CliException.failure(
            "quotas are per Region and none is set: export AWS_DEFAULT_REGION=REGION"
                + " (the one you deploy to), or run 'aws configure'");
      }
      throw e;
    }
  }

  /** The needs of these parameters; a flag's bad value is a usage error naming the flag. */
  private static QuotaNeeds needs(Map<String, String> parameters) {
    for (Map.Entry<Option, String> flag : PARAMETERS.entrySet()) {
      String value = parameters.get(flag.getValue());
      List<Integer> allowed = QuotaNeeds.TEMPLATE_ALLOWED.get(flag.getValue());
      if (value != null
          && allowed != null
          && !(value.matches("[1-9][0-9]{0,5}") && allowed.contains(Integer.parseInt(value)))) {
        // The template's range, not just "positive": 99999999 was called not positive, and 20
        // instances, which the template refuses, were checked against the quotas.
        throw CliException.usage("--" + flag.getKey().name() + " (" + flag.getValue() + ") needs "
            + QuotaNeeds.allowedText(flag.getValue()) + ", as template.yaml takes it, got '"
            + Terminal.value(value) + "'");
      }
    }
    String type = parameters.get("InstanceType");
    if (type != null && !QuotaNeeds.TEMPLATE_INSTANCE_TYPES.contains(type)) {
      // A type template.yaml refuses cannot be deployed: its quota says nothing about the stack.
      throw CliException.usage("--instance-type (InstanceType) needs one of "
          + String.join(", ", QuotaNeeds.TEMPLATE_INSTANCE_TYPES)
          + ", as template.yaml takes it, got '"
          + Terminal.value(type) + "'");
    }
    try {
      return QuotaNeeds.fromParameters(parameters);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--hosting needs " + Hosting.spellings() + ", got '"
          + Terminal.value(parameters.get("Hosting")) + "'");
    }
  }

  /** A usage error when the values break a rule of template.yaml's, which a deploy with them would fail on. */
  private static void refuseBrokenRule(QuotaNeeds needs) {
    QuotaNeeds.BrokenRule broken = needs.templateRuleBroken();
    if (broken != null) {
      List<String> flags = broken.parameters().stream()
          .map(p -> PARAMETERS.entrySet().stream()
              .filter(e -> e.getValue().equals(p))
              .map(e -> "--" + e.getKey().name())
              .findFirst()
              .orElseThrow())
          .toList();
      throw CliException.usage(
          String.join(" and ", flags) + ": " + broken.why() + "; a deploy with them would fail");
    }
  }

  /** A flag that sets template parameter {@code parameter}; its help names the parameter and its default. */
  private static Option flag(String name, String meta, String parameter, String what) {
    return Option.value(
        name,
        meta,
        parameter + what + " (default: the stack's, else "
            + QuotaNeeds.TEMPLATE_DEFAULTS.get(parameter) + ")");
  }

  private static Map<Option, String> orderedFlags() {
    Map<Option, String> flags = new LinkedHashMap<>();
    flags.put(HOSTING, "Hosting");
    flags.put(TYPE, "InstanceType");
    flags.put(COUNT, "InstanceCount");
    flags.put(CONCURRENCY, "MaximumConcurrency");
    flags.put(SERVERLESS, "ServerlessMaxConcurrency");
    return flags;
  }
}
