/**
 * One in-process Lambda invocation: {@link offhours.local.invocation.LambdaContext}, its Context, whose time left
 * counts down from the function's timeout; shared by the local Lambda ({@code local.lambda}) and the HTTP API's local
 * front ({@code local.api}).
 */
package offhours.local.invocation;
