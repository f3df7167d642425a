package offhours.local.lambda;

import com.sun.net.httpserver.HttpServer;
import java.time.Clock;
import java.util.function.Function;
import offhours.aws.PayloadLimits;
import offhours.local.auth.GuardFilter;
import offhours.local.auth.RequestGuard;
import offhours.local.auth.RequestGuard.Refusal;
import offhours.local.invocation.FunctionInvoker;
import offhours.units.Shown;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * The local Lambda's HTTP API on its server: Invoke ({@link InvokeApi}), the event source mapping operations
 * ({@link MappingApi}) and, for any other path, Lambda's UnknownOperationException, each behind one guard that takes
 * only requests signed with the stack's credentials and addressed to this port, with a body of at most Invoke's 6 MB.
 * What runs behind the routes is {@link LocalLambda}'s.
 */
final class LambdaRoutes {
  private LambdaRoutes() {}

  /**
   * Puts the routes on {@code server}, bound but not started, for requests signed with {@code credentials} in
   * {@code region}; {@code functions} gives the registered function of each name, null for a name not registered.
   */
  static void serve(
      HttpServer server,
      AwsBasicCredentials credentials,
      String region,
      MappingApi.Backend mappings,
      Function<String, FunctionInvoker> functions) {
    RequestGuard guard =
        new RequestGuard(credentials, region, "lambda", "the local Lambda", Clock.systemUTC());
    guard.listeningOn(server.getAddress().getPort());
    // Lambda's synchronous Invoke takes at most 6 MB, refused in Lambda's words.
    GuardFilter filter = new GuardFilter(
        guard,
        PayloadLimits.LAMBDA_INVOKE_PAYLOAD_BYTES,
        new Refusal(
            413,
            "RequestEntityTooLargeException",
            "Request must be smaller than " + PayloadLimits.LAMBDA_INVOKE_PAYLOAD_BYTES
                + " bytes for the InvokeFunction operation"),
        LambdaError::write);
    server.createContext(MappingApi.PATH, new MappingApi(mappings)).getFilters().add(filter);
    server.createContext(InvokeApi.PATH, new InvokeApi(functions)).getFilters().add(filter);
    // Any other path, in Lambda's error shape: without a context, the JDK answers an HTML 404.
    server
        .createContext("/", exchange -> {
          try (exchange) {
            LambdaError.write(
                exchange,
                404,
                "UnknownOperationException",
                "offhours' local Lambda serves Invoke (" + InvokeApi.PATH
                    + "NAME/invocations) and the event source mapping API (" + MappingApi.PATH
                    + "); not " + Shown.value(exchange.getRequestMethod()) + " "
                    + Shown.value(exchange.getRequestURI().getRawPath()));
          }
        })
        .getFilters()
        .add(filter);
  }
}
