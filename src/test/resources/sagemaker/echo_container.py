"""A minimal SageMaker model container for tests of the command launcher.

Serves the hosting contract on 127.0.0.1:$SAGEMAKER_BIND_TO_PORT: GET /ping answers 200, POST /invocations
answers a JSON object describing the request and the environment the launcher gave the process.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if body == b"fail":
            answer = b"the model cannot read this input"
            self.send_response(400)
            self.send_header("Content-Type", "text/plain")
        else:
            answer = json.dumps({
                "bytes": len(body),
                "contentType": self.headers.get("Content-Type"),
                "modelDataUrl": os.environ.get("MODEL_DATA_URL"),
                "modelDir": os.environ.get("SM_MODEL_DIR"),
                "labels": os.environ.get("LABELS"),
                "pid": os.getpid(),
            }).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, fmt, *args):
        sys.stderr.write("echo_container: " + (fmt % args) + "\n")


if __name__ == "__main__":
    port = int(os.environ["SAGEMAKER_BIND_TO_PORT"])
    print(f"echo_container listening on {port}", flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
