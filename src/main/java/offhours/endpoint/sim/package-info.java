/**
 * A simulated week in a second: {@link offhours.endpoint.sim.Simulation#run} drives the real
 * {@link offhours.endpoint.EndpointController} through an in-memory SageMaker endpoint (create ~10 min, delete ~2 min,
 * injectable failures; or with the scale-to-zero hosting an inference component whose copies and instance come and go,
 * read through the deployed {@code ComponentEndpoint}), event source mapping, SQS queue and consumer, on a simulated
 * clock, with seeded upload {@link offhours.endpoint.sim.Trace traces} or a recorded
 * {@link offhours.endpoint.sim.TraceFile trace file}, and measures it against {@link offhours.endpoint.sim.LowerBound
 * the fewest endpoint-hours any schedule could spend}; {@link offhours.endpoint.sim.Goals} prints the latency budget's
 * goals table. {@link offhours.endpoint.sim.HostingComparison} runs every hosting option on the same uploads (the
 * offhours rows through the simulation, the others as the queueing models of {@code HostingModels}, priced by
 * {@link offhours.endpoint.sim.HostingPrices}), which {@code simulate --compare}, {@code cost --compare} and the page
 * of {@link offhours.endpoint.sim.HostingPage} ({@code simulate --html}) show. Not part of any function artifact; used
 * by tests and {@code scripts/offhours simulate} and {@code cost}.
 */
package offhours.endpoint.sim;
