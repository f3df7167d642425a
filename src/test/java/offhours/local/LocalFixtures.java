package offhours.local;

import java.nio.file.Path;

/** What tests of a local stack's functions give them without provisioning anything. */
final class LocalFixtures {

  private LocalFixtures() {}

  /** The local resources' names as provisioned, their queues' URLs on a port nothing listens on. */
  static final LocalResources.Provisioned PROVISIONED = new LocalResources.Provisioned(
      "offhours-images",
      "http://127.0.0.1:1/000000000000/offhours-queue",
      "arn:aws:sqs:us-east-1:000000000000:offhours-queue",
      "http://127.0.0.1:1/000000000000/offhours-dlq",
      "arn:aws:sqs:us-east-1:000000000000:offhours-dlq",
      "offhours-results",
      "offhours-control",
      "http://127.0.0.1:1/000000000000/offhours-queue-timer",
      "arn:aws:sqs:us-east-1:000000000000:offhours-queue-timer");

  /** Local mode's default options. */
  static final LocalDeployment.Options OPTIONS = LocalDeployment.Options.defaults(Path.of("cache"));
}
