package offhours.cli;

import java.util.Map;

/** CloudFormation's DescribeStacks answer in its XML, of one stack, for a test's stub server to give. */
final class DescribeStacksXml {

  private DescribeStacksXml() {}

  /**
   * Stack {@code name} of account 123456789012 in eu-central-1, created 2026-11-01T08:00:00Z, in {@code status}, with
   * {@code parameters} and {@code outputs} in their maps' order; an empty map gives no element at all.
   */
  static String of(
      String name, String status, Map<String, String> parameters, Map<String, String> outputs) {
    return """
        <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
          <DescribeStacksResult><Stacks><member>
            <StackName>%1$s</StackName>
            <StackId>arn:aws:cloudformation:eu-central-1:123456789012:stack/%1$s/1</StackId>
            <StackStatus>%2$s</StackStatus>
            <CreationTime>2026-11-01T08:00:00Z</CreationTime>
            %3$s%4$s
          </member></Stacks></DescribeStacksResult>
          <ResponseMetadata><RequestId>describe-1</RequestId></ResponseMetadata>
        </DescribeStacksResponse>
        """.formatted(
            name,
            status,
            members("Parameters", "Parameter", parameters),
            members("Outputs", "Output", outputs));
  }

  private static String members(String list, String kind, Map<String, String> entries) {
    if (entries.isEmpty()) {
      return "";
    }
    StringBuilder xml = new StringBuilder("<").append(list).append('>');
    entries.forEach((key, value) -> xml.append("<member><")
        .append(kind)
        .append("Key>")
        .append(key)
        .append("</")
        .append(kind)
        .append("Key><")
        .append(kind)
        .append("Value>")
        .append(value)
        .append("</")
        .append(kind)
        .append("Value></member>"));
    return xml.append("</").append(list).append('>').toString();
  }
}
