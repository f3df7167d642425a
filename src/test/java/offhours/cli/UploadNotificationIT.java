package offhours.cli;

// Needs: moto_server (pip install "moto[server]"), or OFFHOURS_TEST_AWS_ENDPOINT pointing at
// LocalStack.

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.LocalResources;
import offhours.local.StateFile;
import offhours.stack.StackSpec;
import offhours.testing.AwsServicesExtension;
import offhours.testing.AwsServicesExtension.AwsServices;
import offhours.testing.Queues;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * {@code offhours upload} and the bucket's notification (provisioned from StackSpec, as template.yaml deploys it)
 * agree on what gets a result: every key the CLI uploads reaches the queue, whatever the case of its extension, and
 * the CLI uploads nothing that would not.
 */
@ExtendWith(AwsServicesExtension.class)
class UploadNotificationIT {

  @TempDir
  Path cache;

  @TempDir
  Path photos;

  @Test
  void everyUploadedKeyReachesTheQueueAndNothingElseIsUploaded(AwsServices services)
      throws IOException {
    Map<Service, URI> endpoints = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      endpoints.put(service, services.endpoint());
    }
    String id = UUID.randomUUID().toString().substring(0, 8);
    StackSpec.Names names = new StackSpec.Names(
        "upload-it-" + id,
        "upload-it-queue-" + id,
        "upload-it-dlq-" + id,
        "upload-it-results-" + id,
        "upload-it-control-" + id,
        "m",
        "c",
        "e",
        "f");
    try (AwsClients clients = AwsClients.local(Region.US_EAST_1, endpoints);
        S3Client s3 = clients.build(Service.S3, S3Client.builder().forcePathStyle(true));
        SqsClient sqs = clients.build(Service.SQS, SqsClient.builder());
        DynamoDbClient dynamoDb = clients.build(Service.DYNAMODB, DynamoDbClient.builder())) {
      LocalResources.Provisioned p = new LocalResources(s3, sqs, dynamoDb).provision(names);
      Queues.drain(sqs, p.queueUrl()); // the s3:TestEvent
      TestStateFiles.state(
              ProcessHandle.current().pid(),
              TestStateFiles.endpoints(services.endpoint()),
              Map.of("bucket", p.bucket()))
          .write(StateFile.path(cache));
      for (String name : List.of(
          "IMG_1.Jpg",
          "a.Png",
          "b.JPeg",
          "c.jpeg",
          "d.JPG",
          "e.pNg",
          "notes.txt",
          "x.JPEG.txt",
          "no extension",
          ".hidden.png")) {
        Files.writeString(photos.resolve(name), "bytes of " + name);
      }

      CliRun run = CliRun.run(
          cache,
          Clock.systemUTC(),
          () -> AwsClients.local(Region.US_EAST_1, endpoints),
          Commands.all(),
          "upload",
          "--json",
          photos.toString());

      assertThat(run.exitCode()).as(run.err()).isZero();
      List<String> uploaded = new ArrayList<>();
      for (String line : run.outLines()) {
        JsonNode json = Json.MAPPER.readTree(line);
        uploaded.add(json.get("key").asText());
      }
      assertThat(uploaded)
          .containsExactly("IMG_1.Jpg", "a.Png", "b.JPeg", "c.jpeg", "d.JPG", "e.pNg");
      assertThat(run.err())
          .contains("skipped 4 files in folders: 3 not .jpg, .jpeg or .png (would never get a"
              + " result), 1 hidden: ");
      List<String> notified = new ArrayList<>();
      for (Message m : Queues.drain(sqs, p.queueUrl())) {
        String key =
            Json.MAPPER.readTree(m.body()).at("/Records/0/s3/object/key").asText();
        notified.add(URLDecoder.decode(key, StandardCharsets.UTF_8));
      }
      assertThat(notified)
          .as("keys S3 told the queue about")
          .containsExactlyInAnyOrderElementsOf(uploaded);
    }
  }
}
