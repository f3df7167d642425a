/**
 * The endpoint controller, its schedule, the savings ledger, and the controller function that runs them; the stack's
 * two custom resources, which stop the controller's endpoint with the stack and keep the functions' {@code live}
 * aliases current, are {@code offhours.endpoint.cfn}.
 *
 * <p>Where a run happens: {@link offhours.endpoint.ControllerHandler} (the function: a scheduler tick, an endpoint
 * state change, a timer message or a manual action) builds the ports once and calls
 * {@link offhours.endpoint.EndpointController#reconcile}, which reads ({@code RunObservation}: the control state, the
 * endpoint, the trigger, the queue), decides with {@code RunPlanner} (pure: the step comes from the hosting's
 * {@code HostingPolicy}, {@code ScheduledPolicy} for scheduled and scale-to-zero or {@code ServerlessPolicy}, and when
 * to wake and how long to stay from {@link offhours.endpoint.WakePolicy}), claims the step ({@code RunWrites}), takes
 * it ({@code ClaimedStep}) and accounts for it ({@code RunLedger}); {@code NextRun} says when to look again, and the
 * handler arms the timer for it. The ports, each with its AWS adapter: {@link offhours.endpoint.Endpoint}
 * ({@link offhours.endpoint.SageMakerEndpoint}; for scheduled behind {@code RetiringEndpoint}, which also retires an
 * endpoint of another config; {@link offhours.endpoint.ComponentEndpoint} for scale-to-zero),
 * {@link offhours.endpoint.Mapping} ({@link offhours.endpoint.LambdaMapping}), {@link offhours.endpoint.Backlog}
 * ({@link offhours.endpoint.SqsBacklog}), {@link offhours.endpoint.ControlStore} and {@link offhours.endpoint.Ledger}
 * ({@link offhours.endpoint.DynamoControlTable}). {@link offhours.endpoint.TestEventSweep} takes S3's test event off
 * the images queue at deploy time (the cleanup resource's Create, and local mode's start).
 * {@link offhours.endpoint.CostReport} reads the ledger for {@code offhours cost}.
 *
 * <h2>Desired state ({@code ScheduledPolicy.want})</h2>
 * <ol>
 *   <li>A manual override wins: {@code start}/{@code stop} until an instant, or until the next schedule change.
 *   <li>With a latency budget (MAX_WAIT_MINUTES, {@link offhours.endpoint.WaitBudget}, default 60 min;
 *       {@link offhours.endpoint.WakePolicy}): an endpoint that is off starts when the oldest waiting upload would
 *       otherwise miss its due time (the budget after its upload, or after the next opening outside working hours;
 *       next-opening: the start of the next working period), counting the expected wake (p90 of the last wakes, kept in
 *       the control state) and the drain; one that is up serves what waits or is in flight (in flight also under a
 *       trigger a stack update paused, not under one its own stop paused), and once drained stops at once (trigger
 *       paused and endpoint deleted in one run) unless staying on is cheaper than a stop and the next wake (the
 *       expected stop is the mean of the last stops, each from DeleteEndpoint to the first run that saw the endpoint
 *       gone, kept in the control state), or, inside working hours with a budget in minutes, for 30 s while a stream
 *       of uploads measured as the endpoint woke may still be arriving. Wake thresholds
 *       below still apply. Each decision names the instant it wants the next run ({@code Decision.nextRunAt}),
 *       and the handler arms the run timer for it ({@link offhours.endpoint.TimerArming}: one delayed SQS
 *       message per wanted instant, at most 15 minutes ahead; the minute tick arms farther ones). What the
 *       controller does next and why, as GET /status, the page and {@code endpoint status} show it, is read from the
 *       last decision and the state in one place ({@link offhours.endpoint.ControllerOutlook}).
 *   <li>Without a budget (MAX_WAIT_MINUTES=0), working hours ({@link offhours.endpoint.Schedule}, time zone and DST
 *       aware, holidays): ON while anything is
 *       waiting, in flight or deferred; when the queue is empty ON until IDLE_STOP_MINUTES of idleness (an opening
 *       counts as activity, so the endpoint is warm at opening), then OFF until the next upload. IDLE_STOP_MINUTES=0:
 *       ON for all of working hours.
 *   <li>Outside working hours: ON when visible &gt;= WAKE_BACKLOG_MESSAGES or the oldest message is older than
 *       WAKE_BACKLOG_AGE_MINUTES (both off by default); ON to finish a backlog while the endpoint is up, or when the
 *       previous run still saw working hours (uploads from just before the close); otherwise OFF. Uploads wait in SQS
 *       (14-day retention) for the next opening.
 * </ol>
 *
 * <h2>One step per run ({@code ScheduledPolicy.plan})</h2>
 * <pre>
 * want | mapping            | endpoint                 | step
 * -----+--------------------+--------------------------+-----------------------------------------------------------
 * any  | Enabled/Enabling   | serverless (the stack's, | DISABLE_MAPPING; then WAIT until CloudFormation deleted it
 *      |                    | left by a switch)        | (never deleted, replaced nor fed; README "Switching hosting")
 * any  | other              | serverless               | WAIT
 * ON   | Enabled/Enabling   | not InService/Updating   | DISABLE_MAPPING (drift)
 * ON   | any                | absent                   | CREATE_ENDPOINT, or WAIT during the create backoff
 * ON   | any                | Creating                 | WAIT; past CREATE_TIMEOUT_MINUTES: DELETE_ENDPOINT, backoff,
 *      |                    |                          | EndpointCreateFailures metric
 * ON   | any                | Failed                   | DELETE_ENDPOINT, backoff (5,10,20,40,60 min;
 *      |                    |                          | CREATE_BACKOFF_SECONDS sets the first), metric
 * ON   | any                | Updating / Deleting      | WAIT
 * ON   | Disabled           | InService                | test invocation; on success ENABLE_MAPPING, else retry
 *      |                    |                          | next run, TestInvocationFailures metric
 * ON   | Enabled            | InService                | NONE (serving)
 * ON   | other              | InService                | WAIT (mapping in transition)
 * OFF  | Enabled/Enabling   | any                      | DISABLE_MAPPING (records stoppingSince)
 * OFF  | in transition      | present                  | WAIT, at most DRAIN_TIMEOUT_MINUTES from stoppingSince
 * OFF  | Disabled/absent    | InService                | WAIT while messages are in flight (bounded by
 *      |                    |                          | DRAIN_TIMEOUT_MINUTES), then DELETE_ENDPOINT
 * OFF  | any                | Creating / Updating      | WAIT (DeleteEndpoint needs a settled endpoint); stuck
 *      |                    |                          | Creating: DELETE_ENDPOINT
 * OFF  | any                | Failed                   | DELETE_ENDPOINT, metric
 * OFF  | any                | Deleting                 | WAIT (looked at again after a tenth of the expected stop,
 *      |                    |                          | at least 10 s: the stop ends, measured, at the first run
 *      |                    |                          | that sees the endpoint absent)
 * OFF  | any                | absent                   | NONE
 * </pre>
 * Every run first claims its step with a conditional write of the control state; a run that loses the race reports
 * LOST_RACE and does nothing. A run whose test invocation answered claims again before enabling the trigger, and
 * reports LOST_RACE without enabling if another run claimed a step while it waited for the answer. Every AWS call of a
 * run ends before the run's deadline ({@code RunDeadline}); a run whose reads or claim that cut reports OUT_OF_TIME and
 * takes no step. A step that throws is caught and retried by the next run; ControllerStepFailures counts such runs
 * (CreateEndpoint's failures count in EndpointCreateFailures). Every run logs one EMF line (namespace "offhours":
 * EndpointOn, Backlog, EndpointRunningOutsideSchedule, EndpointCreateFailures, TestInvocationFailures,
 * ControllerStepFailures, OverdueSeconds, ControllerRuns); ControllerRuns is a metric in every run, the others only in
 * runs where they are not 0 (Emf#published).
 *
 * <h2>Ledger</h2>
 * Billing is counted from CreateEndpoint until the endpoint is seen gone (Creating and Deleting included), between
 * consecutive runs, split at local midnight and at schedule changes. This is an upper bound of the SageMaker bill, so
 * "saved" is never overstated.
 */
package offhours.endpoint;
