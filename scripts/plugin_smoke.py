"""The steps of scripts/plugin_smoke.sh that need more than a shell: check
what the wheel and sdist hold, apply the README's installation steps to a
fresh `wagtail start` project, and walk an editor's and approvers' journey
through the admin over HTTP. Standard library only: it runs outside the
site's environment, as a stranger's browser would.

    python3 scripts/plugin_smoke.py check-dist DIST_DIR
    python3 scripts/plugin_smoke.py apply-readme README SETTINGS URLS
    python3 scripts/plugin_smoke.py journey BASE_URL USERNAME PASSWORD
"""

import http.cookiejar
import json
import re
import sys
import tarfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from html.parser import HTMLParser
from pathlib import Path

APPS = [
    "klynge_pages",
    "klynge_search",
    "klynge_exports",
    "klynge_editorial",
    "oparl",
    "klynge_security",
]
# What the wheel must hold besides every app's code (the modules that a hand
# list of packages once missed are named on purpose).
WHEEL_MUST_HAVE = [
    "klynge_pages/models/__init__.py",
    "klynge_pages/models/workflow.py",
    "klynge_pages/templatetags/klynge_tags.py",
    "klynge_pages/migrations/0001_initial.py",
    "klynge_pages/templates/klynge_pages/meeting_page.html",
    "klynge_pages/static/klynge_pages/css/klynge.css",
    "klynge_pages/locale/da/LC_MESSAGES/django.po",
    "klynge_pages/locale/da/LC_MESSAGES/django.mo",
    "klynge_pages/locale/da/LC_MESSAGES/djangojs.po",
    "klynge_pages/locale/da/LC_MESSAGES/djangojs.mo",
    "klynge_search/templatetags/klynge_search_tags.py",
    "klynge_search/templates/klynge_search/search_page.html",
    "klynge_search/static/klynge_search/js/autocomplete.js",
    "klynge_search/migrations/0001_outbox.py",
    "klynge_search/data/da_compound_lexicon.txt.gz",
    "klynge_search/data/da_compound_supplement.txt",
    "klynge_search/data/LICENSE.da_DK.txt",
    "klynge_exports/templates/klynge_exports/follow.html",
    "klynge_security/templates/klynge_security/too_many_requests.html",
    "oparl/migrations/0001_initial.py",
    "klynge_editorial/migrations/0001_initial.py",
]
DIST_INFO_LICENSES = ["LICENSE", "LICENSE.da_DK.txt", "GPL-2", "LGPL-2.1", "MPL-1.1"]
SDIST_MUST_HAVE = [
    "setup.py",
    "pyproject.toml",
    "CHANGELOG.md",
    "search/migrations/0001_outbox.py",
    "search/data/da_compound_lexicon.txt.gz",
    "klynge_pages/models/__init__.py",
]


def fail(message):
    print(f"plugin smoke: {message}", file=sys.stderr)  # noqa: T201
    sys.exit(1)


def say(message):
    print(f"  {message}", flush=True)  # noqa: T201


# --- the built distributions -------------------------------------------------


