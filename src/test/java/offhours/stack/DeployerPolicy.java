package offhours.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import offhours.cli.DeployPolicyCommand;

/**
 * The deployer's policy (src/main/resources/offhours/cli/deployer-policy.json, what {@code offhours deploy-policy}
 * prints) read for one {@link FakeStack}: its statements, and whether one allows an action on an ARN the way IAM
 * matches them ({@link IamRole#glob}).
 */
record DeployerPolicy(List<Statement> statements) {

  static final String ARTIFACT_BUCKET = "aws-sam-cli-managed-default-samclisourcebucket-*";

  record Statement(String sid, Set<String> actions, List<String> resources, JsonNode condition) {

    boolean allows(String action, String arn) {
      return actions.stream()
              .anyMatch(a -> IamRole.glob(a, true).matcher(action).matches())
          && resources.stream()
              .anyMatch(r -> IamRole.glob(r, false).matcher(arn).matches());
    }
  }

  /** The policy as the command prints it for {@code stack}'s name, Region, account and SAM's own bucket. */
  static DeployerPolicy forStack(FakeStack stack) {
    String text = template()
        .replace("${Partition}", stack.partition())
        .replace("${Region}", stack.region())
        .replace("${Account}", stack.account())
        .replace("${StackName}", stack.stackName())
        .replace("${GeneratedNames}", DeployPolicyCommand.generatedNames(stack.stackName()))
        .replace("${CompanionStack}", DeployPolicyCommand.companionStack(stack.stackName()))
        .replace("${ArtifactBucket}", ARTIFACT_BUCKET);
    return parse(text);
  }

  static DeployerPolicy parse(String text) {
    try {
      JsonNode document = new ObjectMapper().readTree(text);
      List<Statement> statements = new ArrayList<>();
      for (JsonNode s : document.get("Statement")) {
        if (!s.get("Effect").asText().equals("Allow")) {
          throw new IllegalArgumentException("the deployer's policy only allows: " + s);
        }
        statements.add(new Statement(
            s.get("Sid").asText(),
            new TreeSet<>(strings(s.get("Action"))),
            strings(s.get("Resource")),
            s.get("Condition")));
      }
      return new DeployerPolicy(List.copyOf(statements));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String template() {
    try (InputStream in =
        DeployerPolicy.class.getResourceAsStream("/offhours/cli/deployer-policy.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean allows(String action, String arn) {
    return statements.stream().anyMatch(s -> s.allows(action, arn));
  }

  boolean allowsAnywhere(String action) {
    return statements.stream()
        .anyMatch(s -> s.actions().stream()
            .anyMatch(a -> IamRole.glob(a, true).matcher(action).matches()));
  }

  /** The services iam:PassRole may pass {@code role} to (iam:PassedToService), by every statement that allows it. */
  Set<String> passableTo(String role) {
    Set<String> services = new TreeSet<>();
    for (Statement s : statements) {
      if (s.allows("iam:PassRole", role)) {
        JsonNode to = s.condition() == null
            ? null
            : s.condition().path("StringEquals").get("iam:PassedToService");
        if (to == null) {
          services.add("*");
        } else {
          services.addAll(strings(to));
        }
      }
    }
    return services;
  }

  DeployerPolicy without(String action) {
    return new DeployerPolicy(statements.stream()
        .map(s -> new Statement(
            s.sid(),
            new TreeSet<>(s.actions().stream().filter(a -> !a.equals(action)).toList()),
            s.resources(),
            s.condition()))
        .toList());
  }

  DeployerPolicy replacing(String resource, String with) {
    return new DeployerPolicy(statements.stream()
        .map(s -> new Statement(
            s.sid(),
            s.actions(),
            s.resources().stream().map(r -> r.equals(resource) ? with : r).toList(),
            s.condition()))
        .toList());
  }

  static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else {
      out.add(node.asText());
    }
    return out;
  }
}
