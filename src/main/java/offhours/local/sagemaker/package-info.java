/**
 * offhours' local SageMaker hosting service, for local mode and integration tests.
 *
 * <p>Public surface: {@link offhours.local.sagemaker.LocalSageMaker} (the service: its endpoint, its credentials, its
 * life cycle and the chaos hooks), {@link offhours.local.sagemaker.LocalSageMakerBuilder}, the container seam
 * {@link offhours.local.sagemaker.ContainerLauncher} / {@link offhours.local.sagemaker.ContainerSpec} /
 * {@link offhours.local.sagemaker.ModelContainer}. A container command starts through the stack's
 * {@link offhours.local.process.ProcessRecorder}, so {@code local stop} can end it after a {@code kill -9}. A model
 * whose image is {@code offhours-local/command} runs the shell command given to the builder ({@code containerCommand},
 * the CLI's {@code --container-command}, through {@code CommandLauncher}), never one from the API; any other image
 * needs a launcher, for example the ONNX container:
 *
 * <pre>{@code
 * LocalSageMaker.builder()
 *     .container("offhours-local/onnx", spec -> {
 *       OnnxContainer onnx = OnnxContainer.start(Path.of(URI.create(spec.modelDataUrl())), 0);
 *       return ModelContainer.of(onnx.baseUri(), onnx::close);
 *     })
 *     .start();
 * }</pre>
 *
 * <p>Inside: {@code SageMakerServer} (the HTTP server: routes a request to the control plane or the runtime, answers
 * each protocol's error shape), {@code ControlApi} (the JSON 1.1 protocol; {@code ComponentApi} for the
 * inference-component operations; {@code Members} reads and checks their request members), {@code Models},
 * {@code EndpointConfigs}, {@code Endpoints} and {@code InferenceComponents} (one state machine per resource kind),
 * {@code ContainerSupervisor} (launch and ping), {@code ContainerReplacer} (a new container for one that ended),
 * {@code PortHolder} (who answers on a container command's port), {@code Invoker} (the runtime) and
 * {@code ServerlessCapacity} (a serverless endpoint's concurrency and cold starts). Every request passes
 * {@link offhours.local.auth.RequestGuard} first: signed with
 * {@link offhours.local.sagemaker.LocalSageMaker#credentials()}, addressed to 127.0.0.1:PORT, no Origin, a body within
 * InvokeEndpoint's limit.
 *
 * <p>For chaos runs ({@code scripts/chaos}), in-process only (no request reaches them):
 * {@code failNextInvocations} answers a burst of runtime errors (5xx, throttling), and {@code crashContainer} kills an
 * endpoint's container and launches a replacement, as SageMaker replaces an unhealthy one; {@code holdInvocations}
 * holds InvokeEndpoint calls until the run releases them ({@code InvocationHold}), so a batch stays mid-way.
 *
 * <p>Behaviour that follows SageMaker, with its sources:
 * <ul>
 *   <li>Control plane: AWS JSON 1.1; errors are {@code ValidationException} with the service's messages
 *       ({@code Could not find endpoint "ARN".}, {@code Cannot create already existing endpoint "ARN".}).
 *   <li>InvokeEndpoint: {@code ValidationError} "Endpoint NAME of account ID not found." unless the endpoint
 *       is InService; container 4xx/5xx become {@code ModelError} (424) with OriginalStatusCode and
 *       OriginalMessage; payloads over 6,291,456 bytes get a bare 413
 *       (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html); on a serverless
 *       endpoint, payloads over 4 MB (4,194,304 bytes) get {@code ValidationError} (400) "Request ID has oversize
 *       body." (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints-invoke.html,
 *       https://github.com/aws/sagemaker-python-sdk/issues/4271).
 *   <li>Inference components: an endpoint config whose variant names no model makes an endpoint without a container;
 *       its components run the model (CreateInferenceComponent takes 0 copies or more, as the API's CopyCount
 *       minimum of 0 says); its InitialInstanceCount instances stay until a component is on it,
 *       as instances scale to zero only on an endpoint that hosts components. InvokeEndpoint then needs
 *       the component's name (X-Amzn-SageMaker-Inference-Component) and, while the component has no copy, answers
 *       {@code ValidationError} "Inference Component has no capacity to process this request. ..."
 *       (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-zero-instances.html).
 *   <li>Containers: {@code GET /ping} must answer 200 before InService; {@code POST /invocations} has the
 *       model timeout (60 s by default)
 *       (https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html).
 * </ul>
 */
package offhours.local.sagemaker;
