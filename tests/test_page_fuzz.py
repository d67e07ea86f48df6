"""Property-based fuzzing of the HTML pages (issue 14 item 7): no query string and no form
body answers 5xx.

Every page of the URL conf (the access matrix's entries, so a page added later is fuzzed too)
is called as a street administrator of a small world with random query strings — dates such
as 0001-01-01 and 9999-12-31, garbage, huge and negative numbers, unicode, NUL, very long and
repeated values — under the names its own forms use and a few common ones; every page that
takes a form also gets random POST bodies with its form's field names. The test client raises
any exception of a view, so a 500 fails with its traceback.

Examples per page: ``WUSHE_PAGE_FUZZ_EXAMPLES`` (3 by default, so the suite stays fast; set it
higher to hunt, e.g. 200).
"""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wushe.accounts.roles import Role

from .test_access_matrix import PAGES, _page_url, _world

EXAMPLES = int(os.environ.get("WUSHE_PAGE_FUZZ_EXAMPLES", "3"))
NOT_FUZZED = {"logout", "login", "set_language"}  # would end the session or change the language
COMMON = ["from", "to", "start", "end", "as_of", "region", "q", "page", "status", "kind", "person", "on"]
NASTY = [
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "1899-12-31",
    "2101-01-01",
    "-1",
    "0",
    str(2**63),
    str(-(2**70)),
    "1e309",
    "NaN",
    "",
    " ",
    "\x00",
    "a\x00b",
    "😀" * 50,
    "中" * 5000,
    "x" * 20000,
    "'; DROP TABLE x;--",
    "<script>",
    "%00",
    "../../etc/passwd",
    "true",
    "[]",
    "{}",
]
_NAME = re.compile(r'name="([^"]{1,60})"')

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


def _field_names(client: Client, url: str) -> list[str]:
    response = client.get(url)
    html = response.status_code == 200 and response.get("Content-Type", "").startswith("text/html")
    names = set(_NAME.findall(_body(response).decode(errors="replace"))) if html else set()
    names.discard("csrfmiddlewaretoken")
    return sorted(names)


def _body(response: Any) -> bytes:
    """The whole body, a streamed one too (an export that fails while streaming is a 500)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def _fuzz_page(client: Client, url: str, names: list[str], post: bool) -> None:
    keys = st.sampled_from(names + COMMON)
    params = st.lists(st.tuples(keys, st.lists(values, min_size=1, max_size=3)), max_size=8)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=os.environ.get("WUSHE_FUZZ_RANDOM") != "1",
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(params=params)
    @example(
        params=[(k, ["0001-01-01", "9999-12-31", str(2**64), "-5", "中" * 3000]) for k in [*names, *COMMON]]
    )
    def run(params: list[tuple[str, list[str]]]) -> None:
        data: dict[str, list[str]] = {}
        for key, vals in params:
            data.setdefault(key, []).extend(vals)
        response = client.get(url, data)
        _body(response)
        assert response.status_code < 500, (url, data, response.status_code)
        if post:
            response = client.post(url, data)
            _body(response)
            assert response.status_code < 500, (url, "POST", data, response.status_code)

    run()


@pytest.mark.slow
@pytest.mark.django_db
def test_no_page_answers_5xx_to_random_queries_and_forms(tree: Any) -> None:
    world, user = _world(tree, Role.STREET_ADMIN)
    client = Client()
    client.force_login(user)
    for name, entry in sorted(PAGES.items()):
        if name in NOT_FUZZED:
            continue
        url = _page_url(name, entry, world, "own")
        base = url.split("?")[0]
        names = _field_names(client, url) if entry.method == "GET" else []
        if entry.data is not None:
            names = sorted(set(names) | set(entry.data(world, "own")))
        _fuzz_page(client, base, names, post=entry.method == "POST" or bool(names))
