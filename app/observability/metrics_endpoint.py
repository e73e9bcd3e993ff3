"""GET /metrics: Prometheus's text format, for the addresses METRICS_ALLOWED_ADDRESSES
names (IPs or networks, comma-separated; default this host only) or a caller that sends
`Authorization: Bearer <METRICS_TOKEN>`. Anyone else gets 404, as for a page that does
not exist.

An address counts only when it is the caller's own: behind a proxy it is the forwarded
one (PROXY_COUNT, werkzeug's ProxyFix); a request that carries X-Forwarded-For while the
app trusts no proxy came through one the app does not know, and is refused by address.

Under gunicorn with several workers, PROMETHEUS_MULTIPROC_DIR makes each worker write its
counts to files there and a scrape adds them up (deploy/gunicorn.conf.py sets it up)."""

import hmac
import ipaddress
import os

from flask import Blueprint, abort, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from app.observability.counters import EVENTS
from app.observability.early import answer_early
from app.observability.service_gauges import ServiceGauges
from config import ConfigurationError

metrics = Blueprint("metrics", __name__)
MIN_TOKEN_LENGTH = 32


def allowed_networks(text):
    """The networks of METRICS_ALLOWED_ADDRESSES ("127.0.0.1, ::1, 10.0.5.0/24")."""
    networks = []
    for entry in filter(None, (part.strip() for part in (text or "").split(","))):
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ConfigurationError(
                f"METRICS_ALLOWED_ADDRESSES: {entry!r} is not an IP address or network"
            ) from None
    return tuple(networks)


def _caller_address():
    if request.headers.get("X-Forwarded-For") and not current_app.config.get("PROXY_COUNT"):
        return None
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address


def _token_matches():
    expected = current_app.config.get("METRICS_TOKEN") or ""
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    return bool(expected) and scheme.lower() == "bearer" and hmac.compare_digest(
        offered.strip().encode(), expected.encode())


def may_scrape():
    if _token_matches():
        return True
    address = _caller_address()
    networks = current_app.extensions["siap_metrics_networks"]
    return address is not None and any(address in network for network in networks)


class _Registries:
    """Several registries collected as one."""

    def __init__(self, *registries):
        self.registries = registries

    def collect(self):
        for registry in self.registries:
            yield from registry.collect()


def scrape_registry(app):
    """What a scrape reads: in multiprocess mode the files of every worker, otherwise
    this process's registries; and the service's gauges, read now."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_Registries(app.extensions["siap_http_metrics"], EVENTS, REGISTRY))
    registry.register(app.extensions["siap_service_gauges"])
    return registry


@metrics.get("/metrics")
def scrape():
    if not may_scrape():
        abort(404)
    body = generate_latest(scrape_registry(current_app))
    return body, 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"}


def init_app(app):
    token = app.config.get("METRICS_TOKEN") or ""
    if token and len(token) < MIN_TOKEN_LENGTH:
        raise ConfigurationError(
            f"METRICS_TOKEN must be at least {MIN_TOKEN_LENGTH} characters "
            "(python -c 'import secrets; print(secrets.token_hex(32))').")
    app.extensions["siap_metrics_networks"] = allowed_networks(
        app.config.get("METRICS_ALLOWED_ADDRESSES"))
    app.extensions["siap_service_gauges"] = ServiceGauges(app)
    app.register_blueprint(metrics)
    answer_early(app, ("metrics.scrape",))
