"""A mixed working day against the production server (make load, make load-smoke).

Reads the plan written by ``bench/load_prepare.py`` (``WUSHE_LOAD_PLAN``, default
``var/load/plan.json``): accounts, a password, a token and samples of what each account may open.
Three kinds of simulated user, each waiting 1–5 s between actions (about 60 requests a second
for 200 users):

- social workers (6 in 9): open their home, search persons by name and by pinyin initials (GET)
  and by ID number (POST, as the page does), open person and household pages, record a visit
  with a need through the visit form as a browser submits it;
- street administrators (1 in 9): the dashboard, a drill-down, the large screen, an Excel export;
- API clients (2 in 9): list persons and visits, read a person, post a visit with a need.

Requests are named by kind ("page: …", "api: …", "export: …") so the report gives p50/p95/p99
per kind; exports and the work report are reported apart from the pages' target. Only ever run
against 127.0.0.1 (``make load`` refuses other hosts).
"""

from __future__ import annotations

import datetime
import json
import os
import random
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

# WUSHE_LOAD_EXPORTS=0 leaves the administrators' exports out of the mix (a diagnostic: the
# street's two years of visits are ~110 CPU-seconds an export, docs/benchmarks.md)
EXPORTS = 0 if os.environ.get("WUSHE_LOAD_EXPORTS", "1") == "0" else 1
PLAN = json.loads(Path(os.environ.get("WUSHE_LOAD_PLAN", "var/load/plan.json")).read_text())
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@events.init.add_listener
def _local_only(environment: Any, **_kw: Any) -> None:
    host = environment.host or ""
    if not re.match(r"^https?://(127\.0\.0\.1|localhost)(:\d+)?/?$", host):
        raise SystemExit(f"the load test only targets 127.0.0.1, not {host!r}")


def _today() -> str:
    return datetime.datetime.now(SHANGHAI).date().isoformat()


class _Forms(HTMLParser):
    """Every POST form of a page, each as the fields a browser would submit with their defaults."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[dict[str, list[str]], dict[str, list[str]]]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    @property
    def _current(self) -> tuple[dict[str, list[str]], dict[str, list[str]]] | None:
        return self.forms[-1] if self.forms and self._open else None

    _open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.forms.append(({}, {}))
            self._open = True
            return
        current = self._current
        if current is None:
            return
        fields, options = current
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.setdefault(name, []).append(a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                fields[name] = [a.get("value", "")]
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
        elif tag == "option" and self._select:
            options.setdefault(self._select, []).append(a.get("value", ""))
            if "selected" in a:
                fields[self._select] = [a.get("value", "")]
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = [""]

    def handle_data(self, data: str) -> None:
        if self._textarea and self._current:
            self._current[0][self._textarea] = [data]

    def handle_endtag(self, tag: str) -> None:
        current = self._current
        if tag == "select" and self._select and current:
            fields, options = current
            if not fields[self._select] and options.get(self._select):
                fields[self._select] = [options[self._select][0]]
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._open = False


def _form(html: str, field: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The POST form of the page that holds ``field`` (not the header's sign-out form)."""
    parser = _Forms()
    parser.feed(html)
    return next((f for f in parser.forms if field in f[0]), ({}, {}))


