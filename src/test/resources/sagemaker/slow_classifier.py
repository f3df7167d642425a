"""A slow SageMaker model container for the endpoint life-cycle scenarios.

Serves the hosting contract (model_server.py) like a real one-instance endpoint that needs $SLOW_SECONDS per image:
invocations are answered one at a time (concurrent requests wait for the model), so a backlog takes long enough to
drain that a stop can land in the middle of it. The answer is the built-in image-classification contract: a JSON
array with one probability per label ($LABEL_COUNT labels).

With $HOLD_FILE set, every request after the first $HOLD_AFTER waits until that file exists: a test holds a drain
mid-way for as long as it needs (a stop then lands in the middle of it whatever the machine's speed) and releases it by
creating the file.
"""
import json
import os
import threading
import time

from model_server import serve

SECONDS = float(os.environ.get("SLOW_SECONDS", "0.25"))
LABELS = int(os.environ.get("LABEL_COUNT", "3"))
HOLD_FILE = os.environ.get("HOLD_FILE")
HOLD_AFTER = int(os.environ.get("HOLD_AFTER", "0"))
MODEL = threading.Lock()  # one model instance: one image at a time
answered = 0


def answer(body, headers):
    global answered
    with MODEL:
        if HOLD_FILE and answered >= HOLD_AFTER:
            while not os.path.exists(HOLD_FILE):
                time.sleep(0.05)
        time.sleep(SECONDS)
        answered += 1
    rest = 0.3 / max(LABELS - 1, 1)
    return 200, "application/json", json.dumps([0.7] + [rest] * (LABELS - 1)).encode()


if __name__ == "__main__":
    serve("slow_classifier", answer, f", {SECONDS} s per image")
