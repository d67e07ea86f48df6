"""The registry at a million people on PostgreSQL: search, list and ledger stay indexed.

Loads ``WUSHE_BENCH_PERSONS`` people (default 1,000,000) into the database
``WUSHE_BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/wushe_bench``) with
PostgreSQL COPY — encrypted ID and phone, keyed hashes, pinyin keys, one in ten with a
disability certificate — once; later runs reuse it. Then it times the registry's own
selectors, as a street administrator and as a community social worker, against two baselines
measured in the same run: a primary-key lookup (the cheapest indexed read) and a sequential
scan of the person table (what every query would cost without its index).
"""

from __future__ import annotations

import datetime
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

N = int(os.environ.get("WUSHE_BENCH_PERSONS", "1000000"))
URL = os.environ.get("WUSHE_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wushe_bench")


def _setup_django() -> None:
    os.environ["DATABASE_URL"] = URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wushe.settings")
    import psycopg

    base, _, dbname = URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(f'CREATE DATABASE "{dbname}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timed(fn: Callable[[], Any], repeat: int = 7) -> float:
    fn()  # warm the caches once
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def _load() -> dict[str, Any]:
    from django.db import connection

    from wushe.accounts.models import User
    from wushe.accounts.roles import Role
    from wushe.accounts.services import role_grant, user_create
    from wushe.core import crypto
    from wushe.core.idgen import make_id_number, person_name
    from wushe.core.models import Region, RegionLevel
    from wushe.core.services import region_get_or_create
    from wushe.core.validators import mask_id_number, mask_phone
    from wushe.registry.models import Person
    from wushe.registry.pinyin import name_keys, primary_pinyin

    county = region_get_or_create(
        acting_user=None, code="371602000000", name="滨城区", level=RegionLevel.COUNTY
    )
    street = region_get_or_create(
        acting_user=None, code="371602009000", name="基准街道", level=RegionLevel.STREET, parent=county
    )
    grids: list[Region] = []
    for c in range(1, 23):
        community = region_get_or_create(
            acting_user=None,
            code=f"371602009{c:03d}",
            name=f"基准社区{c}",
            level=RegionLevel.COMMUNITY,
            parent=street,
        )
        for g in range(1, 5):
            grids.append(
                region_get_or_create(
                    acting_user=None,
                    code=f"{community.code}{g:03d}",
                    name=f"{community.name}网格{g}",
                    level=RegionLevel.GRID,
                    parent=community,
                )
            )
    admin = User.objects.filter(username="bench_admin").first() or user_create(
        acting_user=None,
        username="bench_admin",
        password=None,  # bench users never log in: unusable password
    )
    role_grant(user=admin, role=Role.STREET_ADMIN, region=street)
    worker = User.objects.filter(username="bench_worker").first() or user_create(
        acting_user=None,
        username="bench_worker",
        password=None,  # bench users never log in: unusable password
    )
    community1 = Region.objects.get(code="371602009001")
    role_grant(user=worker, role=Role.SOCIAL_WORKER, region=community1)

    have = Person.objects.count()
    sample: dict[str, Any] = {"street": street, "community": community1, "admin": admin, "worker": worker}
    if have < N:
        print(f"loading {N - have:,} people with COPY (once) …", flush=True)
        rng = random.Random(7)  # noqa: S311
        pool = [person_name(rng) for _ in range(20000)]
        keys = {name: (primary_pinyin(name), name_keys(name)) for name in pool}
        now = datetime.datetime.now(datetime.UTC)
        start_id = (Person.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        t0 = time.perf_counter()
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 cursor
            cols = (
                "id, region_id, relation_to_head, name, name_pinyin, id_number, id_hash, id_masked, birth_date, sex, "
                "phone, phone_hash, phone_masked, address, contact_name, contact_phone, status, status_note, "
                "registered_on, created_at, updated_at"
            )
            with raw.copy(f"COPY registry_person ({cols}) FROM STDIN") as copy:
                for i in range(have, N):
                    pid = start_id + i - have
                    name = pool[i % len(pool)]
                    birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=i // 1000)
                    number = make_id_number("371602", birth, i % 1000)
                    phone = f"13{i:09d}"
                    copy.write_row((
                        pid, grids[i % len(grids)].pk, "", name, keys[name][0], crypto.encrypt(number),
                        crypto.blind_index("id", number), mask_id_number(number), birth,
                        "M" if i % 2 else "F", crypto.encrypt(phone), crypto.blind_index("phone", phone),
                        mask_phone(phone), "基准地址", "", "", "active", "", now.date(), now, now,
                    ))  # fmt: skip
            with raw.copy("COPY registry_personsearchkey (person_id, key) FROM STDIN") as copy:
                for i in range(have, N):
                    for key in keys[pool[i % len(pool)]][1]:
                        copy.write_row((start_id + i - have, key))
            with raw.copy(
                "COPY registry_disabilitycertificate (person_id, region_id, category, level, valid_from) FROM STDIN"
            ) as copy:
                for i in range(have, N, 10):
                    grid = grids[i % len(grids)].pk
                    copy.write_row(
                        (start_id + i - have, grid, 1 + i % 7, 1 + i % 4, datetime.date(2024, 1, 1))
                    )
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('registry_person','id'), (SELECT max(id) FROM registry_person))"
            )
            cursor.execute("VACUUM ANALYZE")  # sets the visibility map: index-only scans, as in production
        print(f"loaded in {time.perf_counter() - t0:.0f} s", flush=True)
    target = (
        Person.objects.filter(region__path__startswith=community1.path)
        .order_by("id")
        .defer("id_number", "phone", "contact_phone")  # decrypted only by the searches that need them
        .first()
    )
    assert target is not None
    sample["person"] = target
    return sample


