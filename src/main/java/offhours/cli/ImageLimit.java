package offhours.cli;

import java.util.Optional;
import offhours.aws.PayloadLimits;
import offhours.stack.Hosting;
import offhours.units.Sizes;

/**
 * The largest image the stack's Classify function sends to its endpoint (its MAX_IMAGE_BYTES): what {@code upload}
 * notes a file over, as one that will be REJECTED, and what the page of {@code ui} refuses to store. Read as {@link
 * LiveSettingsLookup} reads the model's settings, from what the command line already has of the stack, its hosting
 * as {@code cost} reads it ({@link Target#hostingValue}: from the DescribeStacks every command calls first, or the
 * local stack's state file); and turned into the limit by the mapping template.yaml and local mode set MAX_IMAGE_BYTES
 * by ({@link Hosting#maxImageBytes}), so no AWS call and no permission is added. A stack without the setting (an older
 * template or state file) predates serverless hosting and has InvokeEndpoint's limit. A hosting this version does not
 * know (a newer template's) gets InvokeEndpoint's limit too, every hosting's but serverless's, with the reason in
 * {@code assumption}, which each command shows where its user sees it.
 *
 * @param bytes the limit
 * @param assumption why the limit is InvokeEndpoint's rather than read from the stack; empty when read
 */
record ImageLimit(long bytes, Optional<String> assumption) {

  /** The limit of {@code target}'s Classify function. */
  static ImageLimit of(Target target) {
    Optional<String> value = target.hostingValue();
    if (value.isEmpty()) {
      // A stack from before the Hosting setting predates serverless hosting, which came after it:
      // it can only be scheduled, whose limit is InvokeEndpoint's. Nothing is assumed, so no note.
      return new ImageLimit(PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES, Optional.empty());
    }
    try {
      return new ImageLimit(Hosting.parse(value.get()).maxImageBytes(), Optional.empty());
    } catch (IllegalArgumentException e) {
      return assumed(target.description() + "'s hosting is '" + value.get()
          + "', which this version does not know (" + Hosting.spellings() + ")");
    }
  }

  private static ImageLimit assumed(String why) {
    return new ImageLimit(
        PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES,
        Optional.of(Terminal.printable(why + "; the limit taken is InvokeEndpoint's, "
            + Sizes.format(PayloadLimits.INVOKE_ENDPOINT_BODY_BYTES)
            + ", which every hosting has but serverless ("
            + Sizes.format(Hosting.SERVERLESS.maxImageBytes()) + ")")));
  }
}
