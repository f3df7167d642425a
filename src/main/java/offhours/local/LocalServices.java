package offhours.local;

import offhours.local.lambda.LocalLambda;
import offhours.local.moto.MotoServer;
import offhours.local.sagemaker.LocalSageMaker;

/**
 * The servers of a running local stack, for what only local mode can do: inject SageMaker failures, read a
 * mapping's counters, measure moto_server's CPU. Everything else goes through the AWS clients.
 */
public record LocalServices(MotoServer moto, LocalSageMaker sageMaker, LocalLambda lambda) {}
