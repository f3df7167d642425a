package offhours.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import offhours.aws.AwsClients;
import offhours.aws.AwsClients.Service;
import offhours.local.moto.MotoServer;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.regions.Region;

/**
 * Gives integration tests an S3/SQS/DynamoDB endpoint that speaks the real wire protocols.
 *
 * <p>By default it starts one {@code moto_server} per test JVM (no Docker needed) and stops it when the
 * JVM's tests are done. With {@code OFFHOURS_TEST_AWS_ENDPOINT=http://host:port} it uses that endpoint
 * instead, e.g. LocalStack in Docker ({@code http://localhost:4566}). Tests therefore create resources
 * with unique names rather than resetting the server.
 */
public final class AwsServicesExtension implements ParameterResolver {

  public static final String ENDPOINT_VARIABLE = "OFFHOURS_TEST_AWS_ENDPOINT";

  /** What a test gets: the endpoint, and clients configured for it. */
  public record AwsServices(URI endpoint, boolean external, AwsClients clients) {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == AwsServices.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            Shared.class, k -> Shared.open(System.getenv(ENDPOINT_VARIABLE)), Shared.class)
        .services;
  }

  static final class Shared implements ExtensionContext.Store.CloseableResource {
    final AwsServices services;
    private final MotoServer moto;

    private Shared(AwsServices services, MotoServer moto) {
      this.services = services;
      this.moto = moto;
    }

    static Shared open(String externalEndpoint) {
      if (externalEndpoint != null && !externalEndpoint.isBlank()) {
        URI endpoint = URI.create(externalEndpoint.strip());
        return new Shared(new AwsServices(endpoint, true, clientsFor(endpoint)), null);
      }
      try {
        Path log = Files.createTempFile("moto_server-", ".log");
        MotoServer moto = MotoServer.start(log);
        return new Shared(
            new AwsServices(moto.endpoint(), false, clientsFor(moto.endpoint())), moto);
      } catch (IOException e) {
        throw new IllegalStateException(
            "integration tests need moto_server (or " + ENDPOINT_VARIABLE
                + " pointing at an AWS-compatible endpoint): " + e.getMessage(),
            e);
      }
    }

    private static AwsClients clientsFor(URI endpoint) {
      return AwsClients.local(
          Region.US_EAST_1,
          Map.of(
              Service.S3,
              endpoint,
              Service.SQS,
              endpoint,
              Service.DYNAMODB,
              endpoint,
              Service.LAMBDA,
              endpoint));
    }

    @Override
    public void close() {
      services.clients().close();
      if (moto != null) {
        moto.close();
      }
    }
  }
}