def check_dist(dist_dir):
    dist = Path(dist_dir)
    wheels = sorted(dist.glob("klyngeportal-*.whl"))
    sdists = sorted(dist.glob("klyngeportal-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        fail(f"expected one wheel and one sdist in {dist}, found {wheels + sdists}")
    names = set(zipfile.ZipFile(wheels[0]).namelist())
    missing = [name for name in WHEEL_MUST_HAVE if name not in names]
    for app in APPS:
        for part in ("__init__.py", "apps.py"):
            if f"{app}/{part}" not in names:
                missing.append(f"{app}/{part}")
    licenses = {
        Path(name).name
        for name in names
        if ".dist-info/licenses/" in name or ".dist-info/license_files/" in name
    }
    missing += [
        f"dist-info licence {name}"
        for name in DIST_INFO_LICENSES
        if name not in licenses
    ]
    if missing:
        fail(f"the wheel lacks: {', '.join(missing)}")
    top = {name.split("/")[0] for name in names}
    if "search" in top:
        fail(
            "the wheel has a top-level package `search`, which clashes with the "
            "app of every `wagtail start` project"
        )
    # Every folder of Python code in the wheel is a package (has __init__.py).
    folders = {str(Path(name).parent) for name in names if name.endswith(".py")}
    loose = sorted(f for f in folders if f"{f}/__init__.py" not in names)
    if loose:
        fail(f"folders of code without __init__.py in the wheel: {loose}")
    with tarfile.open(sdists[0]) as archive:
        sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    missing = [name for name in SDIST_MUST_HAVE if name not in sdist]
    if missing:
        fail(f"the sdist lacks: {', '.join(missing)}")
    say(f"{wheels[0].name}: {len(names)} files; {sdists[0].name}: {len(sdist)} files")


# --- the README's installation steps -----------------------------------------


def readme_block(readme, marker):
    """The fenced code block that follows `<!-- install:MARKER -->`."""
    match = re.search(
        rf"<!-- install:{marker} -->\s*```python\n(.*?)\n\s*```", readme, re.S
    )
    if not match:
        fail(f"README.md has no code block after <!-- install:{marker} -->")
    lines = match.group(1).splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines) + "\n"


def apply_readme(readme_path, settings_path, urls_path):
    readme = Path(readme_path).read_text(encoding="utf-8")
    for marker, path in (("settings", settings_path), ("urls", urls_path)):
        block = readme_block(readme, marker)
        with open(path, "a", encoding="utf-8") as target:
            target.write("\n\n" + block)
        lines = len(block.splitlines())
        say(f"appended README's {marker} block ({lines} lines) to {path}")


# --- an HTML form, read as a browser reads it ---------------------------------


class FormReader(HTMLParser):
    """The fields of one <form> (by id) as a browser would submit them, and
    the fields inside its <template> elements (the empty rows of inline
    panels), kept apart."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.in_form = False
        self.template_depth = 0
        self.fields = []
        self.template_fields = []
        self._select = None
        self._textarea = None
        self._options = []

    def _target(self):
        return self.template_fields if self.template_depth else self.fields

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == self.form_id
            return
        if not self.in_form:
            return
        if tag == "template":
            self.template_depth += 1
        elif tag == "input":
            name = attrs.get("name")
            kind = (attrs.get("type") or "text").lower()
            if not name or kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self._target().append(
                (name, attrs.get("value", "on" if kind == "checkbox" else ""))
            )
        elif tag == "select":
            self._select = (attrs.get("name"), "multiple" in attrs)
            self._options = []
        elif tag == "option" and self._select:
            self._options.append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea":
            self._textarea = [attrs.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif not self.in_form:
            return
        elif tag == "template":
            self.template_depth -= 1
        elif tag == "select" and self._select:
            name, multiple = self._select
            chosen = [value for value, selected in self._options if selected]
            if not chosen and not multiple and self._options:
                chosen = [self._options[0][0]]
            if name:
                self._target().extend((name, value) for value in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, value = self._textarea
            if name:
                self._target().append((name, value.lstrip("\n")))
            self._textarea = None


def read_form(html, form_id):
    reader = FormReader(form_id)
    reader.feed(html)
    if not reader.fields:
        fail(f"no form #{form_id} on the page")
    return reader


def rich_text(text):
    """What Wagtail's rich text editor (Draftail) submits for a paragraph."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "smoke",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                    "data": {},
                }
            ],
            "entityMap": {},
        }
    )


# --- a browser without JavaScript -------------------------------------------


