# offhours: moto_server's DynamoDB requests, one at a time.
#
# moto_server answers each request on a thread of its own, and its DynamoDB holds no lock while it
# answers: a conditional write checks its condition and then writes, and another request's write
# can land in between; a TransactWriteItems whose condition fails puts back a copy of each of its
# tables taken before it began, undoing every write that landed meanwhile, on any item of them.
# DynamoDB does neither, and the controller's state (a manual stop, a run's claim), the results'
# one-per-version writes and the ledger's counters rely on it. offhours starts moto_server with
# this file's directory first on PYTHONPATH, so that Python imports it as it starts; it wraps the
# application moto hands to werkzeug's run_simple, and says so on moto_server's output before
# werkzeug's "Running on" line, which offhours waits for.
import importlib.machinery
import importlib.util
import os
import sys
import threading

SAID = "offhours: DynamoDB requests are answered one at a time"


def _serialized(application):
    lock = threading.Lock()

    def answer(environ, start_response):
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
            return application(environ, start_response)
        with lock:
            body = application(environ, start_response)
            try:
                return [b"".join(body)]
            finally:
                close = getattr(body, "close", None)
                if close is not None:
                    close()

    return answer


def _wrap_run_simple():
    try:
        import werkzeug.serving
    except ImportError:
        return  # not moto_server's Python: nothing to wrap, and offhours then says it is missing
    run_simple = werkzeug.serving.run_simple

    def serving(hostname, port, application, *args, **kwargs):
        print(SAID, file=sys.stderr, flush=True)
        return run_simple(hostname, port, _serialized(application), *args, **kwargs)

    werkzeug.serving.run_simple = serving


def _run_the_next_sitecustomize():
    # This file hides any other sitecustomize on the path (a distribution's): run that one too.
    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


_wrap_run_simple()
_run_the_next_sitecustomize()
