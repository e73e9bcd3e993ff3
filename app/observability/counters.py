"""Events the service counts as they happen, for Prometheus (app/observability/
metrics_endpoint.py serves them). Only prometheus_client is imported here: the workflow
and the services count without importing the rest of app/observability."""

from prometheus_client import CollectorRegistry, Counter

# Process-wide (not per app): a counter is incremented where the event happens, without
# an app at hand. In gunicorn's multiprocess mode each worker writes its own file and the
# scrape adds them up.
EVENTS = CollectorRegistry(auto_describe=True)

SIGNATURES_FAILED = Counter(
    "siap_signatures_failed", "Signatures that did not happen, by reason (wrong_passphrase, "
    "not_registered, unavailable, timeout, failed)", ["reason"], registry=EVENTS)
