"""Calls to other services (Twilio, BSrE, anything later) share one rule: a connect and
a read timeout from configuration, so a service that accepts the connection and never
answers cannot hold a worker."""


def outgoing_timeout(config, read=None):
    """(connect, read) seconds: HTTP_CONNECT_TIMEOUT, and `read` or HTTP_READ_TIMEOUT."""
    return (config["HTTP_CONNECT_TIMEOUT"], read or config["HTTP_READ_TIMEOUT"])
