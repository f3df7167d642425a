package offhours.cli;

import java.io.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import offhours.aws.CredentialSources;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The {@code offhours} command line. Streams and the environment come in through the constructor and
 * {@link #run} returns the exit code, so every command is testable without spawning a process.
 *
 * <p>Exit codes: 0 success, 1 the command failed (the message says why and what to do), 2 the command
 * line is wrong.
 */
public final class Main {

  private static final String SUMMARY =
      "offhours: classify images uploaded to S3 on a SageMaker endpoint that sleeps"
          + " when nobody needs it.";

  private final Context context;
  private final Command root;

  /** The built-in commands, with clients for a deployed stack from the usual AWS chains. */
  public Main(PrintStream out, PrintStream err, Map<String, String> env) {
    this(Context.of(out, err, env, false), Commands.all());
  }

  public Main(Context context, List<Command> commands) {
    this.context = context;
    this.root = Command.group("offhours", SUMMARY, commands);
  }

  public static void main(String... args) {
    OwnTmpdir.removeThisJvmsOnExit();
    quietLogging();
    oneLineLogs();
    Context context =
        Context.of(System.out, System.err, System.getenv(), interactive(System.console()));
    int code = new Main(context, Commands.all()).run(args);
    System.exit(StopSignals.exitCode(code));
  }

  /** java.util.logging's system property for {@code SimpleFormatter}'s format. */
  static final String LOG_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

  /**
   * One line per log record, {@code DATE TIME ZONE LEVEL LOGGER MESSAGE}: what the local stack's functions log ({@code
   * local run} prints it, {@code local start} writes it to its log) reads as CloudWatch shows a function's lines, with
   * the function in the logger's name ({@code offhours.lambda.offhours-controller}). The JDK's default takes two lines,
   * the first a date and the Java method that logged ({@code offhours.local.invocation.LambdaContext$1 log}), which
   * says nothing to a user. A format the user set ({@code -Djava.util.logging.SimpleFormatter.format}) is kept.
   */
  static void oneLineLogs() {
    if (System.getProperty(LOG_FORMAT_PROPERTY) == null) {
      System.setProperty(LOG_FORMAT_PROPERTY, "%1$tF %1$tT %1$tZ %4$s %3$s %5$s%6$s%n");
    }
  }

  /**
   * The AWS SDK logs through SLF4J (2.0, pinned in pom.xml), which prints lines about a missing provider to
   * stderr on first use. The CLI has nothing to log through it, so it binds SLF4J once with stderr muted. (A
   * runtime {@code slf4j-nop} dependency would do the same for every entry point.)
   */
  private static void quietLogging() {
    PrintStream err = System.err;
    System.setErr(new PrintStream(OutputStream.nullOutputStream()));
    try {
      org.slf4j.LoggerFactory.getILoggerFactory();
    } finally {
      System.setErr(err);
    }
  }

  /**
   * Whether progress may redraw a line. Before JDK 22 a console exists only on a terminal; from JDK 22 a
   * console may exist for redirected streams too and {@code Console.isTerminal()} (absent from the Java 21
   * API this build targets, hence the reflection) tells.
   */
  private static boolean interactive(Console console) {
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  public int run(String... args) {
    List<String> rest = Arrays.asList(args);
    Command command = root;
    String path = root.name();
    List<String> globals =
        new ArrayList<>(); // "--stack NAME" before the command: handed to the leaf
    boolean endOfOptions = false; // "offhours -- results": a "--" before the command
    try {
      if (!rest.isEmpty() && rest.getFirst().equals("help")) { // "offhours help endpoint start"
        // "help -- results" is the help of results, not of a command named "--help"
        rest = Stream.concat(
                rest.stream().skip(1).filter(w -> !w.equals("--")), Stream.of("--help"))
            .toList();
      }
      while (!command.subcommands().isEmpty()) {
        if (rest.isEmpty()) {
          throw CliException.usage("'" + path + "' needs a command: "
              + String.join(
                  ", ", command.subcommands().stream().map(Command::name).toList()));
        }
        String word = rest.getFirst();
        if (word.equals("--") && !endOfOptions) {
          // POSIX's end of options: then the command, then its operands, and no option
          endOfOptions = true;
          rest = rest.subList(1, rest.size());
          continue;
        }
        if (!endOfOptions) { // after "--" every word is a command's name, even "--json"
          if (word.equals("--help") || word.equals("-h")) {
            context.out().print(Help.render(path, command));
            return 0;
          }
          if (word.startsWith("-")) {
            int taken = globalOption(word, rest, path);
            globals.addAll(rest.subList(0, taken));
            rest = rest.subList(taken, rest.size());
            continue;
          }
        }
        Optional<Command> next =
            command.subcommands().stream().filter(c -> c.name().equals(word)).findFirst();
        if (next.isEmpty()) {
          throw CliException.usage("unknown command '" + Terminal.value(word) + "' for '" + path
              + "'" + suggestion(word, command));
        }
        command = next.get();
        path = path + " " + word;
        rest = rest.subList(1, rest.size());
      }
      if (endOfOptions) {
        rest = Stream.concat(Stream.of("--"), rest.stream()).toList();
      }
      if (ArgumentParser.wantsHelp(rest)) {
        context.out().print(Help.render(path, command));
        return 0;
      }
      for (String given : globals) {
        String name = given.startsWith("--") ? given.substring(2).split("=", 2)[0] : null;
        if (name != null && command.options().stream().noneMatch(o -> o.name().equals(name))) {
          throw CliException.usage("--" + name + " does not apply to '" + path + "'");
        }
      }
      Arguments arguments = ArgumentParser.parse(
          path,
          command.options(),
          Stream.concat(globals.stream(), rest.stream()).toList());
      if (command.operands().isEmpty() && !arguments.operands().isEmpty()) {
        throw CliException.usage("unexpected argument '"
            + Terminal.value(arguments.operands().getFirst()) + "' for '" + path + "'");
      }
      return command.run(new Invocation(arguments, context));
    } catch (Exception e) {
      if (StopSignals.stopping()) {
        return CliException.FAILURE; // the stack went away under the command: Ctrl-C, not a fault
      }
      context.err().println("offhours: " + Terminal.printableLines(message(asTyped(path), e)));
      if (!(e instanceof CliException) && context.env().containsKey("OFFHOURS_DEBUG")) {
        e.printStackTrace(context.err());
      }
      return e instanceof CliException cli ? cli.exitCode() : CliException.FAILURE;
    }
  }

  /**
   * How many words a global option at the head of {@code rest} takes (1 for {@code --json} or
   * {@code --stack=NAME}, 2 for {@code --stack NAME}); anything else before the command is a usage error.
   */
  private static int globalOption(String word, List<String> rest, String path) {
    String name = word.startsWith("--") ? word.substring(2).split("=", 2)[0] : "";
    Option option = Option.GLOBAL.stream()
        .filter(o -> o.name().equals(name))
        .findFirst()
        .orElseThrow(() -> CliException.usage("unknown option "
            + Terminal.value(word.split("=", 2)[0]) + " for '" + path + "'"
            + DidYouMean.among(name, Option.GLOBAL.stream().map(Option::name).toList(), "--")));
    if (!option.takesValue() || word.contains("=")) {
      return 1;
    }
    if (rest.size() < 2 || rest.get(1).startsWith("--")) {
      throw CliException.usage("option --" + name + " needs a value: " + option.display());
    }
    return 2;
  }

  /**
   * The command the user typed: {@code path}, or {@code offhours local start} for the {@code local run} it runs in the
   * background, whose error a failed start shows the user ({@link StackProcess#STARTED_BY_LOCAL_START}).
   */
  private String asTyped(String path) {
    return path.equals("offhours local run")
            && "1".equals(context.env().get(StackProcess.STARTED_BY_LOCAL_START))
        ? "offhours local start"
        : path;
  }

  /** What went wrong, for the user: the command's own message, or what AWS or the network said. */
  static String message(String path, Exception e) {
    return switch (e) {
      case CliException cli ->
        cli.getMessage() + (cli.isUsage() ? "; see '" + path + " --help'" : "");
      case AwsServiceException aws
      when aws.awsErrorDetails() != null ->
        commandOf(path) + " failed: "
            + aws.awsErrorDetails().serviceName() + " answered "
            + aws.awsErrorDetails().errorCode() + ": "
            + (aws.awsErrorDetails().errorMessage() == null
                ? aws.getMessage()
                : aws.awsErrorDetails().errorMessage());
      case SdkClientException client
      when Targets.noCredentials(client) ->
        commandOf(path) + " failed: no AWS credentials: "
            + Targets.credentialsHelp(CredentialSources.userProfile());
      case SdkClientException client
      when Targets.refused(client) ->
        commandOf(path) + " failed: " + client.getMessage()
            + " (if this is the local stack, check it with 'scripts/offhours local status')";
      case SdkClientException client
      when Targets.timedOut(client) ->
        commandOf(path) + " failed: " + client.getMessage()
            + " (nothing answered in time: check the network, and HTTPS_PROXY if you need one; if this"
            + " is the local stack, check that it still answers with 'scripts/offhours local status')";
      case SdkClientException client
      when Targets.unknownHost(client).isPresent() ->
        commandOf(path) + " failed: cannot reach AWS: "
            + Targets.unknownHost(client).get()
            + " has no address here; check the network (and HTTPS_PROXY, if you need one), and that"
            + " the Region in that name is the one you mean";
      case SdkException sdk -> commandOf(path) + " failed: " + sdk.getMessage();
      case IOException io -> commandOf(path) + " failed: " + io.getMessage();
      case UncheckedIOException io -> commandOf(path) + " failed: " + io.getMessage();
      default ->
        "internal error in '" + path + "': " + e
            + " (set OFFHOURS_DEBUG=1 for the stack trace, and please report it)";
    };
  }

  /** "endpoint status" for "offhours endpoint status", for "offhours: endpoint status failed: ...". */
  private static String commandOf(String path) {
    return path.equals("offhours") ? path : path.substring("offhours ".length());
  }

  /** " (did you mean 'results'?)" when a subcommand is a likely typo of the word. */
  private static String suggestion(String word, Command group) {
    return DidYouMean.among(
        word, group.subcommands().stream().map(Command::name).toList(), "");
  }
}
