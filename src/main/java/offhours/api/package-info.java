/**
 * The API function: the stack's HTTP API behind API Gateway (payload format 2.0). {@link offhours.api.ApiHandler}
 * reads the event ({@link offhours.api.HttpEvents}) and hands it to {@link offhours.api.Api}, which routes it: POST
 * /classify ({@code ClassifyRoute}), GET /results ({@code ResultsRoute}, {@link offhours.api.ResultsQuery}) and GET
 * /status ({@link offhours.api.StackObserver} reads the stack, {@link offhours.api.StatusView} shows it,
 * {@link offhours.api.Forecast} says when an upload made now would be classified), each within the invocation's time.
 */
package offhours.api;