class Browser:
    def __init__(self, base):
        self.base = base.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies)
        )

    def request(self, path, data=None, expect=(200,)):
        url = path if path.startswith("http") else self.base + path
        body = None
        headers = {"Accept-Language": "da"}
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.csrf_token()
            headers["Referer"] = url
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 - our own server on loopback
        try:
            with self.opener.open(request, timeout=60) as response:
                status, final, text = response.status, response.url, response.read()
        except urllib.error.HTTPError as error:
            status, final, text = error.code, url, error.read()
        text = text.decode("utf-8", "replace")
        if status not in expect:
            fail(
                f"{'POST' if data is not None else 'GET'} {path}: HTTP {status}, "
                f"expected {expect}\n{strip_html(text)[:3000]}"
            )
        return status, final, text

    def get(self, path, expect=(200,)):
        return self.request(path, expect=expect)

    def csrf_token(self):
        for cookie in self.cookies:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def api_children(self, parent_id):
        """The children of a page, from the admin's own API: [{id, slug,
        live, title}]."""
        query = urllib.parse.urlencode({"child_of": parent_id})
        _, _, text = self.get("/admin/api/main/pages/?" + query)
        return [
            {
                "id": item["id"],
                "slug": item["meta"]["slug"],
                "live": item["meta"]["status"]["live"],
                "title": item["title"],
            }
            for item in json.loads(text)["items"]
        ]


def strip_html(text):
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def form_errors(html):
    errors = re.findall(r'class="error-message"[^>]*>(.*?)</', html, re.S)
    errors += re.findall(r'<p class="error-message">(.*?)</p>', html, re.S)
    return [strip_html(e).strip() for e in errors if strip_html(e).strip()]


# --- the journey ------------------------------------------------------------


# Words Wagtail's own Danish catalogue leaves in English on the page editor;
# the package's catalogue translates them.
ENGLISH_ADMIN = re.compile(r"\b(?:Save draft|Publish|Preview|Workflow)\b")


def add_page(browser, model, parent_id, values, action, inline=None):
    """Fill the admin's "add page" form as an editor would, and submit it."""
    path = f"/admin/pages/add/klynge_pages/{model}/{parent_id}/"
    _, _, html = browser.get(path)
    english = ENGLISH_ADMIN.findall(strip_html(html))
    if english:
        fail(f"the page editor is not in Danish: {sorted(set(english))}")
    form = read_form(html, "page-edit-form")
    data = dict(form.fields)
    for prefix, rows in (inline or {}).items():
        template = [
            (name.replace("__prefix__", "{n}", 1), value)
            for name, value in form.template_fields
            if name.startswith(f"{prefix}-__prefix__-")
        ]
        for number, row in enumerate(rows):
            for name, value in template:
                field = name.format(n=number)
                if "__prefix__" not in field:
                    data[field] = value
            for key, value in row.items():
                data[f"{prefix}-{number}-{key}"] = value
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
    data.update(values)
    data[action] = action
    status, final, html = browser.request(path, data, expect=(200, 302))
    if final.rstrip("/").endswith(path.rstrip("/")):
        problem = form_errors(html) or strip_html(html)[:2000]
        fail(f"the admin refused the new {model}: {problem}")
    page = next(
        (p for p in browser.api_children(parent_id) if p["slug"] == values["slug"]),
        None,
    )
    if page is None:
        fail(f"the new {model} {values['slug']!r} is not under page {parent_id}")
    say(f"{model} {values['title']!r} created (id {page['id']}, live: {page['live']})")
    return page["id"]


# The editor's "Approve with comment" button names the task state it acts on.
# The approval screen of minutes (klynge_pages.approval): minutes under
# sign-off are locked for everyone, reviewers and approvers act here.
APPROVE_BUTTON = re.compile(r'<button[^>]*name="action"[^>]*value="approve"')


def approval_screen(page_id):
    return f"/admin/klynger/referat/{page_id}/godkendelse/"


def offers_approval(browser, page_id):
    _, _, html = browser.get(approval_screen(page_id), expect=(200, 302, 403))
    return bool(APPROVE_BUTTON.search(html or ""))


def approve(browser, page_id, comment):
    """Approve the step in progress, with a comment, on the approval
    screen."""
    _, _, html = browser.get(approval_screen(page_id))
    if not APPROVE_BUTTON.search(html):
        fail(f"page {page_id} offers no approval in the admin (no task in progress)")
    _, _, answer = browser.request(
        approval_screen(page_id),
        {"action": "approve", "comment": comment},
        expect=(200, 302),
    )
    if form_errors(answer):
        fail(f"the approval was refused: {form_errors(answer)}")


def public_status(browser, path):
    status, _, text = browser.get(path, expect=(200, 404))
    return status, text


