package offhours.cli;

import java.util.regex.Pattern;

/**
 * The shape of an S3 bucket name, checked before a Region or credentials are looked for: a name no bucket can have
 * gets a usage error naming where it came from, not a request that fails on the network or in the SDK.
 */
final class BucketName {

  /**
   * S3's bucket names: 3-63 lower-case letters, digits, dots and hyphens; a us-east-1 bucket created before March 2018
   * may also have capitals and underscores and up to 255 characters
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html), so those are let through too.
   */
  private static final Pattern ANY_BUCKET = Pattern.compile("[A-Za-z0-9._-]{3,255}");

  private BucketName() {}

  /**
   * {@code name}, if a bucket can have it.
   *
   * @param where what gave the name, for the message ("--bucket")
   */
  static String check(String where, String name) {
    if (ANY_BUCKET.matcher(name).matches()) {
      return name;
    }
    String hint = name.startsWith("s3://")
        ? " (the name alone, without s3://)"
        : " (3-63 lower-case letters, digits, dots and hyphens)";
    throw CliException.usage(
        where + " needs an S3 bucket name" + hint + ", got '" + Terminal.value(name) + "'");
  }
}
