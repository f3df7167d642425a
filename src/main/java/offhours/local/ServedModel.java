package offhours.local;

import java.util.List;
import java.util.Map;
import offhours.endpoint.ControllerConfig;
import offhours.local.model.ModelFiles;
import offhours.stack.StackSpec;

/**
 * The model the local stack's functions are given now, and everything derived from it: the stack's first at its
 * start, then each {@link ModelUpdate}'s ({@link ModelSwitch}).
 *
 * @param revision 1 for the model the stack started with, then 2, 3, ... for each update's
 * @param options the stack's options with this model's file, labels, command and settings
 * @param files the ONNX file served (null with a command) and the labels file (null when the answers name classes)
 * @param commandImage the local SageMaker's image that runs the command; null without one
 * @param names the stack's names, with this model's model and endpoint config
 * @param labels the class names in the model's output order; empty when the answers name their classes
 * @param served what the state file says is served
 */
record ServedModel(
    int revision,
    LocalDeployment.Options options,
    ModelFiles files,
    String commandImage,
    StackSpec.Names names,
    List<String> labels,
    StateFile.Served served,
    Map<String, String> classifyEnv,
    Map<String, String> controllerEnv,
    Map<String, String> apiEnv,
    ControllerConfig controllerConfig) {

  ServedModel {
    labels = List.copyOf(labels);
    classifyEnv = Map.copyOf(classifyEnv);
    controllerEnv = Map.copyOf(controllerEnv);
    apiEnv = Map.copyOf(apiEnv);
  }
}
