/**
 * Lambda on one machine: SQS event source mappings and scheduled functions that run offhours' real
 * handlers in-process, so local mode exercises the same code paths and the same API calls as AWS.
 *
 * <pre>{@code
 * try (LocalLambda lambda = LocalLambda.builder(sqs).start()) {          // sqs: built by AwsClients
 *   // The function's init, run for each execution environment: its handler, with clients of its own.
 *   lambda.registerFunction("offhours-classify", environment -> new ClassifyHandler(...), Duration.ofSeconds(120));
 *   // Everything else goes through the Lambda API, as on AWS:
 *   // Every API request must be signed with the instance's own credentials (random unless given to the builder).
 *   LambdaClient client = AwsClients.local(region, lambda.credentials(), Map.of(Service.LAMBDA, lambda.endpoint()))
 *       .build(Service.LAMBDA, LambdaClient.builder());
 *   String uuid = client.createEventSourceMapping(r -> r.functionName("offhours-classify")
 *       .eventSourceArn(queueArn).batchSize(10)
 *       .functionResponseTypes(FunctionResponseType.REPORT_BATCH_ITEM_FAILURES).enabled(false)).uuid();
 *   client.updateEventSourceMapping(r -> r.uuid(uuid).enabled(true));   // what the controller does
 * }
 * }</pre>
 *
 * <p>{@code registerJsonFunction} registers a function whose handler takes a JSON object (the controller). Every
 * registered function is reached the same way whoever invokes it: its mappings' batches, the synchronous Invoke API
 * (the CLI's {@code endpoint start|stop}), {@link offhours.local.lambda.LocalScheduler}'s runs at a fixed rate, and
 * {@code invoker}, through which the HTTP API's local front invokes the API's function.
 *
 * <p>Inside: {@code EventSourceMapping} (one mapping's configuration, states and counters), {@code SqsPoller} (its
 * polling: long polls, the batch size and batching window, the partial batch response), {@code SqsBatches} (the event a
 * function receives and what is deleted after it, pure), {@code LocalFunction} (a function; one invocation's context is
 * {@link offhours.local.invocation.LambdaContext}, shared with the HTTP API's local front), {@code LambdaApiSocket},
 * {@code LambdaRoutes}, {@code MappingApi} and {@code InvokeApi} (the Lambda API's server, its routes behind their
 * guard, and the operations it answers).
 *
 * <p>Each invocation ({@code OneInvocation}) runs in an {@link offhours.local.lambda.ExecutionEnvironment}, one
 * invocation at a time per environment, as on Lambda; an invocation that outlives its time ends its environment, and
 * every call the environment had not sent with it.
 *
 * <p>For chaos runs ({@code scripts/chaos}), in-process only: {@code cutNextInvocation} ends a function's next
 * invocation early, as a Lambda timeout or a crashed worker ends it (nothing of its batch is deleted).
 */
package offhours.local.lambda;
