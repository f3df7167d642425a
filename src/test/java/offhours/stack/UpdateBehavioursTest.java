package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each fact of {@link UpdateBehaviours} cites the page that says it: the CloudFormation reference page of the type it
 * describes (for SAM's types, of the resource SAM makes), and for a custom resource the page of the Update request.
 */
class UpdateBehavioursTest {

  /** The resource SAM makes of each of its types the table lists, whose properties those are. */
  private static final Map<String, String> MADE_OF = Map.of(
      "AWS::Serverless::Function", "AWS::Lambda::Function",
      "AWS::Serverless::Function.Events.SQS", "AWS::Lambda::EventSourceMapping",
      "AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Stage");

  /** The reference page of {@code type}, as the Template Reference names them: aws-resource-SERVICE-TYPE.html. */
  private static String page(String type) {
    if (type.equals("Custom::")) {
      return UpdateBehaviours.CUSTOM_UPDATE;
    }
    String cloudFormation = MADE_OF.getOrDefault(type, type);
    assertThat(cloudFormation).as("a CloudFormation type").startsWith("AWS::");
    return UpdateBehaviours.REFERENCE + "aws-resource-"
        + cloudFormation.substring("AWS::".length()).replace("::", "-").toLowerCase(Locale.ROOT)
        + ".html";
  }

  @Test
  void eachFactCitesThePageOfTheTypeItDescribes() {
    assertThat(UpdateBehaviours.known()).isNotEmpty();
    for (String known : UpdateBehaviours.known()) {
      String type = known.substring(0, known.indexOf(' '));
      String property = known.substring(known.indexOf(' ') + 1);
      assertThat(UpdateBehaviours.of(type, property).orElseThrow().source())
          .as(known)
          .isEqualTo(page(type));
    }
  }
}
