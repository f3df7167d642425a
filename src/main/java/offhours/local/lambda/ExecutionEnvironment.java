package offhours.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import offhours.aws.AwsClients;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * One execution environment of a function, as Lambda runs them: the function's init builds its handler in it once,
 * and it serves one invocation at a time, again and again, until an invocation outlives its time (the function
 * timeout, or a chaos run's cut-off). Lambda then shuts the environment down, its process with it
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html), so nothing that invocation started
 * goes on; the next invocation gets a new environment, a cold start. Here an ended environment refuses every AWS call
 * its clients had not sent yet, at once, and closes what it opened: the handler's threads still at work fail fast and
 * end. A call already sent goes on, as a request sent before the shutdown reaches its service.
 */
public final class ExecutionEnvironment {

  private static final System.Logger LOG = System.getLogger(ExecutionEnvironment.class.getName());

  /** What Lambda runs to start an environment: here, the handler's construction, with its clients. */
  @FunctionalInterface
  public interface Init {
    /** Builds the handler, its AWS clients from {@link #clients} and anything else to close in {@link #open}. */
    RequestStreamHandler handler(ExecutionEnvironment environment);
  }

  /** As {@link Init}, for a function that takes a JSON object ({@link LocalLambda#registerJsonFunction}). */
  @FunctionalInterface
  public interface JsonInit {
    /** Builds the handler, its AWS clients from {@link #clients} and anything else to close in {@link #open}. */
    RequestHandler<Map<String, Object>, ?> handler(ExecutionEnvironment environment);
  }

  private final String function;
  private final List<AutoCloseable> opened = new ArrayList<>(); // guarded by this
  private volatile boolean ended;
  private RequestStreamHandler handler; // set once by its pool, before any invocation
  /** The pool's configuration this environment's init ran with: one updated since retires it. */
  private long configuration;

  private final PrintStream stdout =
      new PrintStream(new WholeLines(), true, StandardCharsets.UTF_8);

  private ExecutionEnvironment(String function) {
    this.function = function;
  }

  /**
   * A factory of this environment's AWS clients: {@code stack}'s region, credentials and endpoints, an HTTP client of
   * its own, and every call refused once the environment has ended. Every client built from it, or from a view of it
   * ({@link AwsClients#sharing}: the controller's run deadline), is closed with the environment, and then its HTTP
   * client.
   */
  public AwsClients clients(AwsClients stack) {
    return open(stack.withInterceptor(new EndedRefusal())).keptBy(this::open);
  }

  /**
   * The function's standard output in this environment: each whole line goes to this JVM's standard output, which all
   * environments share as a function's environments share its log group, until the environment ends; after that
   * nothing, as a Lambda environment that was shut down logs nothing more (Classify's handler, interrupted at a
   * cut-off, would otherwise still log the calls its ended environment refused).
   */
  public PrintStream stdout() {
    return stdout;
  }

  /** Closes {@code resource} (a client, say) when the environment ends; returns it. */
  public <T extends AutoCloseable> T open(T resource) {
    Objects.requireNonNull(resource, "resource");
    synchronized (this) {
      if (!ended) {
        opened.add(resource);
        return resource;
      }
    }
    close(resource); // opened by a thread of an environment already ended
    throw refused();
  }

  /** Whether the environment has ended: its calls are refused, what it opened closed. */
  boolean ended() {
    return ended;
  }

  /** Ends the environment: from now on its clients refuse every call; then what it opened is closed. */
  void end() {
    List<AutoCloseable> toClose;
    synchronized (this) {
      ended = true;
      toClose = new ArrayList<>(opened);
      opened.clear();
    }
    toClose.reversed().forEach(this::close);
  }