# A word only the minutes' decision holds.
DECISION_WORD = "Smokeudskrivning"


def search_hits(browser, word):
    query = urllib.parse.urlencode({"q": word, "format": "json"})
    _, _, text = browser.get("/soeg/?" + query)
    return json.loads(text).get("hits", [])


def log_in(base, username, password):
    """A browser logged in to the admin as `username`."""
    browser = Browser(base)
    _, _, html = browser.get("/admin/login/")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    login = {
        "csrfmiddlewaretoken": match.group(1) if match else "",
        "username": username,
        "password": password,
    }
    status, final, html = browser.request("/admin/login/", login, expect=(200, 302))
    if "/admin/login/" in final:
        fail(f"{username} could not log in (HTTP {status}): {strip_html(html)[:1500]}")
    return browser


GROUP_CHECKBOX = re.compile(
    r'<input type="checkbox" name="groups" value="(\d+)"[^>]*>\s*([^<]+?)\s*</label>'
)
# Only for this throwaway site on the loopback address.
USER_PASSWORD = "Smoke-klynge-2026!"  # noqa: S105


def add_user(browser, username, group_names):
    """Create a user in the admin, a member of `group_names`."""
    path = "/admin/users/new/"
    _, _, html = browser.get(path)
    groups = {name: pk for pk, name in GROUP_CHECKBOX.findall(html)}
    missing = [name for name in group_names if name not in groups]
    if missing:
        fail(f"the admin offers no group {missing}; it has {sorted(groups)}")
    data = dict(read_form(html, "w-editor-form").fields)
    data.update(
        {
            "username": username,
            "email": f"{username}@example.invalid",
            "first_name": username.capitalize(),
            "last_name": "Prøve",
            "password1": USER_PASSWORD,
            "password2": USER_PASSWORD,
            "groups": [groups[name] for name in group_names],
        }
    )
    _, final, html = browser.request(path, data, expect=(200, 302))
    if final.rstrip("/").endswith("/new"):
        fail(f"the admin refused the user {username}: {form_errors(html)}")
    say(f"user {username} created, in {', '.join(group_names)}")


