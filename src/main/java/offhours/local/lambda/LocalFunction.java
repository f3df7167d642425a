package offhours.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.time.Duration;

/**
 * A registered function: a handler called in-process with the event's JSON bytes (as Lambda's runtime hands them
 * to a stream handler), its ARN, and its timeout (1 s to 900 s, as on Lambda).
 */
record LocalFunction(String name, String arn, RequestStreamHandler handler, Duration timeout) {}
