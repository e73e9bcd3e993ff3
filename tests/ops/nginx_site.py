"""deploy/nginx/siap.conf rendered for this machine: the upstreams and ports given, a
self-signed certificate, and a small nginx.conf around it that runs Debian's nginx
without touching /etc/nginx or /var/log (for these tests and the scale-out test)."""

import ipaddress
import os
import re
import shutil
import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from string import Template

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SITE = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "siap.conf"
PLACEHOLDER = re.compile(r"\$\{(SIAP_[A-Z_]+)\}")
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def placeholders(text=None):
    return sorted(set(PLACEHOLDER.findall(text if text is not None else SITE.read_text())))


def render(values):
    """The site with every ${SIAP_...} filled (as envsubst with their names given):
    nginx's own $variables stay. Refuses a placeholder without a value."""
    text = SITE.read_text()
    missing = set(placeholders(text)) - set(values)
    if missing:
        raise KeyError(f"no value for {', '.join(sorted(missing))}")
    return Template(text).safe_substitute(values)


def self_signed_certificate(folder, name="localhost"):
    """(certificate path, key path) of a certificate for `name` and 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(
            [x509.DNSName(name), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False)
        .sign(key, hashes.SHA256()))
    cert_path, key_path = Path(folder) / "siap.crt", Path(folder) / "siap.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


def write_config(folder, upstreams, http_port, https_port, max_upload_mb=25):
    """Render the site into `folder` with its own nginx.conf; returns that conf's path.
    `upstreams`: ["127.0.0.1:8001", ...]."""
    folder = Path(folder)
    logs = folder / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    cert, key = self_signed_certificate(folder)
    site = folder / "siap.conf"
    site.write_text(render({
        "SIAP_SERVER_NAME": "localhost",
        "SIAP_UPSTREAMS": " ".join(f"server {address} max_fails=3 fail_timeout=10s;"
                                   for address in upstreams),
        "SIAP_HTTP_PORT": f"127.0.0.1:{http_port}",
        "SIAP_HTTPS_PORT": f"127.0.0.1:{https_port}",
        "SIAP_TLS_CERTIFICATE": str(cert),
        "SIAP_TLS_CERTIFICATE_KEY": str(key),
        "SIAP_MAX_UPLOAD_MB": str(max_upload_mb),
        "SIAP_LOG_DIR": str(logs),
    }))
    # As root, nginx's workers would run as nobody, who cannot enter pytest's folders.
    user = "user root;" if os.geteuid() == 0 else ""
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    conf = folder / "nginx.conf"
    conf.write_text(f"""
{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {logs}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    client_body_temp_path {temp["body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    access_log {logs}/access.log;
    include {site};
}}
""")
    return conf


def check(conf):
    """`nginx -t` on the configuration: (ok, its output)."""
    result = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(conf.parent),
                             "-e", str(conf.parent / "logs" / "error.log")],
                            capture_output=True, text=True, timeout=30)
    return result.returncode == 0, result.stderr


def start(conf):
    """nginx in the foreground (a subprocess); stop it with `stop`."""
    process = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(conf.parent),
                                "-e", str(conf.parent / "logs" / "error.log"),
                                "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while not (conf.parent / "nginx.pid").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise RuntimeError("nginx did not start: " + (conf.parent / "logs" /
                                                         "error.log").read_text())
        time.sleep(0.05)
    return process


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
