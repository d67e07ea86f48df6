"""The English catalogues are complete: every msgid has a translation, none is fuzzy, and the
compiled catalogue is what Django loads.

The project catalogue is ``wushe/locale``; an app added later may keep its own strings in
``wushe/<app>/locale`` (``cd wushe/<app> && django-admin makemessages -l en``), which Django
loads after the project's. Every catalogue found is checked."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "wushe" / "locale" / "en" / "LC_MESSAGES" / "django.po"
CATALOGUES = sorted((Path(settings.BASE_DIR) / "wushe").glob("**/locale/en/LC_MESSAGES/django.po"))
catalogues = pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.parent.parent.parent.parent.name))


def _entries(po: Path = PO) -> list[dict[str, str | bool]]:
    """A small .po reader: msgid, msgid_plural, msgstr / msgstr[n] and the fuzzy flag."""
    entries = []
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, str | bool] = {"fuzzy": False}
        key = None
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                entry["fuzzy"] = True
            elif line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#"):
                continue
            elif m := re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$', line):
                key = m.group(1)
                entry[key] = ast.literal_eval(m.group(2))
            elif line.startswith('"') and key:
                entry[key] = str(entry[key]) + ast.literal_eval(line)
        if "msgid" in entry:
            entries.append(entry)
    return entries


@catalogues
def test_compiled_catalogue_matches_the_po(po: Path) -> None:
    """The .mo holds exactly the .po's translations (run compilemessages after editing the .po)."""
    with po.with_suffix(".mo").open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    stale = []
    for e in _entries(po):
        if not e["msgid"] or e.get("obsolete") or e["fuzzy"]:
            continue
        if "msgid_plural" in e:
            got = [compiled.ngettext(str(e["msgid"]), str(e["msgid_plural"]), n) for n in (1, 2)]
            want = [e.get("msgstr[0]"), e.get("msgstr[1]")]
        elif "msgctxt" in e:
            got, want = [compiled.pgettext(str(e["msgctxt"]), str(e["msgid"]))], [e.get("msgstr")]
        else:
            got, want = [compiled.gettext(str(e["msgid"]))], [e.get("msgstr")]
        if got != want:
            stale.append(e["msgid"])
    assert stale == [], "run compilemessages: the .mo is older than the .po"


@catalogues
def test_every_msgid_has_an_english_translation_and_none_is_fuzzy(po: Path) -> None:
    entries = [e for e in _entries(po) if e["msgid"] != "" and not e.get("obsolete")]
    assert len(entries) > (100 if po == PO else 0)
    fuzzy = [e["msgid"] for e in entries if e["fuzzy"]]
    assert fuzzy == []
    empty = [
        e["msgid"]
        for e in entries
        if any(v == "" for k, v in e.items() if isinstance(k, str) and k.startswith("msgstr"))
    ]
    assert empty == []
    header = next(e for e in _entries(po) if e["msgid"] == "")
    assert not header["fuzzy"]
    assert "Plural-Forms: nplurals=2" in str(header["msgstr"])


@catalogues
def test_placeholders_are_kept(po: Path) -> None:
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for e in _entries(po):
        if not e["msgid"]:
            continue
        wanted = sorted(placeholder.findall(str(e["msgid"])))
        for key, value in e.items():
            if isinstance(key, str) and key.startswith("msgstr") and value:
                assert sorted(placeholder.findall(str(value))) == wanted, e["msgid"]


def test_django_uses_the_catalogue() -> None:
    with translation.override("en"):
        assert translation.gettext("四色台账") == "Four-colour ledger"
        assert translation.gettext("身份证号码校验码错误") == "The check character of the ID number is wrong"
    with translation.override("zh-hans"):
        assert translation.gettext("四色台账") == "四色台账"
