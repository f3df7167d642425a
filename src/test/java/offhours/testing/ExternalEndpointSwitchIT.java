package offhours.testing;

// Needs: moto_server (pip install "moto[server]"); this test starts one itself to play the user's
// endpoint.

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.moto.MotoServer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * OFFHOURS_TEST_AWS_ENDPOINT switches the harness from starting moto_server to an endpoint the user runs (LocalStack
 * in Docker, say). A separately started moto_server stands in for that endpoint here.
 */
class ExternalEndpointSwitchIT {

  @Test
  void anExternalEndpointReceivesTheResourcesAndNoMotoServerIsStarted() throws Exception {
    MotoServer external = MotoServer.start(Files.createTempFile("external-moto_server-", ".log"));
    AwsServicesExtension.Shared shared = null;
    try {
      List<Long> motoBefore = motoServerProcesses();

      shared = AwsServicesExtension.Shared.open(" " + external.endpoint() + " ");

      assertThat(shared.services.endpoint()).isEqualTo(external.endpoint());
      assertThat(shared.services.external()).isTrue();
      String bucket = "switch-" + UUID.randomUUID().toString().substring(0, 8);
      try (S3Client s3 =
              shared.services.clients().build(Service.S3, S3Client.builder().forcePathStyle(true));
          SqsClient sqs = shared.services.clients().build(Service.SQS, SqsClient.builder())) {
        s3.createBucket(r -> r.bucket(bucket));
        sqs.createQueue(r -> r.queueName(bucket));
      }
      try (AwsClients direct = AwsClients.local(
              Region.US_EAST_1,
              Map.of(Service.S3, external.endpoint(), Service.SQS, external.endpoint()));
          S3Client s3 = direct.build(Service.S3, S3Client.builder().forcePathStyle(true));
          SqsClient sqs = direct.build(Service.SQS, SqsClient.builder())) {
        assertThat(s3.listBuckets().buckets()).extracting(b -> b.name()).contains(bucket);
        assertThat(sqs.listQueues(r -> r.queueNamePrefix(bucket)).queueUrls())
            .singleElement()
            .asString()
            .endsWith("/" + bucket);
      }
      assertThat(motoServerProcesses())
          .as("moto_server processes of this JVM")
          .isEqualTo(motoBefore);
    } finally {
      if (shared != null) {
        shared.close();
      }
      external.close();
    }
    assertThat(ProcessHandle.of(external.pid()).map(ProcessHandle::isAlive).orElse(false))
        .as("the external server is closed by whoever started it, here the test")
        .isFalse();
  }

  @Test
  void withoutTheVariableTheHarnessStartsItsOwnMotoServer() {
    List<Long> motoBefore = motoServerProcesses();
    AwsServicesExtension.Shared shared = AwsServicesExtension.Shared.open("  ");
    try {
      assertThat(shared.services.external()).isFalse();
      assertThat(shared.services.endpoint().getHost()).isEqualTo("127.0.0.1");
      // The same probe the other test relies on does see a started server.
      assertThat(motoServerProcesses()).hasSizeGreaterThan(motoBefore.size());
    } finally {
      shared.close();
    }
  }

  /** moto_server processes started by this JVM (directly, or through a pyenv shim). */
  private static List<Long> motoServerProcesses() {
    return ProcessHandle.current()
        .descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("moto_server"))
        .map(ProcessHandle::pid)
        .sorted()
        .toList();
  }
}
