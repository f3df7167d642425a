/**
 * What every function and the command line share of AWS: {@link offhours.aws.AwsClients}, the one place that builds
 * clients; settings read from a function's environment ({@link offhours.aws.EnvironmentVariables}); an invocation's
 * deadline ({@link offhours.aws.InvocationDeadline}); the documented limits ({@link offhours.aws.PayloadLimits},
 * {@link offhours.aws.SqsText}); a queue's counts read as numbers ({@link offhours.aws.SqsCounts}); counters added to
 * exactly once ({@link offhours.aws.DynamoCounters}) and the serverless usage ledger
 * ({@link offhours.aws.UsageLedger}).
 */
package offhours.aws;
