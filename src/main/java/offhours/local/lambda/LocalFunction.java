package offhours.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.time.Duration;

/** A registered function: a handler called in-process, its ARN, and its timeout (1 s to 900 s, as on Lambda). */
record LocalFunction(String name, String arn, RequestHandler<SQSEvent, SQSBatchResponse> handler, Duration timeout) {}
