package offhours.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import offhours.aws.SqsCounts;
import offhours.cli.Target.Name;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** {@code offhours queue}: how much work waits, is being processed, or was given up on. */
final class QueueCommand implements Command {

  /**
   * SQS counts are approximate
   * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html).
   */
  record Counts(long visible, long inFlight, long delayed, long dlq) {}

  @Override
  public String name() {
    return "queue";
  }

  @Override
  public String summary() {
    return "count the messages waiting, in flight, delayed and in the dead-letter queue";
  }

  @Override
  public List<Option> options() {
    return List.of(Option.JSON, Option.STACK);
  }

  @Override
  public String description() {
    return """
        Visible messages wait for the endpoint; in flight ones are being classified; delayed ones were
        deferred while the endpoint was unavailable and come back shortly. The dead-letter queue holds
        messages that failed MaxReceiveCount receives: uploads whose image or result could not be read
        or written receive after receive, messages that name no image (no S3 notification, or one whose
        record lacks what Classify reads) whose result could not be written, and uploads handed back
        MaxDeferrals times (each carries its last reason; 'offhours dlq show').
        SQS reports approximate counts.
        The last line is the DLQ's most recent move task ('offhours dlq redrive' without a selection
        starts one; ListMessageMoveTasks): its status, messages moved of those to move, and why it failed.
        In local mode SQS (moto_server) has no move tasks: the line says so, as redrive moves the
        messages itself there and is done when it returns.
        Delayed uploads while the endpoint is InService and the Classify trigger Enabled mean
        invocations are failing (the endpoint serves, yet the function hands uploads back): a line
        "handed back while the endpoint serves" says so, inferred from the counts (DescribeEndpoint,
        GetEventSourceMapping), and where to read each reason.
        With --json: {"visible", "inFlight", "delayed", "dlq", "queueUrl", "dlqUrl", "moveTask",
        "handedBack"} (moveTask: {"status", "startedAt", "moved", "toMove", "failureReason",
        "taskHandle"} or null, with "moveTaskNote" saying why when it could not be read; handedBack:
        {"delayed", "inferred", "says", "why"} with that line, else null, with "handedBackNote" saying
        why when the endpoint or the trigger could not be read; they are read only while uploads are
        delayed).
        """;
  }

  @Override
  public int run(Invocation call) {
    try (Target target = call.target();
        SqsClient sqs = target.sqs()) {
      String queueUrl = target.name(Name.QUEUE_URL);
      String dlqUrl = target.name(Name.DLQ_URL);
      Map<QueueAttributeName, String> queue =
          target.on(Name.QUEUE_URL, NotFound.QUEUE, () -> attributes(sqs, queueUrl));
      Map<QueueAttributeName, String> dlq =
          target.on(Name.DLQ_URL, NotFound.QUEUE, () -> attributes(sqs, dlqUrl));
      MoveTasks.Latest task = target.on(
          Name.DLQ_URL,
          NotFound.QUEUE,
          () -> new MoveTasks(sqs, dlqUrl, target.local())
              .latest(dlq.get(QueueAttributeName.QUEUE_ARN)));
      Counts counts = counts(queue, dlq);
      HandBacks handBacks = handBacks(target, counts.delayed());
      if (call.json()) {
        ObjectNode json = Json.object()
            .put("visible", counts.visible())
            .put("inFlight", counts.inFlight())
            .put("delayed", counts.delayed())
            .put("dlq", counts.dlq())
            .put("queueUrl", queueUrl)
            .put("dlqUrl", dlqUrl);
        json.set("moveTask", task.task() == null ? null : task.task().json());
        handBacks.putJson(json);
        if (task.unreadable() != null) {
          json.put("moveTaskNote", task.unreadable());
        }
        call.out().println(Json.line(json));
      } else {
        call.out().print(render(counts, queueUrl, dlqUrl, task, handBacks));
      }
    }
    return 0;
  }

  /**
   * Whether {@code delayed} uploads were handed back while the endpoint serves. Only delayed uploads need the endpoint
   * and the trigger, so a quiet queue builds no SageMaker or Lambda client and makes no more calls.
   */
  private static HandBacks handBacks(Target target, long delayed) {
    if (delayed <= 0) {
      return HandBacks.of(null, null, delayed, target.local());
    }
    return HandBacks.readOrSay(
        () -> {
          try (SageMakerClient sageMaker = target.sageMaker();
              LambdaClient lambda = target.lambda()) {
            return HandBacks.of(
                // a stack without these names (a test's) has no endpoint to infer from
                target
                    .optionalName(Name.ENDPOINT)
                    .map(name -> EndpointStatusCommand.describe(sageMaker, name))
                    .orElse(null),
                target
                    .optionalName(Name.MAPPING_UUID)
                    .map(uuid -> EndpointStatusCommand.mapping(lambda, uuid))
                    .orElse(null),
                delayed,
                target.local());
          }
        },
        "reading the endpoint and the Classify trigger needs sagemaker:DescribeEndpoint and"
            + " lambda:GetEventSourceMapping",
        target.local());
  }

  static String render(
      Counts counts, String queueUrl, String dlqUrl, MoveTasks.Latest task, HandBacks handBacks) {
    return "queue " + Terminal.printable(lastSegment(queueUrl)) + ": " + counts.visible()
        + " visible, "
        + counts.inFlight() + " in flight, " + counts.delayed() + " delayed\n"
        + handBacks.line().map(l -> Terminal.printable(l) + "\n").orElse("")
        + "dead-letter queue " + Terminal.printable(lastSegment(dlqUrl)) + ": " + counts.dlq()
        + (counts.dlq() == 0
            ? "\n"
            // Not "could not read": most arrive readable, their hand-backs spent while the endpoint
            // was unavailable. Not "uploads": one may be a message that names no image.
            : " (messages that got no result; why: 'offhours dlq list', send them back: 'offhours dlq redrive')\n")
        + task.describe() + "\n";
  }

  /**
   * The counts of a queue and its dead-letter queue from their attributes ({@link #attributes}), as this command shows
   * them (what {@code local stop} says goes with the local stack).
   */
  static Counts counts(Map<QueueAttributeName, String> queue, Map<QueueAttributeName, String> dlq) {
    return new Counts(
        SqsCounts.of(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
        SqsCounts.of(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
        SqsCounts.of(queue, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED),
        SqsCounts.of(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)
            + SqsCounts.of(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)
            + SqsCounts.of(dlq, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }

  static Map<QueueAttributeName, String> attributes(SqsClient sqs, String url) {
    return sqs.getQueueAttributes(r -> r.queueUrl(url)
            .attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED,
                QueueAttributeName.QUEUE_ARN))
        .attributes();
  }

  private static String lastSegment(String url) {
    return url.substring(url.lastIndexOf('/') + 1);
  }
}
