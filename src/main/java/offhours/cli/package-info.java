/**
 * The {@code offhours} command line ({@code scripts/offhours}).
 *
 * <p>{@link offhours.cli.Main} parses the command line against the commands {@link offhours.cli.Commands#all()} lists,
 * each a {@link offhours.cli.Command}, most in a class named after it ({@code UploadCommand},
 * {@code EndpointStatusCommand}, {@code LocalStartCommand}, ...), and calls the one named; {@link offhours.cli.Context}
 * is everything it takes from outside (streams, environment, cache directory, clock), so a test runs any command in the
 * JVM. A command that works on a stack asks {@code Targets} for its {@link offhours.cli.Target}: the local stack, from
 * its state file, or with {@code --stack NAME} a deployed one, from CloudFormation's outputs. The classes beside the
 * commands are their parts (the DLQ pass, the backfill's run and checkpoint, the upload's plan), and how they speak
 * ({@code Format}, {@code TextTable}, {@code Terminal}, {@code Help}, {@code DidYouMean}).
 */
package offhours.cli;
