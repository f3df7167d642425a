package offhours.testing;

import offhours.testing.StubHttpServer.Reply;
import offhours.testing.StubHttpServer.Request;

/**
 * AWS as an idle night's controller run finds it, for a {@link StubHttpServer}: no control state yet (an empty
 * GetItem, a PutItem taken), no endpoint, the trigger paused, no backlog; anything else refused as not stubbed.
 */
public final class IdleStackAws {

  private IdleStackAws() {}

  /** The answer to {@code request}. */
  public static Reply answer(Request request) {
    String target = request.header("X-Amz-Target");
    if (target == null) {
      return request.path().startsWith("/2015-03-31/event-source-mappings/")
          ? Reply.json(200, "{\"UUID\":\"uuid-1\",\"State\":\"Disabled\"}")
          : Reply.json(400, "{\"message\":\"not stubbed\"}");
    }
    return switch (target) {
      case "DynamoDB_20120810.GetItem", "DynamoDB_20120810.PutItem" -> Reply.json(200, "{}");
      case "SageMaker.DescribeEndpoint" ->
        Reply.json(
            400,
            "{\"__type\":\"ValidationException\","
                + "\"message\":\"Could not find endpoint \\\"offhours-endpoint\\\".\"}");
      case "AmazonSQS.GetQueueAttributes" ->
        Reply.json(
            200,
            "{\"Attributes\":{\"ApproximateNumberOfMessages\":\"0\","
                + "\"ApproximateNumberOfMessagesNotVisible\":\"0\","
                + "\"ApproximateNumberOfMessagesDelayed\":\"0\"}}");
      default -> Reply.json(400, "{\"__type\":\"NotStubbed\",\"message\":\"" + target + "\"}");
    };
  }
}