  private void close(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      LOG.log(
          Level.WARNING,
          "function {0}: closing an ended environment's {1}: {2}",
          function,
          resource.getClass().getSimpleName(),
          e.toString());
    }
  }

  private SdkClientException refused() {
    return SdkClientException.create(
        "the local Lambda ended this execution environment of " + function
            + " (an invocation outlived its timeout or was cut off), so it sends nothing more, as a Lambda environment"
            + " shut down sends nothing");
  }

  /**
   * Refuses a call once the environment has ended: as it starts (before its client, closed by then, fails it for
   * want of its timer), and each attempt right before it would be sent.
   */
  private final class EndedRefusal implements ExecutionInterceptor {
    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
      refuseIfEnded();
    }

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      refuseIfEnded();
    }

    private void refuseIfEnded() {
      if (ended) {
        throw refused();
      }
    }
  }

  /**
   * Whole lines to {@code System.out} as it is when each line ends (the bench and the chaos run set their own), so
   * lines of several environments never mix; a line that ends after the environment ended is dropped.
   */
  private final class WholeLines extends OutputStream {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      if (b != '\n') {
        line.write(b);
        return;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (!ended) {
        System.out.println(text);
      }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        write(bytes[i]);
      }
    }
  }

  /** The handler its init built; null until then. */
  RequestStreamHandler handler() {
    return handler;
  }

  /**
   * A function's environments: a free one serves the next invocation, else a new one starts (init); one whose
   * invocation outlived its time is ended, never reused. Lambda runs one invocation at a time per environment, so
   * concurrent batches run in environments of their own, each with its own handler. A new configuration
   * ({@link #update}, as Lambda's UpdateFunctionConfiguration) ends the free environments at once and each busy one
   * when its invocation returns: the invocations in flight finish on the old one, every later one runs the new init.
   * Thread-safe.
   */
  static final class Pool {
    private final String function;
    private Init init; // guarded by this
    private long configuration; // guarded by this: how many updates came
    private final Deque<ExecutionEnvironment> free = new ArrayDeque<>(); // guarded by this
    private final List<ExecutionEnvironment> all = new ArrayList<>(); // guarded by this

    Pool(String function, Init init) {
      this.function = function;
      this.init = Objects.requireNonNull(init, "init");
    }

    /** A free environment, the one used last, else a new one (a cold start); its init's failure is thrown. */
    ExecutionEnvironment take() {
      Init current;
      long currentConfiguration;
      synchronized (this) {
        ExecutionEnvironment warm = free.pollFirst();
        if (warm != null) {
          return warm;
        }
        current = init;
        currentConfiguration = configuration;
      }
      ExecutionEnvironment environment = start(current);
      environment.configuration = currentConfiguration;
      synchronized (this) {
        all.add(environment);
      }
      return environment;
    }

    /** Starts an environment and keeps it free for the first invocation; its init's failure is thrown. */
    void warm() {
      release(take());
    }

    /**
     * Back to the free ones after an invocation that ended in time; an ended environment is dropped instead, and one
     * whose configuration was updated meanwhile is ended.
     */
    void release(ExecutionEnvironment environment) {
      synchronized (this) {
        if (environment.ended()) {
          all.remove(environment);
          return;
        }
        if (environment.configuration == configuration) {
          free.addFirst(environment);
          return;
        }
        all.remove(environment);
      }
      environment.end(); // its configuration is an old one
    }

    /**
     * The function's new configuration, as Lambda's UpdateFunctionConfiguration, once an environment has started with
     * it; returns the init it replaced. The environment starts first, beside the function's: until it has, every
     * invocation runs the function's configuration as it was, and when its init fails the function is left as it was
     * (its free environments too) and the failure thrown, as Lambda keeps a function's configuration until an update
     * succeeds. The started environment then serves the next invocation.
     */
    Init replace(Init newInit) {
      Objects.requireNonNull(newInit, "init");
      return switchTo(newInit, start(newInit));
    }

    /** A new environment of the function, started with {@code init} (a cold start); its init's failure is thrown. */
    private ExecutionEnvironment start(Init init) {
      ExecutionEnvironment environment = new ExecutionEnvironment(function);
      try {
        environment.handler =
            Objects.requireNonNull(init.handler(environment), "the init's handler");
      } catch (RuntimeException | Error e) {
        environment.end();
        throw e;
      }
      return environment;
    }

    /**
     * From now on new environments start with {@code newInit}; the free ones end now, each busy one once its
     * invocation returns ({@link #release}). Returns the init it replaced.
     */
    Init update(Init newInit) {
      Objects.requireNonNull(newInit, "init");
      return switchTo(newInit, null);
    }

    /** {@link #update}, with {@code started} (started with {@code newInit}, or null) kept free for the next one. */
    private Init switchTo(Init newInit, ExecutionEnvironment started) {
      List<ExecutionEnvironment> idle;
      Init previous;
      synchronized (this) {
        previous = init;
        init = newInit;
        configuration++;
        idle = new ArrayList<>(free);
        free.clear();
        all.removeAll(idle);
        if (started != null) {
          started.configuration = configuration;
          all.add(started);
          free.addFirst(started);
        }
      }
      idle.forEach(ExecutionEnvironment::end);
      return previous;
    }

    /** Ends the environment of an invocation that outlived its time, and drops it: it is never used again. */
    void end(ExecutionEnvironment environment) {
      environment.end();
      synchronized (this) {
        all.remove(environment);
      }
    }

    /** Ends every environment: the local Lambda is closing. */
    void endAll() {
      List<ExecutionEnvironment> ending;
      synchronized (this) {
        ending = new ArrayList<>(all);
        all.clear();
        free.clear();
      }
      ending.forEach(ExecutionEnvironment::end);
    }
  }
}
