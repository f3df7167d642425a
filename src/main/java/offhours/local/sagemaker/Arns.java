package offhours.local.sagemaker;

import java.util.Locale;

/** The region and account of one local SageMaker, and the ARNs and lookup keys of its resources. */
record Arns(String region, String account) {

  /** SageMaker ARNs carry the resource name in lower case (names are unique regardless of case). */
  String arn(String type, String name) {
    return "arn:aws:sagemaker:" + region + ":" + account + ":" + type + "/" + key(name);
  }

  /** The key a resource is stored under: names differing only in case name the same resource. */
  static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
