package offhours.classify;

import java.nio.charset.StandardCharsets;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;

/** Resolves the class names: LABELS as given, else the text file at LABELS_S3_URI, read once at init. */
final class Labels {

  private Labels() {}

  static ClassifyConfig resolve(ClassifyConfig config, S3Client s3) {
    if (!config.labels().isEmpty()) {
      return config;
    }
    String uri = config.labelsS3Uri();
    String path = uri.substring("s3://".length());
    String bucket = path.substring(0, path.indexOf('/'));
    String key = path.substring(path.indexOf('/') + 1);
    String text = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
    List<String> labels = ClassifyConfig.parseLabelLines(text);
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("LABELS_S3_URI " + uri + " holds no labels (expected one per line)");
    }
    return config.withLabels(labels);
  }
}
