package offhours.local.sagemaker;

import java.util.Locale;
import offhours.units.Shown;

/** The region and account of one local SageMaker, and the ARNs and lookup keys of its resources. */
record Arns(String region, String account) {

  /** SageMaker ARNs carry the resource name in lower case (names are unique regardless of case). */
  String arn(String type, String name) {
    return "arn:aws:sagemaker:" + region + ":" + account + ":" + type + "/" + key(name);
  }

  /**
   * The ARN of a resource as a refusal quotes it when a request names it: the name escaped and cut as offhours quotes
   * any value from outside ({@link Shown#value}), since a lookup takes any string.
   */
  String shown(String type, String name) {
    return arn(type, Shown.value(name));
  }

  /** The key a resource is stored under: names differing only in case name the same resource. */
  static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
