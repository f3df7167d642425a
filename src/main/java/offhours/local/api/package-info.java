/**
 * Local mode's HTTP API front: {@link offhours.local.api.LocalApiGateway} takes each request on 127.0.0.1, makes it the
 * payload format 2.0 event API Gateway would ({@code GatewayPath}, {@link offhours.local.api.RequestTarget}) and
 * invokes the API function through the local Lambda ({@link offhours.local.invocation.FunctionInvoker}), in-process.
 * {@link offhours.local.api.Loopback} and {@link offhours.local.api.UnreadBody} are what local mode's HTTP servers
 * share (this front and the page of {@code offhours ui}).
 */
package offhours.local.api;
