"""The ledger import at a million rows, against the floor and django-import-export.

Generates (once, kept in ``bench/data/``, which git ignores) a ``WUSHE_BENCH_IMPORT_ROWS``-row
(default 1,000,000) 12-column disability ledger as .xlsx (streamed inline strings, as XlsxWriter's
constant-memory mode writes them) and as
.csv, in the shape offices keep them: a title row, typed dates in mixed forms, every row with a
certificate, and about 1 % of bad rows (digits lost to Excel, wrong check characters,
contradicting duplicates) and 0.5 % identical duplicates. Then, each step in its own process
(so that its peak memory is its own), on SQLite and on PostgreSQL:

- **F1** (the old floor): read the .xlsx with python-calamine and load the same 12 columns as
  text with ``executemany`` (SQLite) / ``COPY`` (PostgreSQL) — no checks, no encryption, no pinyin;
- **wushe**: ``manage.py import_ledger`` into a fresh database — every check, the keyed
  hashes, AES-GCM encryption, pinyin keys, certificates and history — from the .xlsx and from
  the .csv (and from a csv ten times smaller, to show the csv's memory does not grow);
- **F2** (the result floor): every row that import wrote (all tables, history and search keys),
  read back untimed and loaded from those pre-built tuples into a fresh database with ``COPY`` /
  ``executemany``, with the same secondary indexes dropped and rebuilt — no reading, no checking;
- **dry run**: ``import_ledger --dry-run`` (every check, nothing written to the registry);
- **django-import-export**: a ``ModelResource`` for the person table, matched on the ID hash,
  importing a ``WUSHE_BENCH_IIE_ROWS``-row (default 20,000) slice row by row, as its users run it.

It prints rows per second, CPU, peak memory (``ru_maxrss`` of the step's process or its worker)
and the ratios against issue 22's targets (the million-row .xlsx within 1.5× F2 on PostgreSQL and
2× F2 on SQLite, ≥ 50× django-import-export's rows per second, < 800 MB, the dry run of a million
rows < 30 s). ``WUSHE_BENCH_IMPORT_DATABASE_URL`` names the PostgreSQL database
(default ``postgres://postgres@127.0.0.1:5432/wushe_bench_imports``; it is dropped and
recreated); ``WUSHE_BENCH_IMPORT_DBS=sqlite`` skips PostgreSQL.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
N = int(os.environ.get("WUSHE_BENCH_IMPORT_ROWS", "1000000"))
IIE_ROWS = int(os.environ.get("WUSHE_BENCH_IIE_ROWS", "20000"))
PG_URL = os.environ.get(
    "WUSHE_BENCH_IMPORT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wushe_bench_imports"
)
DBS = os.environ.get("WUSHE_BENCH_IMPORT_DBS", "sqlite,postgresql").split(",")
# which steps to run: floor, xlsx, csv, iie, small (the csv a tenth the size, for memory)
STEPS_WANTED = set(os.environ.get("WUSHE_BENCH_IMPORT_STEPS", "floor,xlsx,f2,dry,csv,iie,small").split(","))
F2_TARGET = {"postgresql": 1.5, "sqlite": 2.0}  # the million-row .xlsx import within this × F2 (issue 22)
STREET = "371602009000"
HEADER = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "出生日期",
    "联系电话",
    "家庭住址",
    "所属社区",
    "网格",
    "残疾人证号",
    "残疾类别",
    "残疾等级",
]
CATEGORIES = ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"]
LEVELS = ["一级", "二级", "三级", "四级"]
FLOOR_INSERT = "INSERT INTO floor VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
ADDRESS_CODES = ["370102", "370103", "370104", "371602", "371621", "372301"]


# ---- the ledger -------------------------------------------------------------------------


def _ledger_rows(n: int) -> Iterator[list[str]]:
    sys.path.insert(0, str(ROOT))
    from stdnum.cn import ric

    from wushe.core.idgen import person_name

    rng = random.Random(20240501)
    kept: list[list[str]] = []
    for i in range(n):
        birth = datetime.date(1940, 1, 1) + datetime.timedelta(days=(i * 7919) % 25000)
        body = f"{ADDRESS_CODES[i % len(ADDRESS_CODES)]}{birth:%Y%m%d}{(i // 25000) % 1000:03d}"
        id_number = body + ric.calc_check_digit(body + "0")
        category, level = 1 + i % 7, 1 + (i // 7) % 4
        date_forms = (
            f"{birth:%Y-%m-%d}",
            f"{birth.year}/{birth.month}/{birth.day}",
            f"{birth.year}年{birth.month}月{birth.day}日",
        )
        row = [
            str(i + 1),
            person_name(rng),
            "男" if int(id_number[16]) % 2 else "女",
            id_number,
            date_forms[i % 3],
            f"13{i % 10}{rng.randrange(10**8):08d}",
            f"基准街道{1 + i % 300}号楼{1 + i % 6}单元",
            f"基准社区{1 + i % 22}",
            f"第{1 + (i // 22) % 4}网格",
            f"{id_number}{category}{level}",
            CATEGORIES[category - 1] if i % 2 else str(category),
            LEVELS[level - 1] if i % 3 else str(level),
        ]
        r = i % 1000
        if r == 1:
            row[3] = f"{float(id_number[:17] + '0'):.14E}"  # digits lost to Excel
            row[9] = ""
        elif r == 2:
            row[3] = id_number[:17] + ("0" if id_number[17] != "0" else "1")  # wrong check character
            row[9] = ""
        elif r in (3, 4, 5, 6, 7) and kept:
            row = list(kept[-1])  # an identical duplicate of an earlier row
            row[0] = str(i + 1)
        elif r == 8 and kept:
            row = list(kept[-1])  # the same person with another phone: both rejected
            row[0], row[5] = str(i + 1), "13900000000"
        elif r == 9:
            row[5] = "1.38123E+10"  # a phone in scientific notation
        if r == 500:
            kept.append(row)
            del kept[:-3]
        yield row


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="残疾人台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}
_COLUMNS = [chr(ord("A") + i) for i in range(26)]


def _xml_row(number: int, cells: list[str]) -> str:
    """One sheet row with inline strings, as XlsxWriter writes them in constant-memory mode."""
    parts = [f'<row r="{number}">']
    for col, text in zip(_COLUMNS, cells, strict=False):
        if text:
            parts.append(f'<c r="{col}{number}" t="inlineStr"><is><t>{escape(text)}</t></is></c>')
    parts.append("</row>")
    return "".join(parts)


def _write_xlsx(path: Path, rows: Iterator[tuple[int, list[str]]]) -> None:
    """A one-sheet .xlsx of text cells, streamed into the zip (XlsxWriter's row-by-row API costs
    ~0.5 ms a row: the million took most of a quarter hour). calamine reads it as it reads
    XlsxWriter's constant-memory output: inline strings, one row element per row."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in _XLSX_PARTS.items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as raw:
            raw.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            buffer: list[str] = []
            for number, cells in rows:
                buffer.append(_xml_row(number, cells))
                if len(buffer) >= 5000:
                    raw.write("".join(buffer).encode())
                    buffer = []
            raw.write("".join(buffer).encode())
            raw.write(b"</sheetData></worksheet>")


