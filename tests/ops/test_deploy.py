"""deploy/: gunicorn with deploy/gunicorn.conf.py (two workers, production settings)
behind Debian's nginx running deploy/nginx/siap.conf, on this machine's loopback: the
health checks through nginx, the request id from nginx to the app's logs and answers,
/metrics added up over the workers and closed at nginx, the upload limit at nginx, JSON
log lines; and the systemd units start commands the app has."""

import configparser
import json
import os
import re
import runpy
import secrets
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ops import nginx_site
from tests.ops.support import fetch, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NO_NGINX = "Debian's nginx is not installed (apt-get install nginx; .ci/run installs it)"


# --- the stack ---------------------------------------------------------------------------


def app_environment(folder, port):
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SIAP_", "GUNICORN_"))},
        "SIAP_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": f"sqlite:///{folder}/siap.db",
        "PUBLIC_BASE_URL": "https://localhost",
        "UPLOAD_FOLDER": str(folder / "uploads"),
        "SIAP_INSTANCE_DIR": str(folder / "instance"),
        "PROXY_COUNT": "1",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(folder / "prometheus"),
        "FLASK_APP": "run.py",
    }


class Stack:
    def __init__(self, folder, app_port, http_port, https_port, log):
        self.folder, self.log = folder, log
        self.app = f"http://127.0.0.1:{app_port}"
        self.http = f"http://127.0.0.1:{http_port}"
        self.https = f"https://127.0.0.1:{https_port}"

    def log_lines(self):
        time.sleep(0.3)  # gunicorn writes the access line after the answer
        return self.log.read_text().splitlines()

    def nginx_access_log(self):
        time.sleep(0.3)
        path = self.folder / "nginx" / "logs" / "siap.access.log"
        return path.read_text() if path.exists() else ""


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not Path(nginx_site.NGINX).exists():
        pytest.skip(NO_NGINX)
    folder = tmp_path_factory.mktemp("deploy")
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    environment = app_environment(folder, app_port)
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=environment, check=True,
                   capture_output=True, timeout=300)
    log = folder / "gunicorn.log"
    with open(log, "w") as output:
        gunicorn = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(DEPLOY / "gunicorn.conf.py"),
             "app:create_app()"], cwd=ROOT, env=environment, stdout=output,
            stderr=subprocess.STDOUT)
    nginx = None
    try:
        wait_for(f"http://127.0.0.1:{app_port}/healthz", gunicorn, log)
        conf = nginx_site.write_config(folder / "nginx", [f"127.0.0.1:{app_port}"],
                                       http_port, https_port, max_upload_mb=1)
        nginx = nginx_site.start(conf)
        yield Stack(folder, app_port, http_port, https_port, log)
    finally:
        if nginx is not None:
            nginx_site.stop(nginx)
        gunicorn.terminate()
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gunicorn.kill()
            gunicorn.wait()


# --- nginx -----------------------------------------------------------------------------


def test_every_placeholder_of_the_site_is_documented_and_filled(tmp_path):
    text = (DEPLOY / "nginx" / "siap.conf").read_text()
    names = nginx_site.placeholders(text)
    assert names  # a template, not a file for one host
    head = text.split("log_format")[0]
    assert all(name in head for name in names), "the header comment lists every placeholder"
    with pytest.raises(KeyError):
        nginx_site.render({})


def test_nginx_accepts_the_rendered_site(tmp_path):
    if not Path(nginx_site.NGINX).exists():
        pytest.skip(NO_NGINX)
    conf = nginx_site.write_config(tmp_path, ["127.0.0.1:8001", "127.0.0.1:8002"],
                                   free_port(), free_port())
    ok, output = nginx_site.check(conf)
    assert ok, output
    assert nginx_site.placeholders((tmp_path / "siap.conf").read_text()) == []


def test_the_site_limits_uploads_as_the_app_does():
    text = (DEPLOY / "nginx" / "siap.conf").read_text()
    assert "client_max_body_size ${SIAP_MAX_UPLOAD_MB}m;" in text
    assert "X-Request-ID $request_id" in text


