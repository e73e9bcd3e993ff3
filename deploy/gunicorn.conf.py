"""gunicorn's settings for SIAP n LOSS, read by deploy/systemd/siap-web.service:

    gunicorn --config deploy/gunicorn.conf.py 'app:create_app()'

Each value comes from the environment (the unit's EnvironmentFile, /etc/siap/siap.env),
with a default fit for one host behind nginx. README, "Operations", explains them."""

import os
import tempfile
from pathlib import Path

# --- workers --------------------------------------------------------------------------
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: a request holds a worker, and nginx buffers slow uploads and downloads so
# a worker is never held by a slow client. 2-4 per core.
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
# Above the longest request: signing waits for BSrE (BSRE_TIMEOUT, 30 s) after drawing
# the decree. nginx's proxy_read_timeout (deploy/nginx/siap.conf) is longer still.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))  # nginx keeps connections open
# A worker is replaced after this many requests (PDF and image libraries keep memory).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# The proxies whose X-Forwarded-Proto gunicorn believes: nginx's address (the app's own
# PROXY_COUNT decides which X-Forwarded-For entry is the client).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- logs -----------------------------------------------------------------------------
# LOG_FORMAT=json (the default here) or text, as the app's own lines (app/logs.py): one
# handler on stderr for gunicorn's lines, its access lines and the app's. The access line
# names the request id the app answered with (nginx's $request_id, or the app's own).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
accesslog = "-"
access_log_format = ('%(h)s client=%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms '
                     'request_id=%({x-request-id}o)s')
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"siap": {"()": "app.logs.make_formatter", "log_format": LOG_FORMAT}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "siap",
                            "stream": "ext://sys.stderr"}},
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": True},
    },
}

# --- Prometheus, several workers ------------------------------------------------------
# Each worker is a process with its own counters: prometheus_client writes them to files
# in PROMETHEUS_MULTIPROC_DIR and /metrics adds up every worker's (app/observability/
# metrics_endpoint.py). It must be set before prometheus_client is imported (here, in the
# master, so every worker inherits it), be this server's alone, and start empty.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", os.path.join(
    os.environ.get("RUNTIME_DIRECTORY", tempfile.gettempdir()), "siap-prometheus"))


def on_starting(server):
    """Start with no metric files: those of a previous run's workers are stale. Only
    prometheus_client's own files (*.db) are removed, whatever the folder holds."""
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink(missing_ok=True)


def child_exit(server, worker):
    """A worker that exits leaves its counters (they still count) but not its live
    gauges."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
