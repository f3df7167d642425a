package offhours.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Every stack update that changes one parameter of template.yaml between two of its values, under each hosting: a
 * parameter with AllowedValues takes its Default and the first few others, any other the values of {@link #SAMPLES}
 * (which each parameter without AllowedValues must have). Each pair is compared once: a resource one direction
 * creates, the other deletes, and a replacement is one either way.
 */
final class ParameterChanges {

  /** Values of the parameters without AllowedValues: the Default first, then others their constraints accept. */
  static final Map<String, List<String>> SAMPLES = Map.ofEntries(
      Map.entry(
          "ModelDataUrl",
          List.of(
              "",
              "s3://offhours-models/m.tar.gz",
              "s3://other-models/m.tar.gz",
              "s3://offhours-models/v2/m.tar.gz")),
      Map.entry(
          "ContainerImage",
          List.of(
              FakeStack.REQUIRED_PARAMETERS.get("ContainerImage"),
              "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-inference:2.1.0",
              "811284229777.dkr.ecr.us-east-1.amazonaws.com/image-classification:2")),
      Map.entry(
          "ContainerEnvironment",
          List.of("", "HF_MODEL_ID=google/vit-base-patch16-224,HF_TASK=image-classification")),
      Map.entry("InstanceCount", List.of("1", "2")),
      Map.entry("InstanceHourlyPriceUsd", List.of("0.115", "0.23")),
      Map.entry("WorkingHours", List.of("Mon-Fri 08:00-19:00", "24/7", "")),
      Map.entry("Holidays", List.of("", "2026-12-24,2026-12-25")),
      Map.entry("WakeBacklogMessages", List.of("0", "100")),
      Map.entry("WakeBacklogAgeMinutes", List.of("0", "60")),
      Map.entry("MaxWaitMinutes", List.of("60", "0", "next-opening")),
      Map.entry("IdleStopMinutes", List.of("15", "0")),
      Map.entry("CreateTimeoutMinutes", List.of("45", "60")),
      Map.entry("DrainTimeoutMinutes", List.of("10", "0")),
      Map.entry("Labels", List.of("Drawing,Hentai,Neutral,Porn,Sexy", "")),
      Map.entry("LabelsS3Uri", List.of("", "s3://offhours-models/labels.txt")),
      Map.entry("ContentType", List.of("application/x-image", "auto")),
      Map.entry("Accept", List.of("application/json", "application/json;verbose")),
      Map.entry("TopK", List.of("3", "5")),
      Map.entry("BatchingWindowSeconds", List.of("5", "0")),
      Map.entry("MaximumConcurrency", List.of("5", "2")),
      Map.entry("DeferSeconds", List.of("60", "120")),
      Map.entry("MaxDeferrals", List.of("50", "10")),
      Map.entry("MaxReceiveCount", List.of("5", "3")),
      Map.entry("AlarmEmail", List.of("", "ops@example.com", "oncall@example.com")),
      Map.entry("AlarmTopicArn", List.of("", "arn:aws:sns:us-east-1:123456789012:team-alarms")),
      Map.entry("OldestMessageAlarmSeconds", List.of("345600", "392400")),
      Map.entry("ApiRateLimit", List.of("10", "50")),
      Map.entry("ApiBurstLimit", List.of("20", "100")),
      Map.entry("LiveVersionsRevision", List.of("1", "2")));

  /** How many of a parameter's AllowedValues are tried: the Default and the first others up to this many. */
  private static final int ALLOWED_VALUES_TRIED = 4;

  static final List<String> HOSTINGS = List.of("scheduled", "scale-to-zero", "serverless");

  /** One update: {@code parameter} from {@code from} to {@code to}, on a stack of {@code hosting}. */
  record Change(String parameter, String hosting, String from, String to, ParameterUpdate update) {
    /** The hosting after the update: {@code to} when the change is of Hosting itself. */
    String hostingAfter() {
      return parameter.equals("Hosting") ? to : hosting;
    }

    @Override
    public String toString() {
      return parameter + " " + from + " -> " + to + " (Hosting " + hosting + ")";
    }
  }

  private static List<Change> all;

  private ParameterChanges() {}

  static Map<String, Object> template() {
    try {
      return CloudFormationYaml.parse(Files.readString(Path.of("template.yaml")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The values tried for {@code parameter} of {@code template}, its Default (or the required one) first. */
  static List<String> values(Map<String, Object> template, String parameter) {
    Map<String, Object> spec =
        StackResolver.map(StackResolver.map(template.get("Parameters")).get(parameter));
    if (!(spec.get("AllowedValues") instanceof List<?> allowed)) {
      List<String> samples = SAMPLES.get(parameter);
      if (samples == null) {
        throw new IllegalStateException(
            "parameter " + parameter + " has no AllowedValues and no SAMPLES: add some");
      }
      return samples;
    }
    String dflt = String.valueOf(spec.get("Default"));
    List<String> values = new ArrayList<>(List.of(dflt));
    for (Object v : allowed) {
      if (values.size() < ALLOWED_VALUES_TRIED && !String.valueOf(v).equals(dflt)) {
        values.add(String.valueOf(v));
      }
    }
    return values;
  }

  /** Whether {@code value} meets {@code parameter}'s AllowedPattern, MaxLength, MinValue and MaxValue. */
  static boolean accepts(Map<String, Object> template, String parameter, String value) {
    Map<String, Object> spec =
        StackResolver.map(StackResolver.map(template.get("Parameters")).get(parameter));
    if (spec.get("AllowedPattern") instanceof String pattern
        && !Pattern.compile(pattern).matcher(value).matches()) {
      return false;
    }
    if (spec.get("MaxLength") instanceof Number max && value.length() > max.intValue()) {
      return false;
    }
    if (spec.get("MinValue") instanceof Number min
        && Double.parseDouble(value) < min.doubleValue()) {
      return false;
    }
    return !(spec.get("MaxValue") instanceof Number max)
        || Double.parseDouble(value) <= max.doubleValue();
  }

  /** Every change, computed once for all tests (a few seconds: each resolves the whole template twice or more). */
  static synchronized List<Change> all() {
    if (all == null) {
      all = List.copyOf(compute(template()));
    }
    return all;
  }

  /**
   * The parameters every change starts from: the required ones, {@code hosting}, and the dashboard on, so that a
   * parameter the dashboard shows changes its body (Dashboard's own change creates or deletes it).
   */
  static Map<String, String> base(String hosting) {
    Map<String, String> base = new HashMap<>(FakeStack.REQUIRED_PARAMETERS);
    base.put("Hosting", hosting);
    base.put("Dashboard", "true");
    return base;
  }

  private static List<Change> compute(Map<String, Object> template) {
    FakeStack stack = FakeStack.create(Map.of());
    List<Change> changes = new ArrayList<>();
    for (String parameter : StackResolver.map(template.get("Parameters")).keySet()) {
      List<String> values = values(template, parameter);
      for (String hosting : parameter.equals("Hosting") ? List.of("scheduled") : HOSTINGS) {
        for (int i = 0; i < values.size(); i++) {
          for (int j = i + 1; j < values.size(); j++) {
            Map<String, String> before = base(hosting);
            Map<String, String> after = new HashMap<>(before);
            before.put(parameter, values.get(i));
            after.put(parameter, values.get(j));
            changes.add(new Change(
                parameter,
                hosting,
                values.get(i),
                values.get(j),
                ParameterUpdate.of(template, stack, before, after)));
          }
        }
      }
    }
    return changes;
  }
}
