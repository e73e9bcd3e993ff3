"""A client with the calls of Flask's test client that the API helpers use (`open`,
`post`; responses with `status_code`, `get_json()`, `headers`, `data`, `mimetype`), sending
real HTTP requests to a server: the tests of tests/api/flow.py then run unchanged against
hosts behind nginx. It remembers the request id each answer carried (nginx's), so a test
can tell which host answered."""

import io
import json as json_text

import requests


class Answer:
    def __init__(self, response):
        self.status_code = response.status_code
        self.headers = response.headers
        self.data = response.content
        self.mimetype = response.headers.get("Content-Type", "").split(";")[0].strip()

    def get_json(self):
        if self.mimetype != "application/json":
            return None
        return json_text.loads(self.data)


class HttpClient:
    def __init__(self, base_url, certificate):
        self.base_url = base_url.rstrip("/")
        self.certificate = certificate  # the server's (self-signed) certificate to trust
        self.request_ids = []  # (method, path, X-Request-ID) of every request, in order

    def open(self, path, method="GET", headers=None, json=None, data=None,
             content_type=None, query_string=None):
        files = form = None
        if data is not None and content_type == "multipart/form-data":
            files = {name: (value[1], value[0]) for name, value in data.items()
                     if isinstance(value, tuple) and isinstance(value[0], io.IOBase)}
            form = {name: value for name, value in data.items() if name not in files}
        elif data is not None:
            form = data
        response = requests.request(
            method, self.base_url + path, headers=headers or {}, json=json, data=form,
            files=files, params=query_string, allow_redirects=False, timeout=60,
            verify=str(self.certificate))
        self.request_ids.append((method, path, response.headers.get("X-Request-ID")))
        return Answer(response)

    def post(self, path, **kwargs):
        return self.open(path, method="POST", **kwargs)
