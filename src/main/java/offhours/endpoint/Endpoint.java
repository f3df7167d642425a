package offhours.endpoint;

import java.time.Instant;

/** The SageMaker endpoint the controller owns (port; {@link SageMakerEndpoint} is the AWS adapter). */
public interface Endpoint {

  enum State {
    ABSENT("absent"),
    CREATING("Creating"),
    IN_SERVICE("InService"),
    UPDATING("Updating"),
    DELETING("Deleting"),
    FAILED("Failed");

    private final String shown;

    State(String shown) {
      this.shown = shown;
    }

    /**
     * How a user is told this state: as SageMaker's DescribeEndpoint says it (EndpointStatus), which {@code endpoint
     * status} shows, so that the controller's answer to {@code endpoint start} reads the same; the enum's name is
     * what the controller records and answers in JSON.
     */
    public String shown() {
      return shown;
    }
  }

  /**
   * What DescribeEndpoint says; {@code failureReason}, {@code createdAt} are null when unknown.
   *
   * @param configName the EndpointConfigName the endpoint runs (null: not reported, taken as the stack's)
   * @param foreign the endpoint does not carry this stack's tag: the controller did not create it, so it never feeds
   *     nor deletes it
   * @param resumable a stop that a start reverses at once, on capacity still billed (scale-to-zero: the copies are at
   *     0 and settled, the instances not yet removed): {@link #create} wakes it without waiting for the stop to end
   * @param needsStop capacity billed that nothing removes until the controller stops it (scale-to-zero: instances on
   *     an endpoint that hosts no inference component yet, which SageMaker never scales to zero): a stop still to
   *     issue, not one to wait for
   * @param serverless the endpoint runs on serverless capacity (DescribeEndpoint reports a ServerlessConfig for its
   *     variant): the stack's own endpoint (template.yaml, ServerlessEndpoint), which CloudFormation creates and
   *     deletes. Under Hosting=serverless the controller feeds it; under the other hostings it is the endpoint a stack
   *     update from serverless leaves until CloudFormation deletes it, which the controller never deletes, replaces nor
   *     feeds (README "Switching hosting")
   */
  record Status(
      State state,
      String failureReason,
      Instant createdAt,
      Instant modifiedAt,
      String configName,
      boolean foreign,
      boolean resumable,
      boolean needsStop,
      boolean serverless) {
    public static final Status ABSENT = of(State.ABSENT, null, null, null);

    /**
     * An endpoint of this stack whose config is not reported (fakes, the simulation, a stored state), and none of the
     * flags; the {@code with} methods add what a describe reports beyond that.
     */
    public static Status of(
        State state, String failureReason, Instant createdAt, Instant modifiedAt) {
      return new Status(
          state, failureReason, createdAt, modifiedAt, null, false, false, false, false);
    }

    /** On the config DescribeEndpoint names; {@code isForeign}: the endpoint lacks this stack's tag. */
    public Status withConfig(String newConfigName, boolean isForeign) {
      return new Status(
          state,
          failureReason,
          createdAt,
          modifiedAt,
          newConfigName,
          isForeign,
          resumable,
          needsStop,
          serverless);
    }

    public Status withResumable(boolean isResumable) {
      return new Status(
          state,
          failureReason,
          createdAt,
          modifiedAt,
          configName,
          foreign,
          isResumable,
          needsStop,
          serverless);
    }

    public Status withNeedsStop(boolean isNeeded) {
      return new Status(
          state,
          failureReason,
          createdAt,
          modifiedAt,
          configName,
          foreign,
          resumable,
          isNeeded,
          serverless);
    }

    public Status withServerless(boolean isServerless) {
      return new Status(
          state,
          failureReason,
          createdAt,
          modifiedAt,
          configName,
          foreign,
          resumable,
          needsStop,
          isServerless);
    }

    /** Creating, serving, updating or deleting: instances are (or may be) provisioned and billed. */
    public boolean billing() {
      return state == State.CREATING
          || state == State.IN_SERVICE
          || state == State.UPDATING
          || state == State.DELETING;
    }
  }

  /**
   * The outcome of one test invocation: {@code ok} only for an answer that fits the model's settings; {@code cut} when
   * the controller run's deadline ended it, or left it no time to start ({@link RunDeadline}): no answer from the
   * endpoint, so neither a success nor a failure of it.
   *
   * @param detail what happened, in offhours' words: the run's outcome, which the control table keeps and {@code
   *     endpoint status}, the page and GET /status show
   * @param sageMakerSaid for a probe that failed on SageMaker's error, what SageMaker itself said ({@link
   *     offhours.inference.AwsFailures#said}): its error code and message, the one clue AWS gives when an InService
   *     endpoint keeps failing, for the controller's log line only (it may name the account); else null
   */
  record Probe(boolean ok, String detail, boolean cut, String sageMakerSaid) {
    /** An answer, or a failure the endpoint is the cause of. */
    public Probe(boolean ok, String detail) {
      this(ok, detail, false, null);
    }

    /** A test invocation the controller run's deadline ended: {@code detail} says how. */
    static Probe cutShort(String detail) {
      return new Probe(false, detail, true, null);
    }

    /** A test invocation SageMaker failed: {@code detail} in offhours' words, {@code said} as SageMaker said it. */
    static Probe refused(String detail, String said) {
      return new Probe(false, detail, false, said);
    }
  }

  Status describe();

  /**
   * CreateEndpoint from the stack's endpoint config, tagged with the stack's id. True when this call started it, an
   * SDK retry of it included (its first attempt made the endpoint, the retry was told it exists); false when SageMaker
   * answers that it exists already because an overlapping run created it since this run saw it absent (the ledger
   * counts its start once, by what the runs see: {@link RunLedger#observe}).
   */
  boolean create();

  /** DeleteEndpoint; an absent endpoint is not an error. */
  void delete();

  /** InvokeEndpoint with a small built-in image; never throws for an endpoint that does not answer. */
  Probe probe();
}
