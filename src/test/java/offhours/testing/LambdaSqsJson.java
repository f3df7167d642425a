package offhours.testing;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SQS events and partial batch responses in the JSON Lambda exchanges with a function, written and read by the
 * Lambda runtime's own serializer, so tests can build events as objects and still hand a stream handler exactly
 * the bytes Lambda would.
 */
public final class LambdaSqsJson {

  private static final PojoSerializer<SQSEvent> EVENTS =
      LambdaEventSerializers.serializerFor(SQSEvent.class, LambdaSqsJson.class.getClassLoader());
  private static final PojoSerializer<SQSBatchResponse> RESPONSES =
      LambdaEventSerializers.serializerFor(
          SQSBatchResponse.class, LambdaSqsJson.class.getClassLoader());

  private LambdaSqsJson() {}

  /** An event fixture from events/, read as the runtime reads it. */
  public static SQSEvent fixture(String name) {
    try (InputStream in = Files.newInputStream(Path.of("events", name))) {
      return EVENTS.fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] toJson(SQSEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EVENTS.toJson(event, out);
    return out.toByteArray();
  }

  public static SQSEvent event(byte[] json) {
    return EVENTS.fromJson(new ByteArrayInputStream(json));
  }

  public static SQSBatchResponse response(byte[] json) {
    return RESPONSES.fromJson(new ByteArrayInputStream(json));
  }

  public static byte[] toJson(SQSBatchResponse response) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RESPONSES.toJson(response, out);
    return out.toByteArray();
  }

  /** Calls a stream handler the way the Lambda runtime does, with {@code event} as JSON; reads its response. */
  public static SQSBatchResponse invoke(RequestStreamHandler handler, SQSEvent event) {
    return invoke(handler, toJson(event));
  }

  public static SQSBatchResponse invoke(RequestStreamHandler handler, byte[] event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      handler.handleRequest(new ByteArrayInputStream(event), out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return response(out.toByteArray());
  }

  /** A stream handler that reads and writes with the runtime's serializer around a typed handler (tests only). */
  public static RequestStreamHandler streaming(RequestHandler<SQSEvent, SQSBatchResponse> typed) {
    return (in, out, context) -> {
      SQSBatchResponse response = typed.handleRequest(EVENTS.fromJson(in), context);
      if (response != null) {
        RESPONSES.toJson(response, out);
      }
    };
  }
}
