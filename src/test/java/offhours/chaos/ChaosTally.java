package offhours.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import offhours.chaos.ChaosUploads.Kind;
import offhours.chaos.ChaosUploads.Upload;
import offhours.results.ResultItem;
import offhours.results.ResultItemFormat;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * What a settled chaos run holds, against what it should: the versions S3 really has (ListObjectVersions, plus the
 * versions deleted for good before they were classified, which get a "no longer exists" verdict), the results table,
 * and the dead-letter queue.
 */
final class ChaosTally {

  /**
   * An object version as the pipeline identifies it: by its version id when S3's notification carries one, else by
   * its ETag ({@link ResultItem#skFor}). moto_server's notifications carry no versionId, so locally two versions of a
   * key with the same bytes are one identity and get one result, as in an unversioned bucket.
   */
  record Version(String key, String sk) {}

  /** One message found in the DLQ. */
  record Dead(Version version, String reason) {}

  final int versions;
  final boolean identifiedByVersion;
  final int expectedInS3;
  final int expectedGone;
  final Set<Version> expected = new HashSet<>();
  final Map<Version, List<ResultItem>> results = new HashMap<>();
  final int resultCount;
  final List<Version> missing = new ArrayList<>();
  final int duplicates;
  final List<ResultItem> unexpected = new ArrayList<>();
  final List<Dead> dead = new ArrayList<>();
  final int validInDlq;
  final Map<String, Integer> validRejected = new TreeMap<>();
  final Map<String, Integer> statuses = new TreeMap<>();

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The Classify function's message attribute with the reason of a message's latest deferral. */
  static final String DEFERRAL_REASON = "offhours-deferral-reason";

  ChaosTally(
      S3Client s3,
      DynamoDbClient dynamoDb,
      SqsClient sqs,
      String bucket,
      String table,
      String dlqUrl,
      String prefix,
      List<Upload> uploads) {
    boolean byVersion =
        notificationsCarryVersions(dynamoDb, table, ResultItem.pkFor(bucket, prefix));
    int inS3 = 0;
    for (var page : s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(prefix))) {
      for (ObjectVersion v : page.versions()) {
        expected.add(identity(v.key(), v.versionId(), v.eTag(), byVersion));
        inS3++;
      }
    }
    versions = inS3;
    int gone = 0;
    Set<Version> valid = new HashSet<>();
    Set<Version> deletedForGood = new HashSet<>();
    for (Upload u : uploads) {
      Version v = identity(u.key(), u.versionId(), u.eTag(), byVersion);
      if (u.kind() == Kind.DELETED_VERSION && expected.add(v)) {
        gone++;
        deletedForGood.add(v);
      }
      if (u.validImage()) {
        valid.add(v);
      }
    }
    expectedInS3 = expected.size() - gone;
    identifiedByVersion = byVersion;
    expectedGone = gone;

