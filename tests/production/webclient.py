"""A small HTTP client for the fault tests: cookies, forms, the admin's
login and publish, and a chosen source address on the loopback network
(127.0.0.x), so that each test is a client of its own to the rate limits.

Standard library only; one connection per request, as a browser opening
many would.
"""

import http.client
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name, default=None):
        return self.headers.get(name.lower(), default)


class Client:
    def __init__(self, base_url, source="127.0.0.1", timeout=30):
        parts = urlsplit(base_url)
        self.host = parts.hostname
        self.port = parts.port or 80
        self.source = source
        self.timeout = timeout
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        headers.setdefault("Host", f"{self.host}:{self.port}")
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=self.timeout, source_address=(self.source, 0)
        )
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        seconds = time.monotonic() - started
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in cookie.lower() or value in ("", '""'):
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return Response(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            content,
            seconds,
        )

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, fields, headers=None):
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://{self.host}:{self.port}{path}",
            **(headers or {}),
        }
        return self.request("POST", path, body=urlencode(fields), headers=headers)

    # --- The admin ----------------------------------------------------------

    def log_in(self, username, password):
        page = self.get("/admin/login/")
        form = find_form(page.text, action_contains="login")
        fields = form.replaced({"username": username, "password": password})
        response = self.post("/admin/login/", fields)
        if response.status != 302 or "sessionid" not in self.cookies:
            raise AssertionError(f"login failed: {response.status}")

    def publish(self, page_id, changes):
        """Edit the page in the admin's form, change `changes` (field name:
        value) and press "Udgiv". Returns the POST's response."""
        path = f"/admin/pages/{page_id}/edit/"
        page = self.get(path)
        if page.status != 200:
            raise AssertionError(f"edit form: HTTP {page.status}")
        form = find_form(page.text, form_id="page-edit-form")
        fields = form.replaced(changes) + [("action-publish", "action-publish")]
        response = self.post(path, fields)
        if response.status != 302:
            raise AssertionError(
                f"publishing page {page_id}: HTTP {response.status}\n"
                + response.text[:2000]
            )
        return response

    def csrf_token(self):
        return self.cookies.get("csrftoken", "")


# --- Forms ------------------------------------------------------------------


@dataclass
class Form:
    attributes: dict
    fields: list = field(default_factory=list)

    def replaced(self, changes):
        """The fields, with the values of `changes` instead (added if the
        form has no such field)."""
        out, seen = [], set()
        for name, value in self.fields:
            if name in changes:
                if name not in seen:
                    out.append((name, changes[name]))
                    seen.add(name)
                continue
            out.append((name, value))
        out += [(name, value) for name, value in changes.items() if name not in seen]
        return out


class _FormParser(HTMLParser):
    """The fields a browser would submit: inputs (checked boxes only),
    textareas and selected options, for every form of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self.form = None
        self.textarea = None
        self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: (value if value is not None else "") for key, value in attrs}
        if tag == "form":
            self.form = Form(attrs)
            self.forms.append(self.form)
        if self.form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.form.fields.append(
                (
                    name,
                    attrs.get("value", "on" if kind in ("checkbox", "radio") else ""),
                )
            )
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
        elif tag == "select" and name:
            self.select = {
                "name": name,
                "options": [],
                "selected": [],
                "multiple": "multiple" in attrs,
            }
        elif tag == "option" and self.select is not None:
            value = attrs.get("value")
            self.select["options"].append(value)
            self.select["current"] = value
            if "selected" in attrs:
                self.select["selected"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.select is not None and self.select.get("current") is None:
            pass

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            value = self.textarea[1]
            # A browser drops the one newline that follows <textarea>.
            if value.startswith("\n"):
                value = value[1:]
            self.form.fields.append((self.textarea[0], value))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["selected"]
            if not chosen and not self.select["multiple"] and self.select["options"]:
                chosen = [self.select["options"][0]]
            for value in chosen:
                self.form.fields.append((self.select["name"], value or ""))
            self.select = None


def find_form(html, form_id=None, action_contains=None):
    parser = _FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form_id and form.attributes.get("id") == form_id:
            return form
        if action_contains and action_contains in form.attributes.get("action", ""):
            return form
    raise AssertionError(f"no form {form_id or action_contains} in the page")
