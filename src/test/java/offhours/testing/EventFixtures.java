package offhours.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The AWS-shaped events in events/ as Lambda hands them to a {@code Map} handler (the controller's, the custom
 * resources'); {@link LambdaSqsJson#fixture} reads the SQS ones as Classify gets them.
 */
public final class EventFixtures {

  private EventFixtures() {}

  /** The event in events/{@code name}. */
  public static Map<String, Object> fixture(String name) {
    try {
      return new ObjectMapper()
          .readValue(Path.of("events", name).toFile(), new TypeReference<>() {});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