def _generate(n: int) -> tuple[Path, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    xlsx, csv_path = DATA / f"ledger-{n}.xlsx", DATA / f"ledger-{n}.csv"
    if xlsx.exists() and csv_path.exists():
        return xlsx, csv_path
    print(f"generating a {n:,}-row ledger in {DATA} (once) …", flush=True)
    t0 = time.perf_counter()
    title, note = "基准街道残疾人基本信息台账", "填表人：王芳　　审核人：李强"
    with open(str(csv_path) + ".tmp", "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)

        def rows() -> Iterator[tuple[int, list[str]]]:
            writer.writerow([title])
            writer.writerow([])
            writer.writerow(HEADER)
            yield 1, [title]
            yield 3, HEADER
            block: list[list[str]] = []
            for r, row in enumerate(_ledger_rows(n), start=4):
                block.append(row)
                if len(block) >= 5000:
                    writer.writerows(block)
                    block = []
                yield r, row
            writer.writerows(block)
            writer.writerow([note])
            yield n + 5, [note]

        _write_xlsx(Path(str(xlsx) + ".tmp"), rows())
    os.replace(str(xlsx) + ".tmp", xlsx)
    os.replace(str(csv_path) + ".tmp", csv_path)
    print(f"generated in {time.perf_counter() - t0:.0f} s", flush=True)
    return xlsx, csv_path


def _small_csv(src: Path, n: int) -> Path:
    path = DATA / f"ledger-{n}-head.csv"
    if not path.exists():
        with (
            open(src, encoding="utf-8-sig", newline="") as fh,
            open(path, "w", encoding="utf-8-sig", newline="") as out,
        ):
            for i, line in enumerate(fh):
                if i >= n + 3:
                    break
                out.write(line)
    return path


# ---- steps (each in its own process) -------------------------------------------------------


def _database_url(db: str) -> str:
    return f"sqlite:///{DATA / 'bench-imports.sqlite3'}" if db == "sqlite" else PG_URL


def _fresh_database(db: str) -> None:
    if db == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(DATA / "bench-imports.sqlite3") + suffix).unlink(missing_ok=True)
        return
    import psycopg

    base, _, name = PG_URL.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _django(db: str) -> None:
    os.environ["DATABASE_URL"] = _database_url(db)
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["WUSHE_DATA_DIR"] = str(DATA / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wushe.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from wushe.core.models import RegionLevel
    from wushe.core.services import region_get_or_create

    county = region_get_or_create(
        acting_user=None, code="371602000000", name="滨城区", level=RegionLevel.COUNTY
    )
    street = region_get_or_create(
        acting_user=None, code=STREET, name="基准街道", level=RegionLevel.STREET, parent=county
    )
    for c in range(1, 23):
        community = region_get_or_create(
            acting_user=None,
            code=f"371602009{c:03d}",
            name=f"基准社区{c}",
            level=RegionLevel.COMMUNITY,
            parent=street,
        )
        for g in range(1, 5):
            region_get_or_create(
                acting_user=None,
                code=f"{community.code}{g:03d}",
                name=f"{community.name}第{g}网格",
                level=RegionLevel.GRID,
                parent=community,
            )


def _xlsx_rows(path: Path) -> Iterator[list[Any]]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    for i, row in enumerate(sheet.iter_rows()):
        if i >= 3 and len(row) >= 12 and row[3] != "":
            yield row[:12]


def step_floor(db: str, path: Path) -> dict[str, Any]:
    """Read the .xlsx, load the rows as text: the least any import must do."""
    _fresh_database(db)
    columns = ", ".join(f"c{i} text" for i in range(12))
    t0, c0 = time.perf_counter(), _cpu()
    rows = 0
    if db == "sqlite":
        import sqlite3

        conn = sqlite3.connect(DATA / "bench-imports.sqlite3")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"CREATE TABLE floor ({columns})")
        batch: list[list[str]] = []
        with conn:
            for row in _xlsx_rows(path):
                batch.append([str(c) for c in row])
                if len(batch) == 10000:
                    conn.executemany(FLOOR_INSERT, batch)
                    rows += len(batch)
                    batch = []
            conn.executemany(FLOOR_INSERT, batch)
            rows += len(batch)
        conn.close()
    else:
        import psycopg

        with psycopg.connect(PG_URL) as conn:
            conn.execute(f"CREATE TABLE floor ({columns})")
            with conn.cursor().copy("COPY floor FROM STDIN") as copy:
                for row in _xlsx_rows(path):
                    copy.write_row([str(c) for c in row])
                    rows += 1
    return {"seconds": time.perf_counter() - t0, "cpu": _cpu() - c0, "rows": rows}


def step_wushe(db: str, path: Path) -> dict[str, Any]:
    """``manage.py import_ledger`` with every check, into a fresh database."""
    import io

    _fresh_database(db)
    _django(db)
    from django.core.management import call_command

    out = io.StringIO()
    t0, c0 = time.perf_counter(), _cpu()
    call_command("import_ledger", str(path), "--region", STREET, "--json", "--new", stdout=out)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    counts = json.loads(out.getvalue())
    return {"seconds": seconds, "cpu": cpu, "rows": sum(counts.values()), "counts": counts}


def step_iie(db: str, path: Path) -> dict[str, Any]:
    """django-import-export importing a slice row by row, matched on the ID (its keyed hash)."""
    _fresh_database(db)
    _django(db)
    import tablib
    from import_export import fields, resources

    from wushe.core.models import Region
    from wushe.core.validators import mask_id_number, normalise_phone, parse_id_number
    from wushe.registry.identity import id_hash, phone_hash
    from wushe.registry.models import Person
    from wushe.registry.pinyin import primary_pinyin

    communities = {r.name: r.pk for r in Region.objects.filter(level="community")}

    class PersonResource(resources.ModelResource):
        id_hash = fields.Field(attribute="id_hash", column_name="id_hash")

        class Meta:
            model = Person
            import_id_fields = ("id_hash",)
            fields = ("id_hash", "name", "id_number", "phone", "address", "region", "birth_date", "sex")
            skip_unchanged = True

        def before_import_row(self, row: Any, **kwargs: Any) -> None:
            parsed = parse_id_number(row["公民身份号码"])
            row["id_hash"] = id_hash(parsed.number)
            row["id_number"] = parsed.number
            row["name"] = row["姓名"]
            row["phone"] = normalise_phone(row["联系电话"])
            row["address"] = row["家庭住址"]
            row["region"] = communities[row["所属社区"]]
            row["birth_date"] = parsed.birth_date
            row["sex"] = parsed.sex

        def before_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            instance.id_masked = mask_id_number(instance.id_number)
            instance.phone_hash = phone_hash(instance.phone)
            instance.name_pinyin = primary_pinyin(instance.name)

    targets = ["id_hash", "name", "id_number", "phone", "address", "region", "birth_date", "sex"]
    dataset = tablib.Dataset(headers=HEADER + targets)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        for i, row in enumerate(reader):
            if i < 3 or len(row) < 12:
                continue
            if row[0].isdigit() and (int(row[0]) - 1) % 1000 in (1, 2, 3, 4, 5, 6, 7, 8, 9):
                continue  # the clean rows only: its own errors would stop it
            dataset.append(row[:12] + [""] * len(targets))
            if len(dataset) >= IIE_ROWS:
                break
    t0, c0 = time.perf_counter(), _cpu()
    result = PersonResource().import_data(dataset, dry_run=False, use_transactions=True, raise_errors=True)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    return {"seconds": seconds, "cpu": cpu, "rows": len(dataset), "new": result.totals.get("new", 0)}


def _result_tables() -> list[Any]:
    """The tables an import writes, in an order their foreign keys allow: the job, the registry's
    (person, search keys, certificate, tag, each with its history) and the job's notable rows."""
    from wushe.imports.engine.indexes import _registry_tables
    from wushe.imports.models import ImportJob, ImportRow

    return [ImportJob._meta.db_table, *_registry_tables(), ImportRow._meta.db_table]


def _f2_path(db: str) -> Path:
    return DATA / f"f2-{db}-{N}.pickle"


def step_f2prep(db: str, path: Path) -> dict[str, Any]:
    """Not timed: every row the import just wrote (the database the import step left), kept as
    pre-built tuples for F2."""
    import pickle

    os.environ["DATABASE_URL"] = _database_url(db)
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["WUSHE_DATA_DIR"] = str(DATA / "var")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wushe.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    qn = connection.ops.quote_name
    dump: list[tuple[str, list[str], list[tuple[Any, ...]]]] = []
    rows = 0
    with connection.cursor() as cursor:
        for table in _result_tables():
            cursor.execute(f"SELECT * FROM {qn(table)} ORDER BY 1")  # noqa: S608 — our own table names
            columns = [c[0] for c in cursor.description]
            values = [tuple(r) for r in cursor.fetchall()]
            rows += len(values)
            dump.append((table, columns, values))
    with open(_f2_path(db), "wb") as fh:
        pickle.dump(dump, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return {"seconds": 0.0, "cpu": 0.0, "rows": rows, "tables": {t: len(v) for t, _c, v in dump}}


def step_f2(db: str, path: Path) -> dict[str, Any]:
    """F2, the result floor: exactly the rows the import wrote (every table, history and search
    keys), loaded from pre-built tuples with COPY (PostgreSQL) / executemany (SQLite) into a fresh
    database, with the same secondary indexes dropped before and rebuilt after. No reading, no
    checking. Timed from the first write to the last index."""
    import pickle

    _fresh_database(db)
    _django(db)
    from django.db import connection, transaction

    from wushe.core.bulk import bulk_session, deferrable_indexes, indexes_drop, indexes_restore
    from wushe.imports.engine import DEFER_INDEXES_MIN_ROWS

    with open(_f2_path(db), "rb") as fh:
        dump = pickle.load(fh)  # noqa: S301 — written by step_f2prep of this run
    people = next(len(v) for t, _c, v in dump if t == "registry_person")
    qn = connection.ops.quote_name
    t0, c0 = time.perf_counter(), _cpu()
    with bulk_session():
        indexes = deferrable_indexes(*_result_tables()[1:-1]) if people >= DEFER_INDEXES_MIN_ROWS else []
        with transaction.atomic():
            indexes_drop(indexes)
        with transaction.atomic(), connection.cursor() as cursor:
            for table, columns, values in dump:
                column_sql = ", ".join(qn(c) for c in columns)
                if db == "sqlite":
                    marks = ", ".join(["%s"] * len(columns))
                    sql = f"INSERT INTO {qn(table)} ({column_sql}) VALUES ({marks})"  # noqa: S608
                    cursor.executemany(sql, values)
                else:
                    with cursor.cursor.copy(f"COPY {qn(table)} ({column_sql}) FROM STDIN") as copy:
                        for row in values:
                            copy.write_row(row)
        with transaction.atomic():
            indexes_restore(indexes)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    return {"seconds": seconds, "cpu": cpu, "rows": people, "written": sum(len(v) for _t, _c, v in dump)}


def step_dry(db: str, path: Path) -> dict[str, Any]:
    """``manage.py import_ledger --dry-run``: every check, nothing written to the registry."""
    import io

    _fresh_database(db)
    _django(db)
    from django.core.management import call_command

    out = io.StringIO()
    t0, c0 = time.perf_counter(), _cpu()
    call_command("import_ledger", str(path), "--region", STREET, "--json", "--new", "--dry-run", stdout=out)
    seconds, cpu = time.perf_counter() - t0, _cpu() - c0
    counts = json.loads(out.getvalue())
    return {"seconds": seconds, "cpu": cpu, "rows": sum(counts.values()), "counts": counts}


STEPS = {
    "floor": step_floor,
    "wushe": step_wushe,
    "f2prep": step_f2prep,
    "f2": step_f2,
    "dry": step_dry,
    "iie": step_iie,
}


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _child(step: str, db: str, path: str) -> None:
    result = STEPS[step](db, Path(path))
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # peak memory: this process's, or its worker's if larger (ru_maxrss is in KiB on Linux)
    result["maxrss_mb"] = max(own.ru_maxrss, children.ru_maxrss) / 1024
    print("RESULT " + json.dumps(result), flush=True)


def _run(step: str, db: str, path: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(  # noqa: S603 — our own interpreter and module
        [sys.executable, "-m", "bench.imports_scale", "--step", step, db, str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if proc.returncode != 0 or line is None:
        print(proc.stdout[-2000:], proc.stderr[-4000:], file=sys.stderr)
        raise SystemExit(f"bench step {step} on {db} failed")
    return json.loads(line[len("RESULT ") :])  # type: ignore[no-any-return]


def main() -> None:
    if len(sys.argv) >= 5 and sys.argv[1] == "--step":
        _child(sys.argv[2], sys.argv[3], sys.argv[4])
        return
    xlsx, csv_path = _generate(N)
    small = _small_csv(csv_path, max(1, N // 10))
    print(
        f"\nledger import — {N:,} rows × 12 columns ({xlsx.stat().st_size / 2**20:.0f} MB .xlsx)", flush=True
    )
    results: dict[tuple[str, str, str], dict[str, Any]] = {}
    plan = []
    for db in DBS:
        plan += [
            ("floor", db, "xlsx", xlsx, "floor"),
            ("wushe", db, "xlsx", xlsx, "xlsx"),
            ("f2prep", db, "xlsx", xlsx, "f2"),
            ("f2", db, "xlsx", xlsx, "f2"),
            ("dry", db, "xlsx", xlsx, "dry"),
            ("wushe", db, "csv", csv_path, "csv"),
            ("iie", db, f"{IIE_ROWS // 1000}k slice", csv_path, "iie"),
        ]
    plan.append(("wushe", DBS[0], f"csv {max(1, N // 10):,}", small, "small"))
    plan = [p[:4] for p in plan if p[4] in STEPS_WANTED]
    if "f2" in STEPS_WANTED and "xlsx" not in STEPS_WANTED:
        raise SystemExit("F2 loads what the import wrote: run the xlsx step with it")
    print(
        f"{'step':<32}{'db':<12}{'rows':>10}{'wall s':>9}{'rows/s':>10}{'CPU s':>9}{'CPU µs/row':>12}{'peak MB':>9}",
        flush=True,
    )
    labels = {
        "floor": "F1 (calamine read + load)",
        "f2": "F2 (load the result)",
        "wushe": "wushe import_ledger",
        "dry": "wushe --dry-run",
        "iie": "django-import-export",
    }
    for step, db, what, path in plan:
        r = _run(step, db, path)
        results[(step, db, what)] = r
        if step == "f2prep":
            continue
        label = labels[step] + ("" if step in ("floor", "f2") else " " + what)
        cpu = r.get("cpu", float("nan"))
        print(
            f"{label:<32}{db:<12}{r['rows']:>10,}{r['seconds']:>9.1f}"
            f"{r['rows'] / r['seconds']:>10,.0f}{cpu:>9.1f}{cpu / r['rows'] * 1e6:>12,.0f}{r['maxrss_mb']:>9,.0f}",
            flush=True,
        )
    print()
    for db in DBS:
        ours = results.get(("wushe", db, "xlsx"))
        if not ours:
            continue
        parts = [f"counts {ours.get('counts')}"]
        floor, f2 = results.get(("floor", db, "xlsx")), results.get(("f2", db, "xlsx"))
        if floor:
            parts.append(f"import / F1 = {ours['seconds'] / floor['seconds']:.1f}× wall")
        if f2:
            target = F2_TARGET[db]
            ratio = ours["seconds"] / f2["seconds"]
            parts.append(
                f"import / F2 = {ratio:.2f}× wall, {ours.get('cpu', 0) / max(f2.get('cpu', 0), 1e-9):.2f}× CPU "
                f"(target ≤ {target}: {'met' if ratio <= target else 'NOT met'}; F2 wrote "
                f"{results[('f2', db, 'xlsx')].get('written', 0):,} rows)"
            )
        iie = results.get(("iie", db, f"{IIE_ROWS // 1000}k slice"))
        if iie:
            speed = (ours["rows"] / ours["seconds"]) / (iie["rows"] / iie["seconds"])
            parts.append(
                f"rows/s vs django-import-export = {speed:.0f}× (target ≥ 50: {'met' if speed >= 50 else 'NOT met'})"
            )
        parts.append(
            f"xlsx peak {ours['maxrss_mb']:,.0f} MB (target < 800: {'met' if ours['maxrss_mb'] < 800 else 'NOT met'})"
        )
        dry = results.get(("dry", db, "xlsx"))
        if dry:
            at_million = dry["seconds"] * 1_000_000 / max(dry["rows"], 1)
            parts.append(
                f"dry run {dry['seconds']:.1f} s ({at_million:.0f} s scaled to a million; target < 30: "
                f"{'met' if at_million < 30 else 'NOT met'}), counts {dry.get('counts')}"
            )
        print(f"{db}: " + "  ·  ".join(parts))
    big, tenth = (
        results.get(("wushe", DBS[0], "csv")),
        results.get(("wushe", DBS[0], f"csv {max(1, N // 10):,}")),
    )
    if big and tenth:
        print(
            f"csv peak memory: {tenth['maxrss_mb']:,.0f} MB at {max(1, N // 10):,} rows, "
            f"{big['maxrss_mb']:,.0f} MB at {N:,} rows"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
