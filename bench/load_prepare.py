"""Prepare a database for the load test (make load, make load-smoke): accounts and samples.

``python -m bench.load_prepare OUT.json`` with ``DATABASE_URL`` naming the database the production
server will serve (the million-people benchmark database for ``make load``, the demo database for
the smoke run). It picks the street with the most people, gives it load-test accounts — social
workers on its communities, a street administrator, an API client with a bearer token — all with
one random password, and writes them with samples of what each may open (households, persons,
names to search for, ID numbers to search for by POST) to OUT.json (mode 0600: it holds the
password, the token and ID numbers; it lives in the data directory, never in git).
The accounts are ordinary users through the services; re-running refreshes the password.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

WORKERS = int(os.environ.get("WUSHE_LOAD_WORKERS", "20"))
SAMPLE = 200


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wushe.settings")
    import django

    django.setup()
    from wushe.accounts.models import User
    from wushe.accounts.roles import Role
    from wushe.accounts.services import api_token_issue, role_grant, user_create
    from wushe.core.models import Region, RegionLevel
    from wushe.registry.models import Household, Person

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "var/load/plan.json")
    streets = Region.objects.filter(level=RegionLevel.STREET)
    street = max(streets, key=lambda s: Person.objects.filter(region__path__startswith=s.path).count())
    communities = list(
        Region.objects.filter(level=RegionLevel.COMMUNITY, path__startswith=street.path).order_by("code")
    ) or [street]
    password = secrets.token_urlsafe(18)

    def account(username: str, role: str, region: Region) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(acting_user=None, username=username, password=password)
        else:  # a test account from an earlier run: this run's password (no service changes passwords)
            user.set_password(password)
            user.save(update_fields=["password"])
        if not user.grants.filter(role=role, region=region).exists():
            role_grant(user=user, role=role, region=region)
        return user

    def samples(region: Region) -> dict[str, list]:
        persons = list(
            Person.objects.filter(region__path__startswith=region.path)
            .order_by("?")
            .only("pk", "name", "name_pinyin", "id_number", "household_id")[:SAMPLE]
        )
        households = list(
            Household.objects.filter(region__path__startswith=region.path)
            .order_by("?")
            .values_list("pk", flat=True)[:SAMPLE]
        )
        return {
            "persons": [p.pk for p in persons],
            "households": households or [p.household_id for p in persons if p.household_id],
            "names": sorted({p.name[:2] for p in persons if p.name})[:50],
            "initials": sorted(
                {"".join(w[0] for w in p.name_pinyin.split()) for p in persons if p.name_pinyin}
            )[:50],
            "id_numbers": [p.id_number for p in persons[:20]],
        }

    plan: dict[str, object] = {"street": street.code, "password": password, "workers": [], "admins": []}
    for i in range(WORKERS):
        community = communities[i % len(communities)]
        account(f"load_sw_{i + 1}", Role.SOCIAL_WORKER, community)
        plan["workers"].append(
            {"username": f"load_sw_{i + 1}", "region": community.code, **samples(community)}
        )  # type: ignore[attr-defined]
    account("load_admin", Role.STREET_ADMIN, street)
    plan["admins"].append({"username": "load_admin", "region": street.code})  # type: ignore[attr-defined]
    api_user = account("load_api", Role.SOCIAL_WORKER, communities[0])
    plan["api"] = {"token": api_token_issue(user=api_user, name="load test"), **samples(communities[0])}
    out.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(plan, fh, ensure_ascii=False)
    print(f"load plan: {out} (street {street.name}, {WORKERS} social workers, 1 administrator, 1 API client)")


if __name__ == "__main__":
    main()