def main() -> None:
    _setup_django()
    from django.db import connection

    from wushe.core.metrics import Scope, compute
    from wushe.core.models import Region
    from wushe.registry.models import Person
    from wushe.registry.selectors import PersonFilters, ledger_counts, person_list

    s = _load()
    admin, worker, person = s["admin"], s["worker"], s["person"]
    from cryptography.exceptions import InvalidTag

    try:  # the key file of WUSHE_DATA_DIR must be the one the people were loaded with
        clear = Person.objects.only("id_number", "phone").get(pk=person.pk)
    except InvalidTag:
        sys.exit(
            f"{URL}: its people were encrypted with another key than WUSHE_DATA_DIR's; drop it to reload"
        )
    id_number, phone = clear.id_number, clear.phone
    total = Person.objects.count()
    prefix = person.name[:2]
    initials = __import__("wushe.registry.pinyin", fromlist=["x"]).name_keys(person.name)[1]

    def page(user: Any, **filters: Any) -> Callable[[], Any]:
        return lambda: list(person_list(user=user, filters=PersonFilters(**filters))[:25])

    def seq_scan() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM registry_person WHERE address LIKE %s", ["%不存在%"])
            cursor.fetchone()

    # the searches must find the target, or the timings would measure an empty answer
    for q in (id_number, phone, initials, prefix):
        found = person_list(user=admin, filters=PersonFilters(q=q)).filter(pk=person.pk).exists()
        assert found, f"search {q!r} does not find the target"

    pk = _timed(lambda: Person.objects.defer("id_number", "phone", "contact_phone").get(pk=person.pk))
    scan = _timed(seq_scan, repeat=3)
    cases = [
        ("person list, page 1 (street admin)", page(admin)),
        ("person list, page 1 (community worker)", page(worker)),
        (f"search name prefix {prefix!r} (street admin)", page(admin, q=prefix)),
        (f"search pinyin initials {initials!r} (worker)", page(worker, q=initials)),
        ("search full ID number (street admin)", page(admin, q=id_number)),
        ("search phone (street admin)", page(admin, q=phone)),
        ("count for pagination (community worker)", lambda: person_list(user=worker).count()),
        ("ledger counts, whole street", lambda: ledger_counts(user=admin, region=s["street"])),
        ("all registry figures, whole street", lambda: compute(Scope(region=s["street"], user=admin))),
        (
            "all registry figures, one community",
            lambda: compute(Scope(region=Region.objects.get(pk=s["community"].pk), user=worker)),
        ),
    ]
    print(f"\nregistry at scale — PostgreSQL, {total:,} people")
    print(f"baseline A: primary-key lookup          {pk * 1000:9.2f} ms")
    print(f"baseline B: sequential scan of persons  {scan * 1000:9.2f} ms\n")
    print(f"{'case':<48}{'median ms':>10}{'× PK lookup':>13}{'÷ seq scan':>12}")
    for label, fn in cases:
        t = _timed(fn)
        print(f"{label:<48}{t * 1000:10.2f}{t / pk:13.1f}{t / scan:12.3f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
