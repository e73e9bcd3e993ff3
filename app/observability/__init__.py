"""Running the service: health checks for load balancers, Prometheus metrics and a
request id that ties a citizen's error page to the log lines of that request
(README, "Operations"). `init_app` wires them into the app."""


def init_app(app):
    from app.observability import health, http_metrics, metrics_endpoint, request_id

    request_id.init_app(app)
    http_metrics.init_app(app)
    metrics_endpoint.init_app(app)
    health.init_app(app)
