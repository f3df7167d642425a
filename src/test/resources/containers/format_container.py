"""A stand-in model container for tests of --container-command: it speaks the SageMaker hosting contract
(GET /ping, POST /invocations on 127.0.0.1:$SAGEMAKER_BIND_TO_PORT) and answers the built-in
image-classification shape, a JSON array of probabilities for the labels "jpeg" and "png", from the
payload's magic bytes. Anything else gets 400, as a model that cannot read its input would answer.
"""
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/ping" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if body.startswith(b"\x89PNG\r\n\x1a\n"):
            status, answer = 200, json.dumps([0.1, 0.9])
        elif body.startswith(b"\xff\xd8\xff"):
            status, answer = 200, json.dumps([0.9, 0.1])
        else:
            status, answer = 400, "neither JPEG nor PNG"
        data = answer.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if status == 200 else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(os.environ["SAGEMAKER_BIND_TO_PORT"])), Handler).serve_forever()
