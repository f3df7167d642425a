/**
 * One in-process Lambda invocation, shared by the local Lambda ({@code local.lambda}) and the HTTP API's local front
 * ({@code local.api}): {@link offhours.local.invocation.LambdaContext}, its Context, whose time left counts down from
 * the function's timeout; {@link offhours.local.invocation.FunctionInvoker}, how a caller invokes a function by name,
 * and {@link offhours.local.invocation.Invoked}, what the invocation answered.
 */
package offhours.local.invocation;
