package offhours.local.model;

import java.nio.file.Path;

/** A model the built-in container can serve: the ONNX file and its labels, one per line, in output order. */
public record ModelFiles(Path onnx, Path labels) {}
