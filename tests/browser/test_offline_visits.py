"""Visits without a signal, in Chromium: 利民社区's social worker opens the offline visit page
(the service worker installs and keeps it), the network goes away — the browser's offline switch
and every request aborted, since the switch does not stop a service worker's own fetches —, the
page still opens, two visits with a need are recorded, the network comes back and each arrives
once; the queue sent again changes nothing. A need changed offline and on the server meanwhile
shows both values and waits for the worker's choice. The server's records are read with the
Django ORM in the served app's database (``manage.py shell``)."""

from __future__ import annotations

import json
import random
import subprocess  # noqa: S404 — manage.py of this repository only
import sys
import time
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .server import PHONE_VIEWPORT, ROOT, App, log_in

pytestmark = pytest.mark.browser

# a social worker whose community no other browser test walks: limin and sx_sg001–003 keep the
# unvisited households their walks need
WORKER = "sx_sg004"


def orm(app: App, code: str) -> Any:
    """Run ``code`` in the served app's Django (its database); it prints one JSON value."""
    if not app.env:
        pytest.skip("needs the test's own served app (not WUSHE_BROWSER_URL)")
    done = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=app.env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def until(page: Page, script: str, timeout: float = 15) -> None:
    """Evaluate ``script`` (a function) until it is true (wait_for_function would evaluate a
    string, which the pages' CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} s: {script}")
        time.sleep(0.2)


def open_offline_page(page: Page, heading: str = "离线走访") -> None:
    """Open the page online and wait until the service worker controls it and keeps its data."""
    page.goto("/visits/offline/")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    until(page, "() => navigator.serviceWorker.ready.then(() => navigator.serviceWorker.controller !== null)")
    page.reload()  # now through the service worker: the page and the data are kept
    expect(page.locator("#offline-household option").nth(1)).to_be_attached()
    until(
        page,
        """() => caches.keys().then(async (names) => {
             for (const n of names) {
               const c = await caches.open(n);
               if (await c.match('/api/v1/offline/data') && await c.match('/visits/offline/')) return true;
             }
             return false;
           })""",
    )


def go_offline(context: BrowserContext) -> None:
    context.set_offline(True)
    context.route("**/*", lambda route: route.abort())


def go_online(context: BrowserContext) -> None:
    context.unroute("**/*")
    context.set_offline(False)


QUEUE = """() => new Promise((resolve, reject) => {
  const req = indexedDB.open('wushe-offline', 1);
  req.onsuccess = () => {
    const all = req.result.transaction('queue').objectStore('queue').getAll();
    all.onsuccess = () => { req.result.close(); resolve(all.result); };
  };
  req.onerror = () => reject(req.error);
})"""

REPLAY = """async (items) => {
  const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
  const out = [];
  for (const item of items) {
    const r = await fetch(item.url, {method: 'POST', credentials: 'same-origin',
      headers: {'Content-Type': 'application/json', 'X-CSRFToken': token}, body: JSON.stringify(item.body)});
    out.push([r.status, (await r.json()).repeat]);
  }
  return out;
}"""


@pytest.mark.parametrize("context_options", [{"viewport": PHONE_VIEWPORT}])
def test_two_visits_recorded_offline_arrive_once_each(page: Page, context: BrowserContext, app: App) -> None:
    log_in(page, app, WORKER)
    open_offline_page(page)
    marker = f"离线{random.randint(100000, 999999)}"  # noqa: S311 — a test label
    go_offline(context)
    page.reload()  # the page opens with no network at all: the service worker's copy
    expect(page.get_by_role("heading", level=1)).to_have_text("离线走访")
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#offline-banner")).to_contain_text("当前离线")
    expect(page.locator("#offline-household option").nth(2)).to_be_attached()
    for n in (1, 2):
        page.get_by_label("走访的户").select_option(index=n)
        page.get_by_label("助洁").check()
        page.get_by_label("发放宣传资料（份）").fill(str(n))
        page.get_by_label("关键问题").fill(f"{marker}-{n}")
        page.locator("#id_needs-0-category").select_option(label="康复训练")
        page.locator("#id_needs-0-description").fill(f"{marker}-需求{n}")
        page.locator("#id_problems-0-description").fill(f"{marker}-问题{n}")
        page.get_by_role("button", name="保存走访（联网后发送）").click()
        expect(page.locator("#queue-status")).to_contain_text(f"本机待发送 {n} 条")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    queued = page.evaluate(QUEUE)
    assert len(queued) == 2 and len({i["key"] for i in queued}) == 2
    # what the browser keeps: masked names, never an ID number
    kept = json.dumps(queued, ensure_ascii=False)
    assert "id_number" not in kept and "phone" not in kept
    count = (
        "import json; from wushe.visits.models import Visit; from wushe.needs.models import Need, Problem; "
        f"m={marker!r}; print(json.dumps([Visit.objects.filter(key_problem=f'{{m}}-{{n}}').count() for n in (1, 2)]"
        " + [Need.objects.filter(description__startswith=m).count(), Problem.objects.filter(description__startswith=m).count()]))"
    )
    assert orm(app, count) == [0, 0, 0, 0]  # nothing left the phone

    go_online(context)
    expect(page.locator("#queue-status")).to_contain_text("没有待发送的记录", timeout=30_000)
    expect(page.locator("#offline-banner")).to_be_hidden()
    assert orm(app, count) == [1, 1, 2, 2]
    # the queue sent again (a retry after a lost answer): the server answers the first result
    assert page.evaluate(REPLAY, queued) == [[200, True], [200, True]]
    assert orm(app, count) == [1, 1, 2, 2]


NEW_NEED = """
import json
from wushe.accounts.models import User
from wushe.needs.services import need_create
from wushe.visits.selectors import offline_households
worker = User.objects.get(username='sx_sg004')
h = offline_households(user=worker)[0]['id']
from wushe.registry.models import Household
need = need_create(acting_user=worker, household=Household.objects.get(pk=h), category='rehab', description=%r)
print(json.dumps(need.pk))
"""

SERVER_STEP = """
import json
from wushe.needs.models import Need
from wushe.needs.services import need_advance
need = need_advance(acting_user=None, need=Need.objects.get(pk=%d), to_status='in_service', note='服务器上的变更')
print(json.dumps([need.status, need.version]))
"""

STATE = """
import json
from wushe.needs.models import Need
n = Need.objects.get(pk=%d)
print(json.dumps([n.status, n.version, n.unmet_reason]))
"""


def test_a_need_changed_on_both_sides_shows_both_values(
    page: Page, context: BrowserContext, app: App
) -> None:
    marker = f"冲突{random.randint(100000, 999999)}"  # noqa: S311 — a test label
    need_id = orm(app, NEW_NEED % marker)
    log_in(page, app, WORKER)
    open_offline_page(page)
    card = page.locator(f'[data-need="{need_id}"]')
    expect(card).to_contain_text(marker)
    expect(card).to_contain_text("当前状态：待评估")

    go_offline(context)
    card.get_by_label("变更状态").select_option(label="无法满足")
    card.get_by_label("无法满足的原因").fill("已搬离本社区")
    card.get_by_role("button", name="保存状态变更").click()
    expect(page.locator("#queue-status")).to_contain_text("本机待发送 1 条")
    # meanwhile, on the server, someone starts the service
    assert orm(app, SERVER_STEP % need_id) == ["in_service", 2]

    go_online(context)
    conflict = page.locator(f'[data-conflict="{need_id}"]')
    expect(conflict).to_be_visible(timeout=30_000)
    expect(conflict).to_contain_text("您改为“无法满足”")
    expect(conflict).to_contain_text("您看到的是“待评估”")
    expect(conflict).to_contain_text("服务器上现在是“服务中”")
    # not overwritten while the worker has not chosen, however often the page tries
    page.get_by_role("button", name="立即发送").click()
    expect(conflict).to_be_visible()
    assert orm(app, STATE % need_id) == ["in_service", 2, ""]

    # the worker keeps theirs: resubmitted on the server's version
    conflict.get_by_role("button", name="保留我的修改").click()
    expect(page.locator("#conflicts")).to_be_hidden(timeout=30_000)
    expect(page.locator("#queue-status")).to_contain_text("没有待发送的记录")
    assert orm(app, STATE % need_id) == ["unmet", 3, "已搬离本社区"]


@pytest.mark.parametrize("context_options", [{"viewport": PHONE_VIEWPORT}])
@pytest.mark.parametrize(("lang", "heading"), [("zh-hans", "离线走访"), ("en", "Offline visits")])
def test_offline_page_is_accessible_and_works_by_keyboard(
    page: Page, context: BrowserContext, app: App, lang: str, heading: str
) -> None:
    from .test_accessibility import axe_problems

    context.add_cookies([{"name": "django_language", "value": lang, "url": app.url}])
    log_in(page, app, WORKER)
    open_offline_page(page, heading)
    assert axe_problems(page) == ""
    go_offline(context)
    page.reload()
    expect(page.locator("#offline-banner")).to_be_visible()
    # by keyboard alone: the household picker, then the submit button, queue the visit
    page.locator("#offline-household").focus()
    page.keyboard.press("ArrowDown")
    page.locator("#id_key_problem").focus()
    page.keyboard.type("键盘记录")
    page.locator("form#offline-visit button[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#queue-list li")).to_have_count(1)
    assert axe_problems(page) == ""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    go_online(context)
    expect(page.locator("#queue-list li")).to_have_count(0, timeout=30_000)
