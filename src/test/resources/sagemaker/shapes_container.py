"""A stand-in model container that answers in one of the response shapes real SageMaker image-classification
containers use. It serves the hosting contract (model_server.py). Its classes are cat, dog and bird, and each shape's
answer makes a different class the most probable, so a shape read the wrong way gives the wrong top label.

  SHAPE                    the answer's shape (the keys of ANSWERS below); jumpstart-verbose names its classes only
                           when asked with Accept: application/json;verbose, as JumpStart models do
  REFUSE_X_IMAGE=1         behave like the Hugging Face inference toolkit: refuse Content-Type application/x-image
                           with 400 and the toolkit's message in the model server's JSON error body (the toolkit
                           answers every failure with 400), and require image/jpeg or image/png to match the body's
                           magic bytes
An image whose bytes contain b"offhours-test:crash" gets a 500, as a model that crashes on it would answer.
"""
import json
import os

from model_server import serve

ANSWERS = {
    "bare": [0.1, 0.7, 0.2],
    "nested-logits": [[2.0, -1.0, 0.5]],
    "prediction": {"prediction": [0.1, 0.2, 0.7]},
    "predictions-rows": {"predictions": [[0.6, 0.3, 0.1]]},
    "predictions-flat": {"predictions": [0.3, 0.6, 0.1]},
    "jumpstart": {"probabilities": [0.2, 0.1, 0.7]},
    "jumpstart-verbose": {"probabilities": [0.1, 0.8, 0.1], "labels": ["cat", "dog", "bird"],
                          "predicted_label": "dog"},
    "kserve": {"model_name": "m", "outputs": [{"name": "probs", "shape": [1, 3], "datatype": "FP32",
                                               "data": [0.7, 0.2, 0.1]}]},
    "huggingface": [{"label": "bird", "score": 0.66}, {"label": "cat", "score": 0.2}],
    "torchserve": {"dog": 0.55, "cat": 0.3},
    "torchserve-old": [{"cat": 0.61}, {"bird": 0.2}],
    "triton": {"model_name": "m", "outputs": [{"name": "cls", "shape": [2], "datatype": "BYTES",
                                               "data": ["0.77:2:bird", "0.1:0:cat"]}]},
}
SHAPE = os.environ["SHAPE"]
REFUSE_X_IMAGE = os.environ.get("REFUSE_X_IMAGE") == "1"


def own_type(body):
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if body.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def answer(body, headers):
    content_type = (headers.get("Content-Type") or "").split(";")[0].strip()
    if REFUSE_X_IMAGE and content_type == "application/x-image":
        return 400, "application/json", json.dumps(
            {"code": 400, "type": "InternalServerException",
             "message": "Content type application/x-image is not supported by this framework.\n\n"
                        "    Please implement input_fn to deserialize the request data or an output_fn to"
                        " serialize the response."}).encode()
    if REFUSE_X_IMAGE and content_type != own_type(body):
        return 400, "text/plain", ("Content-Type %s does not describe the body" % content_type).encode()
    if b"offhours-test:crash" in body:
        return 500, "text/plain", b"worker died"
    shape = SHAPE
    if shape == "jumpstart-verbose" and "verbose" not in (headers.get("Accept") or ""):
        shape = "jumpstart"
    return 200, "application/json", json.dumps(ANSWERS[shape]).encode()


if __name__ == "__main__":
    serve("shapes_container", answer, f" answering {SHAPE}")
