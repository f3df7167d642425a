"""A slow SageMaker model container for the endpoint life-cycle scenarios.

Serves the hosting contract on 127.0.0.1:$SAGEMAKER_BIND_TO_PORT like a real one-instance endpoint that needs
$SLOW_SECONDS per image: invocations are answered one at a time (concurrent requests wait for the model), so a
backlog takes long enough to drain that a stop can land in the middle of it. The answer is the built-in
image-classification contract: a JSON array with one probability per label ($LABEL_COUNT labels).
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECONDS = float(os.environ.get("SLOW_SECONDS", "0.25"))
LABELS = int(os.environ.get("LABEL_COUNT", "3"))
MODEL = threading.Lock()  # one model instance: one image at a time


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/ping":
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)

    def do_POST(self):
        if self.path != "/invocations":
            self.send_error(404)
            return
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with MODEL:
            time.sleep(SECONDS)
        rest = 0.3 / max(LABELS - 1, 1)
        answer = json.dumps([0.7] + [rest] * (LABELS - 1)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, fmt, *args):
        sys.stderr.write("slow_classifier: " + (fmt % args) + "\n")


if __name__ == "__main__":
    port = int(os.environ["SAGEMAKER_BIND_TO_PORT"])
    print(f"slow_classifier listening on {port}, {SECONDS} s per image", flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
