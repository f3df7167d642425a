package offhours.stack;

import java.util.Locale;

/** What offhours needs to know of a SageMaker instance type (ml.FAMILY.SIZE) beyond its name. */
public final class InstanceTypes {

  private InstanceTypes() {}

  /**
   * Whether {@code type} carries accelerators: GPUs (the g and p families) or AWS Inferentia and Trainium chips (inf,
   * trn). A model built for one needs its accelerator given to it (an inference component asks for it by count), and
   * serverless inference has none.
   */
  public static boolean accelerated(String type) {
    String family = type.strip().toLowerCase(Locale.ROOT).replaceFirst("^ml\\.", "");
    return family.startsWith("g")
        || family.startsWith("p")
        || family.startsWith("inf")
        || family.startsWith("trn");
  }
}
