package offhours.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import offhours.cli.Target.Name;
import offhours.endpoint.Endpoint;
import offhours.endpoint.InferenceComponent;
import offhours.stack.Hosting;
import offhours.units.Plurals;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.DescribeInferenceComponentResponse;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariant;
import software.amazon.awssdk.services.sagemaker.model.ProductionVariantServerlessConfig;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

/**
 * What the stack's hosting switches, for {@code endpoint status}: with scale-to-zero the endpoint stays InService while
 * the inference component's copies go between 0 and N, so the copies tell whether anything answers; with serverless
 * the stack owns the endpoint, and its memory and concurrency matter; with scheduled the endpoint itself is what is
 * switched.
 *
 * @param hosting the stack's hosting, or null when the stack does not record it (a stack of an older version)
 * @param unknown why the hosting is not known (null when it is)
 * @param componentName scale-to-zero: the inference component, else null
 * @param component scale-to-zero: its DescribeInferenceComponent, null when there is none
 * @param configName serverless: the endpoint's config (the one it runs, else the stack's), else null
 * @param serverless serverless: that config's ServerlessConfig, null when the config is gone or has none
 */
record HostingStatus(
    Hosting hosting,
    String unknown,
    String componentName,
    DescribeInferenceComponentResponse component,
    String configName,
    ProductionVariantServerlessConfig serverless) {

  HostingStatus {
    if ((hosting == null) == (unknown == null)) {
      throw new IllegalArgumentException("either a hosting or why it is unknown, not both");
    }
  }

  private static HostingStatus unknown(String why) {
    return new HostingStatus(null, why, null, null, null, null);
  }

  static HostingStatus scheduled() {
    return new HostingStatus(Hosting.SCHEDULED, null, null, null, null, null);
  }

  static HostingStatus scaleToZero(String name, DescribeInferenceComponentResponse component) {
    return new HostingStatus(
        Hosting.SCALE_TO_ZERO, null, Objects.requireNonNull(name), component, null, null);
  }

  static HostingStatus serverless(String config, ProductionVariantServerlessConfig serverless) {
    return new HostingStatus(
        Hosting.SERVERLESS, null, null, null, Objects.requireNonNull(config), serverless);
  }

  /**
   * The target's hosting (its output HostingOption, or the local state file's names.hosting) and what it switches, read
   * with DescribeInferenceComponent or DescribeEndpointConfig; {@code endpoint} is the endpoint's description or null.
   */
  static HostingStatus read(
      Target target, SageMakerClient sageMaker, DescribeEndpointResponse endpoint) {
    Optional<String> value = target.optionalName(Name.HOSTING);
    if (value.isEmpty()) {
      return unknown(target.missing(Name.HOSTING));
    }
    Hosting hosting;
    try {
      hosting = Hosting.parse(value.get());
    } catch (IllegalArgumentException e) {
      return unknown(target.description() + " says its hosting is '" + value.get()
          + "', which this version of offhours does not know");
    }
    return switch (hosting) {
      case SCHEDULED -> scheduled();
      case SCALE_TO_ZERO -> {
        String name = target.name(Name.INFERENCE_COMPONENT);
        yield scaleToZero(name, InferenceComponent.describe(sageMaker, name));
      }
      case SERVERLESS -> {
        String config = endpoint != null && endpoint.endpointConfigName() != null
            ? endpoint.endpointConfigName()
            : target.name(Name.ENDPOINT_CONFIG);
        yield serverless(config, serverlessConfig(sageMaker, config));
      }
    };
  }

  /** The config's first serverless variant's settings; null when the config has none or does not exist. */
  private static ProductionVariantServerlessConfig serverlessConfig(
      SageMakerClient sageMaker, String config) {
    try {
      return sageMaker
          .describeEndpointConfig(r -> r.endpointConfigName(config))
          .productionVariants()
          .stream()
          .map(ProductionVariant::serverlessConfig)
          .filter(Objects::nonNull)
          .findFirst()
          .orElse(null);
    } catch (SageMakerException e) {
      // A missing config is a ValidationException "Could not find endpoint configuration ...", as a
      // missing endpoint.
      String message =
          e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorMessage());
      if (message.toLowerCase(Locale.ROOT).contains("could not find endpoint configuration")) {
        return null;
      }
      throw e;
    }
  }

  /** The lines after the endpoint's: the hosting and what it switches; every value from AWS made printable. */
  String render(DescribeEndpointResponse endpoint) {
    if (hosting == null) {
      return "hosting: unknown (" + Terminal.printable(unknown) + "); showing the endpoint alone\n";
    }
    StringBuilder text = new StringBuilder(line(hosting)).append('\n');
    switch (hosting) {
      case SCHEDULED -> {}
      case SCALE_TO_ZERO -> {
        text.append("inference component ")
            .append(Terminal.printable(componentName))
            .append(": ");
        if (component == null) {
          text.append(
              "absent (nothing answers; uploads wait in the queue until the controller creates it)\n");
        } else {
          text.append(copiesState());
          if (component.failureReason() != null) {
            text.append(": ").append(Terminal.printable(component.failureReason()));
          }
          text.append('\n');
        }
      }
      case SERVERLESS -> {
        text.append("serverless config ").append(Terminal.printable(configName)).append(": ");
        if (serverless == null) {
          text.append("no serverless variant found (deleted, or not this stack's?)\n");
        } else {
          text.append(serverless.memorySizeInMB())
              .append(" MB memory, max concurrency ")
              .append(serverless.maxConcurrency())
              .append(" (")
              .append(serverlessMeaning(endpoint))
              .append(")\n");
        }
      }
    }
    return text.toString();
  }

  /**
   * "hosting: H (what the controller switches)": the first line {@code endpoint status} shows of the hosting, and
   * what {@code demo} says of it before it uploads.
   */
  static String line(Hosting hosting) {
    return "hosting: " + hosting.value() + " ("
        + switch (hosting) {
          case SCHEDULED -> "the controller creates the endpoint and deletes it";
          case SCALE_TO_ZERO ->
            "the endpoint stays; the controller switches the inference component's copies";
          case SERVERLESS ->
            "the stack owns the endpoint; the controller never creates nor deletes it";
        }
        + ")";
  }

  /**
   * Scale-to-zero, a component that exists: its status, its copies and what they mean, e.g. "Creating, 0 of 1 copies
   * (scaling to 1 copy; nothing answers yet)"; every value from AWS made printable.
   */
  String copiesState() {
    return Terminal.printable(component.inferenceComponentStatusAsString()) + ", " + currentCopies()
        + " of " + desiredCopies() + " copies (" + meaning() + ")";
  }

  /** What an absent endpoint means with this hosting, for the endpoint line. */
  String absentEndpoint() {
    String why;
    if (hosting == Hosting.SERVERLESS) {
      why = "the stack creates this endpoint, not the controller: update or redeploy the stack;"
          + " uploads wait in the queue meanwhile";
    } else if (hosting == Hosting.SCALE_TO_ZERO) {
      why = "the controller creates it at the first wake; uploads wait in the queue";
    } else {
      why = "uploads wait in the queue until it is started";
    }
    return Endpoint.State.ABSENT.shown() + " (" + why + ")";
  }

  /** What the component's copies mean for an upload: "0 copies: nothing answers; ...", "scaling to 2 copies", ... */
  private String meaning() {
    return switch (component.inferenceComponentStatusAsString()) {
      case "Failed" -> "failed: nothing answers; the controller replaces it";
      case "Deleting" -> "being deleted: nothing answers";
      default -> copiesMeaning(currentCopies(), desiredCopies());
    };
  }

  static String copiesMeaning(int current, int desired) {
    if (current == 0 && desired == 0) {
      return "0 copies: nothing answers; uploads wait in the queue";
    }
    if (current == desired) {
      return copies(current) + " serving";
    }
    if (desired > current) {
      return "scaling to " + copies(desired)
          + (current == 0 ? "; nothing answers yet" : "; " + current + " serving");
    }
    return "scaling in to " + copies(desired) + "; " + current + " still serving";
  }

  private static String copies(int n) {
    return Plurals.of(n, "copy", "copies");
  }

  private static String serverlessMeaning(DescribeEndpointResponse endpoint) {
    if (endpoint == null) {
      return "the endpoint is gone and the controller does not create it: update or re-create the stack";
    }
    return switch (endpoint.endpointStatusAsString()) {
      case "InService", "Updating" ->
        "answers on demand: a cold start after idle; beyond the concurrency SageMaker throttles and uploads are deferred";
      default ->
        "nothing answers while the endpoint is "
            + Terminal.printable(endpoint.endpointStatusAsString());
    };
  }

  private int currentCopies() {
    Integer n =
        component.runtimeConfig() == null ? null : component.runtimeConfig().currentCopyCount();
    return n == null ? 0 : n;
  }

  private int desiredCopies() {
    Integer n =
        component.runtimeConfig() == null ? null : component.runtimeConfig().desiredCopyCount();
    return n == null ? 0 : n;
  }

  /** Adds "hosting", "inferenceComponent" and "serverless" (null where they do not apply) to {@code json}. */
  void putJson(ObjectNode json) {
    json.put("hosting", hosting == null ? null : hosting.value());
    if (hosting == Hosting.SCALE_TO_ZERO) {
      ObjectNode c = json.putObject("inferenceComponent").put("name", componentName);
      if (component == null) {
        c.put("status", "absent").put("currentCopies", 0).put("desiredCopies", 0);
        c.putNull("failureReason");
        c.put("meaning", copiesMeaning(0, 0));
      } else {
        c.put("status", component.inferenceComponentStatusAsString())
            .put("currentCopies", currentCopies())
            .put("desiredCopies", desiredCopies())
            .put("failureReason", component.failureReason())
            .put("meaning", meaning());
      }
    } else {
      json.putNull("inferenceComponent");
    }
    if (hosting == Hosting.SERVERLESS) {
      ObjectNode s = json.putObject("serverless").put("endpointConfig", configName);
      s.put("memorySizeInMB", serverless == null ? null : serverless.memorySizeInMB());
      s.put("maxConcurrency", serverless == null ? null : serverless.maxConcurrency());
      s.put("ownedByStack", true);
    } else {
      json.putNull("serverless");
    }
  }
}
