package offhours.cli;

import java.io.PrintStream;

/** One run of a leaf command: the parsed arguments and the context. */
public record Invocation(Arguments args, Context context) {

  public PrintStream out() {
    return context.out();
  }

  public PrintStream err() {
    return context.err();
  }

  /**
   * The stack to work on: {@code --stack NAME} if the command declares {@link Option#STACK} and it was
   * given, else the local stack. The caller owns the result: close it (try-with-resources).
   */
  public Target target() {
    return Targets.resolve(context, args.value(Option.STACK.name()));
  }

  public boolean json() {
    return args.has(Option.JSON.name());
  }
}