def test_health_checks_answer_through_nginx_and_are_not_logged(stack):
    status, _, body = fetch(f"{stack.https}/healthz")
    assert (status, body) == (200, "ok\n")
    assert fetch(f"{stack.https}/readyz")[:3:2] == (200, "ok\n")
    assert fetch(f"{stack.http}/healthz")[0] == 200  # the plain-HTTP port too
    assert "/healthz" not in stack.nginx_access_log()
    assert "/readyz" not in stack.nginx_access_log()


def test_plain_http_is_sent_to_https(stack):
    status, headers, _ = fetch(f"{stack.http}/lacak/")
    assert status == 301 and headers["Location"].startswith("https://")


def test_nginx_gives_each_request_an_id_the_app_logs_and_answers_with(stack):
    status, headers, _ = fetch(f"{stack.https}/lacak/",
                               headers={"X-Request-ID": "dipalsukan-oleh-klien"})
    assert status == 200
    request_id = headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's, not the client's
    assert f"request_id={request_id}" in stack.nginx_access_log()
    assert any(f"request_id={request_id}" in line for line in stack.log_lines())


def test_metrics_are_closed_at_nginx(stack):
    assert fetch(f"{stack.https}/metrics")[0] == 404


def test_metrics_add_up_every_workers_requests(stack):
    def healthz_count():
        _, _, body = fetch(f"{stack.app}/metrics")
        match = re.search(r'siap_http_request_duration_seconds_count\{endpoint="health.healthz"'
                          r',method="GET",status="200"\} ([0-9.e+]+)', body)
        return float(match.group(1)) if match else 0.0

    before = healthz_count()
    for _ in range(20):
        fetch(f"{stack.app}/healthz")
    assert healthz_count() - before == 20
    workers = {name.split("_")[-1] for name in os.listdir(stack.folder / "prometheus")}
    assert len(workers) >= 2, workers  # both workers wrote their counts


def test_the_app_gets_the_clients_scheme_through_nginx(stack):
    status, headers, _ = fetch(f"{stack.https}/statistik/")  # anonymous: to the login page
    assert status in (302, 303)
    assert not headers["Location"].startswith("http://")


def test_nginx_refuses_a_body_over_the_upload_limit(stack):
    status, _, _ = fetch(f"{stack.https}/login/", data=b"x" * (1024 * 1024 + 1),
                         method="POST")
    assert status == 413


def test_log_lines_are_json_with_the_request_id(stack):
    fetch(f"{stack.app}/lacak/", headers={"X-Request-ID": "keluhan-deploy-0004"})
    entries = [json.loads(line) for line in stack.log_lines() if line.startswith("{")]
    assert entries and all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    access = [e for e in entries if e["logger"] == "gunicorn.access"
              and "keluhan-deploy-0004" in e["message"]]
    assert access and '"GET /lacak/ HTTP/1.1" 200' in access[0]["message"]


def test_gunicorn_starts_with_no_stale_metric_files_and_deletes_nothing_else(
        tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    (tmp_path / "counter_4242.db").write_bytes(b"stale")
    (tmp_path / "notes.txt").write_text("not ours")
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    settings["on_starting"](server=None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    assert settings["workers"] == int(os.environ.get("GUNICORN_WORKERS", "4"))


# --- systemd ----------------------------------------------------------------------------


def unit(name):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


@pytest.mark.parametrize(("name", "command"), [
    ("siap-worker.service", ["notifications", "worker"]),
    ("siap-jobs.service", ["siap", "jobs", "run-due"]),
])
def test_the_units_run_commands_the_app_has(app, name, command):
    exec_start = shlex.split(unit(name)["Service"]["ExecStart"])
    assert exec_start[-len(command):] == command
    result = app.test_cli_runner().invoke(args=[*command, "--help"])
    assert result.exit_code == 0, result.output


def test_the_web_unit_runs_gunicorn_with_the_deploy_configuration():
    service = unit("siap-web.service")["Service"]
    exec_start = shlex.split(service["ExecStart"])
    assert exec_start[0].endswith("/gunicorn")
    assert exec_start[1:] == ["--config", "deploy/gunicorn.conf.py", "app:create_app()"]
    assert service["RuntimeDirectory"] == "siap-web"  # where the Prometheus files go


def test_the_timer_starts_the_jobs_every_five_minutes():
    timer = unit("siap-jobs.timer")["Timer"]
    assert timer["OnUnitActiveSec"] == "5min" and timer["Persistent"] == "true"
