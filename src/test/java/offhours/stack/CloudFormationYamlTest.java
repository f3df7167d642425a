package offhours.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CloudFormationYamlTest {

  @Test
  void shortFormsBecomeLongFormsAtAnyDepth() {
    Map<String, Object> t = CloudFormationYaml.parse("""
        a: !Ref Bucket
        b: !GetAtt Queue.Arn
        c: !Sub
          - x-${Id}
          - Id: !Select [0, !Split ["-", !Ref AWS::StackId]]
        d: !If [HasLabels, 1, !Ref AWS::NoValue]
        e: plain
        """);

    assertThat(t.get("a")).isEqualTo(Map.of("Ref", "Bucket"));
    assertThat(t.get("b")).isEqualTo(Map.of("Fn::GetAtt", List.of("Queue", "Arn")));
    Object split = Map.of("Fn::Split", List.of("-", Map.of("Ref", "AWS::StackId")));
    Object select = Map.of("Fn::Select", List.of(0, split));
    assertThat(t.get("c")).isEqualTo(Map.of("Fn::Sub", List.of("x-${Id}", Map.of("Id", select))));
    assertThat(t.get("d"))
        .isEqualTo(Map.of("Fn::If", List.of("HasLabels", 1, Map.of("Ref", "AWS::NoValue"))));
    assertThat(t.get("e")).isEqualTo("plain");
  }

  @Test
  void aGetAttWithoutAttributeIsRejected() {
    assertThatThrownBy(() -> CloudFormationYaml.parse("a: !GetAtt Queue\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("!GetAtt needs Resource.Attribute, got Queue");
  }

  @Test
  void aTemplateMustBeAMapping() {
    assertThatThrownBy(() -> CloudFormationYaml.parse("- a\n- b\n"))
        .hasMessage("a template is a YAML mapping at the top level");
  }
}
