package offhours.cli;

import java.util.List;
import java.util.stream.Stream;

/**
 * The registry of {@code offhours} commands, in the order {@code offhours --help} lists them.
 *
 * <p>To add a command, implement {@link Command} (a group via {@link Command#group}) and list it in
 * {@link #all()}; tests may pass any list to {@link Main#Main(Context, List)} instead.
 */
public final class Commands {

  private Commands() {}

  /** The commands this package implements. */
  private static List<Command> builtIn() {
    return List.of(
        new UploadCommand(),
        new ResultsCommand(),
        new QueueCommand(),
        DlqCommand.group(),
        new ReprocessCommand(),
        new BackfillCommand(),
        Command.group(
            "endpoint",
            "show, start or stop the SageMaker endpoint",
            Stream.concat(
                    Stream.of(new EndpointStatusCommand()), EndpointControlCommand.all().stream())
                .toList()));
  }

  /**
   * Everything {@code scripts/offhours} offers. Commands built elsewhere ({@code demo},
   * {@code local start|stop|status}, {@code simulate}, {@code trace}, {@code cost}, {@code ui}, {@code quotas},
   * {@code deploy-policy}) are
   * added here.
   */
  public static List<Command> all() {
    return Stream.of(
            Stream.of(new DemoCommand(), LocalCommand.group()),
            builtIn().stream(),
            Stream.of(
                new CostCommand(),
                new SimulateCommand(),
                new TraceCommand(),
                new UiCommand(),
                new QuotasCommand(),
                new DeployPolicyCommand()))
        .flatMap(s -> s)
        .toList();
  }
}
