"""A stand-in model container for tests of --container-command: it serves the hosting contract (model_server.py) and
answers the built-in image-classification shape, a JSON array of probabilities for the labels "jpeg" and "png", from
the payload's magic bytes. Anything else gets 400, as a model that cannot read its input would answer.
"""
import json

from model_server import serve


def answer(body, headers):
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        return 200, "application/json", json.dumps([0.1, 0.9]).encode()
    if body.startswith(b"\xff\xd8\xff"):
        return 200, "application/json", json.dumps([0.9, 0.1]).encode()
    return 400, "text/plain", b"neither JPEG nor PNG"


if __name__ == "__main__":
    serve("format_container", answer)
