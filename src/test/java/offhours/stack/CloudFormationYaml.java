package offhours.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a CloudFormation YAML template into plain maps and lists, turning the short-form intrinsic functions into
 * their long form ({@code !Ref X} -> {@code {Ref: X}}, {@code !GetAtt A.B} -> {@code {Fn::GetAtt: [A, B]}},
 * {@code !Sub ...} -> {@code {Fn::Sub: ...}}).
 *
 * <p>Not Jackson's YAML reader: it drops unknown tags silently, so {@code !Ref MaxReceiveCount} would read as the
 * literal string "MaxReceiveCount" and a test could not tell a reference from a value.
 */
final class CloudFormationYaml {

  private CloudFormationYaml() {}

  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String yaml) {
    Object root = new Yaml(new IntrinsicsConstructor()).load(yaml);
    if (!(root instanceof Map)) {
      throw new IllegalArgumentException("a template is a YAML mapping at the top level");
    }
    return (Map<String, Object>) root;
  }

  private static final class IntrinsicsConstructor extends SafeConstructor {
    IntrinsicsConstructor() {
      super(new LoaderOptions());
      yamlMultiConstructors.put("!", new AbstractConstruct() {
        @Override
        public Object construct(Node node) {
          String tag = node.getTag().getValue().substring(1);
          Object value = switch (node) {
            case ScalarNode scalar -> constructScalar(scalar);
            case SequenceNode sequence -> constructSequence(sequence);
            case MappingNode mapping -> constructMapping(mapping);
            default -> throw new IllegalArgumentException("unexpected YAML node " + node);
          };
          if (tag.equals("GetAtt") && value instanceof String dotted) {
            int dot = dotted.indexOf('.');
            if (dot < 0) {
              throw new IllegalArgumentException("!GetAtt needs Resource.Attribute, got " + dotted);
            }
            value = List.of(dotted.substring(0, dot), dotted.substring(dot + 1));
          }
          Map<String, Object> longForm = new LinkedHashMap<>();
          longForm.put(tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag, value);
          return longForm;
        }
      });
    }
  }
}
