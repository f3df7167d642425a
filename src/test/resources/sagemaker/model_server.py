"""The SageMaker hosting contract, once, for the test containers in this folder: GET /ping answers 200, POST
/invocations answers what the container's answer function makes of the body, on 127.0.0.1:$SAGEMAKER_BIND_TO_PORT
(https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html). A container script sits
next to this file, so Python finds it on the script's own path.
"""
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def serve(name, answer, listening=""):
    """Serves until the process is stopped. answer(body, headers) returns (status, content type, bytes); name
    starts each log line and the line printed once the port is known, which ends with listening."""

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
            status, content_type, data = answer(body, self.headers)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt, *args):
            sys.stderr.write(name + ": " + (fmt % args) + "\n")

    port = int(os.environ["SAGEMAKER_BIND_TO_PORT"])
    print(f"{name} listening on {port}{listening}", flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