class _Signed(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    account: dict[str, Any]

    def on_start(self) -> None:
        page = self.client.get("/accounts/login/", name="page: login")
        token = _CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            data={
                "username": self.account["username"],
                "password": PLAN["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="page: login (POST)",
        )

    def _post_form(self, url: str, name: str, overrides: dict[str, str]) -> None:
        page = self.client.get(url, name=f"page: {name}")
        fields, options = _form(page.text, next(iter(overrides)))
        data: dict[str, Any] = {k: v if len(v) != 1 else v[0] for k, v in fields.items()}
        for key, value in overrides.items():
            if key.endswith("category") and key in options:
                value = next((o for o in options[key] if o), "")
            data[key] = value
        with self.client.post(
            url,
            data=data,
            headers={"Referer": self.host + url},
            name=f"page: {name} (POST)",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if response.status_code != 302:
                errors = re.findall(r'class="invalid-feedback[^"]*"[^>]*>([^<]+)<', response.text)
                response.failure(f"{name}: the form was not accepted ({response.status_code}: {errors[:3]})")


class SocialWorker(_Signed):
    weight = 6

    def on_start(self) -> None:
        self.account = random.choice(PLAN["workers"])
        super().on_start()

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="page: home")

    @task(3)
    def search_name(self) -> None:
        if self.account["names"]:
            self.client.get(
                "/registry/persons/",
                params={"q": random.choice(self.account["names"])},
                name="page: search by name",
            )

    @task(2)
    def search_initials(self) -> None:
        if self.account["initials"]:
            self.client.get(
                "/registry/persons/",
                params={"q": random.choice(self.account["initials"])},
                name="page: search by pinyin",
            )

    @task(1)
    def search_id(self) -> None:
        if not self.account["id_numbers"]:
            return
        page = self.client.get("/registry/persons/", name="page: person list")
        token = _CSRF.search(page.text)
        self.client.post(
            "/registry/persons/search/",
            data={
                "q": random.choice(self.account["id_numbers"]),
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/registry/persons/"},
            name="page: search by ID (POST)",
        )

    @task(4)
    def person(self) -> None:
        if self.account["persons"]:
            self.client.get(
                f"/registry/persons/{random.choice(self.account['persons'])}/", name="page: person"
            )

    @task(3)
    def household(self) -> None:
        if self.account["households"]:
            self.client.get(
                f"/registry/households/{random.choice(self.account['households'])}/", name="page: household"
            )

    @task(1)
    def record_visit(self) -> None:
        if not self.account["households"]:
            return
        household = random.choice(self.account["households"])
        self._post_form(
            f"/visits/new/?household={household}",
            "record a visit",
            {
                "visited_on": _today(),
                "household": str(household),
                "resident_words": "希望社区多组织活动",
                "needs-0-category": "",
                "needs-0-description": "需要上门理发",
            },
        )


class StreetAdministrator(_Signed):
    weight = 1

    def on_start(self) -> None:
        self.account = random.choice(PLAN["admins"])
        super().on_start()

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/reports/", params={"region": self.account["region"]}, name="page: dashboard")

    @task(2)
    def drill(self) -> None:
        self.client.get(
            "/reports/drill/persons/", params={"region": self.account["region"]}, name="page: drill-down"
        )

    @task(1)
    def screen(self) -> None:
        self.client.get(
            "/reports/screen/", params={"region": self.account["region"]}, name="page: large screen"
        )

    @task(EXPORTS)
    def export(self) -> None:
        self.client.get("/visits/export.xlsx", name="export: visits (.xlsx)")


class ApiClient(HttpUser):
    weight = 2
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.plan = PLAN["api"]
        self.client.headers["Authorization"] = f"Bearer {self.plan['token']}"

    @task(3)
    def persons(self) -> None:
        self.client.get("/api/v1/persons", params={"limit": 50}, name="api: persons")

    @task(3)
    def person(self) -> None:
        if self.plan["persons"]:
            self.client.get(f"/api/v1/persons/{random.choice(self.plan['persons'])}", name="api: person")

    @task(2)
    def visits(self) -> None:
        self.client.get("/api/v1/visits", params={"limit": 50}, name="api: visits")

    @task(1)
    def post_visit(self) -> None:
        if not self.plan["households"]:
            return
        body = {
            "visited_on": _today(),
            "household": random.choice(self.plan["households"]),
            "resident_words": "API 记录的走访",
        }
        with self.client.post(
            "/api/v1/visits", json=body, name="api: record a visit", catch_response=True
        ) as response:
            if response.status_code != 201:
                response.failure(f"visit not recorded: {response.status_code} {response.text[:200]}")