    int count = 0;
    String pkPrefix = ResultItem.pkFor(bucket, prefix);
    for (var page : dynamoDb.scanPaginator(r -> r.tableName(table)
        .filterExpression("begins_with(pk, :p)")
        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pkPrefix))))) {
      for (Map<String, AttributeValue> item : page.items()) {
        ResultItem r = ResultItemFormat.fromItem(item);
        count++;
        statuses.merge(r.status().name(), 1, Integer::sum);
        Version v = new Version(r.key(), r.sk());
        if (!expected.contains(v)) {
          unexpected.add(r);
          continue;
        }
        results.computeIfAbsent(v, k -> new ArrayList<>()).add(r);
        if (valid.contains(v)
            && !deletedForGood.contains(v)
            && r.status() == ResultItem.Verdict.REJECTED) {
          validRejected.merge(kindOf(r), 1, Integer::sum);
        }
      }
    }
    resultCount = count;
    int dup = 0;
    for (Version v : expected) {
      List<ResultItem> got = results.get(v);
      if (got == null) {
        missing.add(v);
      } else {
        dup += got.size() - 1;
      }
    }
    duplicates = dup;

    int validDead = 0;
    // As many messages as the settled DLQ says it holds, each received once (then hidden 10 min):
    // an empty receive is not taken to mean an empty queue.
    int held = Integer.parseInt(sqs.getQueueAttributes(r ->
            r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        .attributes()
        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    Set<String> seen = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (seen.size() < held) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("chaos: the DLQ says it holds " + held
            + " messages, but 2 minutes of receives gave " + seen.size());
      }
      List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(dlqUrl)
              .maxNumberOfMessages(10)
              .waitTimeSeconds(1)
              .visibilityTimeout(600)
              .messageAttributeNames("All")
              .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
          .messages();
      for (Message m : batch) {
        if (!seen.add(m.messageId())) {
          continue;
        }
        Version v = versionOf(m.body(), byVersion);
        var reason = m.messageAttributes().get(DEFERRAL_REASON);
        String why = reason != null
            ? "last deferral: " + reason.stringValue()
            : "receives exhausted (" + m.attributesAsStrings().get("ApproximateReceiveCount")
                + " here)";
        dead.add(new Dead(v, why));
        if (v != null && valid.contains(v)) {
          validDead++;
        }
      }
    }
    validInDlq = validDead;
  }

  private static Version identity(String key, String versionId, String eTag, boolean byVersion) {
    return new Version(
        key,
        ResultItem.skFor(
            byVersion ? versionId : null, eTag == null ? null : eTag.replace("\"", "")));
  }

  /** Whether any result of the run names a version id (S3's notifications do in a versioned bucket; moto's do not). */
  private static boolean notificationsCarryVersions(
      DynamoDbClient dynamoDb, String table, String pkPrefix) {
    for (var page : dynamoDb.scanPaginator(r -> r.tableName(table)
        .filterExpression("begins_with(pk, :p)")
        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pkPrefix))))) {
      for (Map<String, AttributeValue> item : page.items()) {
        if (item.containsKey("versionId") && item.get("versionId").s() != null) {
          return true;
        }
      }
    }
    return false;
  }

  /** The object version an S3 notification body is about; null for anything else. */
  static Version versionOf(String body, boolean byVersion) {
    try {
      JsonNode object = JSON.readTree(body).path("Records").path(0).path("s3").path("object");
      if (!object.has("key")) {
        return null;
      }
      String versionId =
          object.hasNonNull("versionId") ? object.get("versionId").asText() : null;
      String eTag = object.hasNonNull("eTag") ? object.get("eTag").asText() : null;
      return identity(
          URLDecoder.decode(object.get("key").asText(), StandardCharsets.UTF_8),
          versionId,
          eTag,
          byVersion);
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  /** Verdicts the pipeline documents for a valid image: deleted, or overwritten, before it was classified. */
  static final String DELETED = "deleted before classification";

  static final String OVERWRITTEN = "overwritten before classification";

  /** The kind of a valid image's rejection: one of the documented ones, or the reason with the object's URI cut out. */
  private static String kindOf(ResultItem r) {
    String reason = r.reason() == null ? "(no reason)" : r.reason();
    if (reason.contains("no longer exists")) {
      return DELETED;
    }
    if (reason.contains("was overwritten before it could be classified")) {
      return OVERWRITTEN;
    }
    String uri = "s3://" + r.bucket() + "/" + r.key();
    reason = reason.replace(uri, "OBJECT");
    return reason.length() > 100 ? reason.substring(0, 97) + "..." : reason;
  }

  /** Valid images rejected for a reason the pipeline does not document for them (a model crash taken for poison...). */
  int validRejectedOtherwise() {
    return validRejected.entrySet().stream()
        .filter(e -> !e.getKey().equals(DELETED) && !e.getKey().equals(OVERWRITTEN))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  boolean clean() {
    return missing.isEmpty()
        && duplicates == 0
        && unexpected.isEmpty()
        && validInDlq == 0
        && validRejectedOtherwise() == 0;
  }
}
