"""Helpers for API tests: a bearer token per user and one call shape for every
endpoint, so a test reads as the mobile app would talk to /api/v1."""

import io

from werkzeug.datastructures import FileStorage

from tests.conftest import DEMO_PASSWORD

API = "/api/v1"


def token(client, username, password=DEMO_PASSWORD):
    """The access token of `username` from the API login."""
    response = client.post(f"{API}/security/login", json={
        "username": username, "password": password, "provider": "db", "refresh": True})
    assert response.status_code == 200, (username, response.get_json())
    return response.get_json()["access_token"]


def api(client, bearer, method, url, **kwargs):
    """One API call; `bearer` None calls without a token. `url` is below /api/v1."""
    headers = dict(kwargs.pop("headers", {}))
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    return client.open(f"{API}{url}", method=method, headers=headers, **kwargs)


def multipart(data):
    """Form data with each file as the (stream, name) pair a multipart client sends."""
    return {name: (io.BytesIO(value.stream.read()), value.filename)
            if isinstance(value, FileStorage) else value for name, value in data.items()}


def ids(response):
    assert response.status_code == 200, response.get_json()
    return [row["id"] for row in response.get_json()["result"]]
