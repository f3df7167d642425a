package offhours.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.time.Instant;

/** The one JSON mapper of the CLI; {@code --json} output is one compact object per line. */
final class Json {

  /**
   * Writes an {@link Instant} as its ISO-8601 text, as the API's JSON does (offhours.api.JsonText), so a map the API
   * builds (StatusView's) reads the same in {@code --json}.
   */
  static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule().addSerializer(Instant.class, ToStringSerializer.instance));

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
