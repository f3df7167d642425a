"""A minimal SageMaker model container for tests of the command launcher.

Serves the hosting contract (model_server.py): POST /invocations answers a JSON object describing the request and
the environment the launcher gave the process; a body of b"fail" gets 400, as a model that cannot read it answers.
"""
import json
import os

from model_server import serve


def answer(body, headers):
    if body == b"fail":
        return 400, "text/plain", b"the model cannot read this input"
    return 200, "application/json", json.dumps({
        "bytes": len(body),
        "contentType": headers.get("Content-Type"),
        "modelDataUrl": os.environ.get("MODEL_DATA_URL"),
        "modelDir": os.environ.get("SM_MODEL_DIR"),
        "labels": os.environ.get("LABELS"),
        "pid": os.getpid(),
    }).encode()


if __name__ == "__main__":
    serve("echo_container", answer)