def journey(base, username, password):
    started = time.monotonic()
    browser = log_in(base, username, password)
    say(f"logged in to the admin as {username}")

    home = next((p for p in browser.api_children(1) if p["slug"] == "home"), None)
    if home is None:
        fail("the `wagtail start` home page is not under the root")
    home_id = home["id"]

    index_id = add_page(
        browser,
        "clusterindexpage",
        home_id,
        {"title": "Klynger", "slug": "klynger"},
        "action-publish",
    )
    cluster_id = add_page(
        browser,
        "clusterpage",
        index_id,
        {
            "title": "Klynge Prøve",
            "slug": "klynge-proeve",
            "kind": "klyngestyregruppe",
            "area": "midt",
            # An empty StreamField, as the editor's JavaScript submits it.
            "terms_of_reference-count": "0",
        },
        "action-publish",
    )
    # The cluster brought its groups and the secretariat's: the people who
    # do the rest, none of them a superuser.
    cluster = "Klynge Prøve"
    add_user(browser, "redaktoer", [f"{cluster}: Redaktører"])
    add_user(browser, "sekretaer", ["Sekretariat"])
    add_user(browser, "godkender", [f"{cluster}: Godkendere"])
    editor = log_in(base, "redaktoer", USER_PASSWORD)
    secretary = log_in(base, "sekretaer", USER_PASSWORD)
    approver = log_in(base, "godkender", USER_PASSWORD)

    meeting_id = add_page(
        editor,
        "meetingpage",
        cluster_id,
        {
            "title": "Møde 4. marts 2026",
            "slug": "moede-2026-03-04",
            "start": "2026-03-04 16:30",
            "end": "2026-03-04 18:00",
        },
        "action-publish",
        inline={
            "agenda_items": [
                {
                    "number": "1",
                    "title": "Udskrivningsforløb for ældre medicinske patienter",
                    "description": rich_text("Sagsfremstilling om udskrivning."),
                    "recommendation": rich_text(
                        "Det indstilles, at klyngen drøfter sagen."
                    ),
                    "ORDER": "1",
                },
                {
                    "number": "2",
                    "title": "Eventuelt",
                    "ORDER": "2",
                },
            ]
        },
    )
    meeting_url = "/klynger/klynge-proeve/moede-2026-03-04/"
    status, text = public_status(browser, meeting_url)
    if status != 200 or "Udskrivningsforløb" not in text:
        fail(f"the published meeting is not on the public site ({status})")
    say("the meeting and its agenda are on the public site")

    # The minutes: the form starts with a row per agenda item; the decisions
    # are written in, and the minutes are sent to "Referatgodkendelse".
    decision = f"Klyngestyregruppen godkendte den fælles plan for {DECISION_WORD}."
    _, _, html = editor.get(f"/admin/pages/add/klynge_pages/minutespage/{meeting_id}/")
    prefilled = dict(read_form(html, "page-edit-form").fields)
    if prefilled.get("decisions-TOTAL_FORMS") != "2":
        fail("new minutes do not start with a row per agenda item")
    minutes_id = add_page(
        editor,
        "minutespage",
        meeting_id,
        {
            "title": "Referat 4. marts 2026",
            "slug": "referat",
            "decisions-0-decision": rich_text(decision),
            "decisions-1-decision": rich_text("Intet at referere."),
        },
        "action-submit",
    )
    minutes_url = meeting_url + "referat/"
    if public_status(browser, minutes_url)[0] != 404:
        fail("minutes awaiting sign-off are public")
    say("the minutes are sent to sign-off and not public")

    if offers_approval(editor, minutes_id) or offers_approval(approver, minutes_id):
        fail("the secretariat's review is offered to the editor or the approver")
    approve(secretary, minutes_id, "Gennemset af sekretariatet.")
    if offers_approval(editor, minutes_id) or offers_approval(secretary, minutes_id):
        fail("the cluster's sign-off is offered to the editor or the secretariat")
    if public_status(browser, minutes_url)[0] != 404:
        fail("minutes are public after the secretariat's review alone")
    if search_hits(browser, DECISION_WORD):
        fail("the search finds a decision of minutes that are not signed off")
    say("the secretariat approved its review; the minutes are still not public")

    # The approver holds no publish permission: the completed workflow
    # publishes (WAGTAIL_FINISH_WORKFLOW_ACTION, as the README sets it).
    approve(approver, minutes_id, "Godkendt af klyngen.")
    status, text = public_status(browser, minutes_url)
    if status != 200 or decision not in text:
        fail(f"the signed-off minutes are not on the public site ({status})")
    if "Godkendt af" not in text:
        fail("the public minutes do not show who signed them off")
    say("the cluster's approver signed off: the minutes are public, with the line")

    # The search shows a decision of the minutes on its agenda item.
    hits = search_hits(browser, DECISION_WORD)
    found = [
        hit
        for hit in hits
        if f"<mark>{DECISION_WORD}</mark>" in (hit.get("snippet") or "")
        and (hit.get("url") or "").startswith(meeting_url)
    ]
    if not found:
        fail(f"the public search does not find the minutes' decision: {hits}")
    _, _, html = browser.get("/soeg/?" + urllib.parse.urlencode({"q": DECISION_WORD}))
    if found[0]["url"] not in html.replace("&amp;", "&"):
        fail("the public search page does not show the hit")
    _, _, text = browser.get("/soeg/?q=x&format=json")
    engine = json.loads(text)["engine"]
    say(f"the public search ({engine} engine) finds the minutes' decision")
    if engine != "database":
        fail(f"the public search ran on {engine}, not on the database")
    say(f"journey done in {time.monotonic() - started:.1f} s")


def main(argv):
    if len(argv) < 2:
        fail(__doc__)
    command, args = argv[1], argv[2:]
    if command == "check-dist" and len(args) == 1:
        check_dist(*args)
    elif command == "apply-readme" and len(args) == 3:
        apply_readme(*args)
    elif command == "journey" and len(args) == 3:
        journey(*args)
    else:
        fail(__doc__)


if __name__ == "__main__":
    main(sys.argv)
