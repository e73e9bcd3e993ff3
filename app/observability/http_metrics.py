"""Request latency and count per endpoint, method and status, with prometheus_client.

Labels are bounded: the endpoint is Flask's endpoint name ("ApplicationView.show", never
the path with its ids; "unmatched" for a path no route has), the method one of the
usual ones or "other", the status the response's code. The histogram's `_count` is the
number of requests."""

from timeit import default_timer

from flask import g, request, request_started
from prometheus_client import CollectorRegistry, Histogram, disable_created_metrics

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _labels(status):
    method = request.method if request.method in METHODS else "other"
    return {"endpoint": request.endpoint or "unmatched", "method": method,
            "status": str(status)}


def init_app(app):
    disable_created_metrics()  # a *_created series per label set: noise for this use
    registry = CollectorRegistry(auto_describe=True)
    latency = Histogram("siap_http_request_duration_seconds",
                        "Time to answer a request, by endpoint, method and status",
                        ["endpoint", "method", "status"], registry=registry)
    app.extensions["siap_http_metrics"] = registry

    def start(sender, **extra):
        g._siap_request_started = default_timer()

    def observe(status):
        started = g.pop("_siap_request_started", None)
        if started is not None:  # once per request, even when teardown sees it again
            latency.labels(**_labels(status)).observe(max(default_timer() - started, 0))

    def after(response):
        observe(response.status_code)
        return response

    def teardown(error=None):
        if error is not None:  # an exception no error handler answered
            observe(500)

    request_started.connect(start, app, weak=False)
    app.after_request(after)
    app.teardown_request(teardown)
