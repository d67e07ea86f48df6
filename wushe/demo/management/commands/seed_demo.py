"""Build the two demo streets from the source articles (deterministic, safe to run twice).

Every figure the articles state comes out of the records created here: the statistics count
them (``manage.py stats --region 市西街道``); nothing is typed in as a number.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from wushe.accounts.models import User
from wushe.accounts.roles import Role
from wushe.accounts.services import role_grant, user_create
from wushe.core.idgen import make_certificate_number, make_id_number, person_name
from wushe.core.models import Region, RegionLevel
from wushe.core.services import region_get_or_create
from wushe.demo.care_demo import seed_care
from wushe.demo.consent_demo import seed_consent
from wushe.demo.days import POVERTY_REGISTER, REGISTER_GROWTH, registration_day
from wushe.demo.employment_demo import seed_employment
from wushe.demo.funds_demo import seed_funds
from wushe.demo.outreach import seed_outreach
from wushe.demo.policies_demo import seed_policies
from wushe.demo.poverty_demo import seed_poverty
from wushe.demo.service_work import seed_services
from wushe.demo.subsidies_demo import seed_subsidies
from wushe.registry.identity import id_hash
from wushe.registry.models import DisabilityCategory, Person, Relation, Tag
from wushe.registry.services import (
    HouseholdLink,
    PersonDraft,
    household_bulk_link,
    person_bulk_upsert,
    person_draft,
)

DEMO_PASSWORD = "wushe-demo"  # noqa: S105 — documented demo password, demo data only

SHIXI_COMMUNITIES = [
    "利民社区", "碧林花园社区", "彩虹湖社区", "双丰社区", "西城社区", "黄河社区", "新立河社区", "渤海社区",
    "三河湖社区", "梧桐社区", "滨河社区", "银座社区", "和平社区", "新华社区", "育才社区", "民安社区",
    "杜店社区", "北城社区", "丽景社区", "锦绣社区", "翠园社区", "观湖社区",
]  # fmt: skip
# 市西街道's ledger (seed 000): 智力精神 186, 肢体 506, 视力听力言语 122, 多重 92.
SHIXI_DISABLED = [
    (DisabilityCategory.MENTAL, 112),
    (DisabilityCategory.INTELLECTUAL, 74),
    (DisabilityCategory.PHYSICAL, 506),
    (DisabilityCategory.VISION, 48),
    (DisabilityCategory.HEARING, 44),
    (DisabilityCategory.SPEECH, 30),
    (DisabilityCategory.MULTIPLE, 92),
]
SHIXI_SOCIAL_WORKERS = 180  # 22 communities, 180 resident social workers

YUNMENSHAN_CENTRES = [
    "驼山社区", "云门山社区", "南阳河社区", "范公亭社区", "玲珑山社区",
    "仰天山社区", "偶园社区", "北关社区", "东关社区", "昭德社区",
]  # fmt: skip
YUNMENSHAN_GRIDS = 115  # grid party branches, one per grid
YUNMENSHAN_HOUSEHOLDS = [(3, 110), (2, 100)]  # 210 households, 530 people
YUNMENSHAN_SOCIAL_WORKERS = 52


class Seeder:
    def __init__(self, out: Any) -> None:
        self.out = out
        self.rng = random.Random(20261122)  # noqa: S311 — demo data, not security
        self.password_hash = make_password(DEMO_PASSWORD)
        self.serial = 0
        # the days of registration come from a generator of their own: the residents (names,
        # numbers, addresses) are those the street's own generator has always drawn
        self.days = random.Random(20140101)  # noqa: S311 — demo data, not security
        self.drafted: set[str] = set()
        self.tag_ids = dict(Tag.objects.values_list("name", "pk"))

    # -- helpers ---------------------------------------------------------------------------
    def user(self, username: str, display_name: str, *, role: str | None = None, region: Region | None = None,
             superuser: bool = False) -> User:  # fmt: skip
        user = User.objects.filter(username=username).first() or user_create(
            acting_user=None,
            username=username,
            password_hash=self.password_hash,
            display_name=display_name,
            is_superuser=superuser,
        )
        if role and region:
            role_grant(user=user, role=role, region=region)
        return user

    def id_number(
        self, address: str, *, min_age: int, max_age: int, male: bool | None = None
    ) -> tuple[str, datetime.date]:
        self.serial += 1
        age_days = self.rng.randint(min_age * 365, max_age * 365)
        birth = datetime.date(2026, 6, 30) - datetime.timedelta(days=age_days)
        sex_bit = self.rng.randint(0, 1) if male is None else int(male)
        seq = (self.serial * 2 + sex_bit) % 1000  # odd = male
        return make_id_number(address, birth, seq), birth

    def phone(self) -> str:
        return "1" + self.rng.choice("3578") + "".join(self.rng.choice("0123456789") for _ in range(9))

    def person(
        self, region: Region, address_code: str, address: str, *, registered: datetime.date | None = None,
        growth: dict[int, int] = REGISTER_GROWTH, **kw: Any,
    ) -> PersonDraft:  # fmt: skip
        """A resident checked for the registry's bulk path, registered on ``registered`` (or,
        like a household's first member, on a day drawn from the street's ``growth``); written
        with the rest of its street by :meth:`register`."""
        min_age, max_age = kw.pop("min_age", 6), kw.pop("max_age", 85)
        for _attempt in range(5):
            number, birth = self.id_number(address_code, min_age=min_age, max_age=max_age)
            digest = id_hash(number)
            if digest not in self.drafted and not Person.objects.filter(id_hash=digest).exists():
                break  # a fresh number (birth date and sequence can repeat by chance)
        category = kw.pop("category", None)
        level = kw.pop("level", None)
        first_birthday = birth + datetime.timedelta(days=366)
        draft = person_draft(
            region_id=region.pk,
            name=person_name(self.rng),
            id_number=number,
            phone=self.phone(),
            address=address,
            certificate=make_certificate_number(number, category, level) if category else "",
            tag_ids=[self.tag_ids[t] for t in kw.pop("tags", ())],
            registered_on=max(registered, first_birthday)
            if registered
            else registration_day(self.days, birth, growth),
        )
        self.drafted.add(draft.id_hash)
        return draft

    def register(self, households: Sequence[tuple[PersonDraft, Sequence[tuple[PersonDraft, str]]]]) -> None:
        """Write a street's residents (the registry's bulk path) and put them in their households:
        ``households`` are (head, [(member, relation to the head)])."""
        drafts = [d for head, members in households for d in (head, *(m for m, _r in members))]
        person_bulk_upsert(acting_user=None, creates=drafts)
        links = [
            HouseholdLink(member=m.id_hash, head=head.id_hash, relation=r)
            for head, members in households
            for m, r in [(head, Relation.HEAD), *members]
        ]
        failures = household_bulk_link(acting_user=None, links=links)
        if failures:
            raise RuntimeError(f"demo households not linked: {failures}")

    # -- regions -----------------------------------------------------------------------------
    def tree(
        self, city: tuple[str, str], county: tuple[str, str], street: tuple[str, str]
    ) -> tuple[Region, Region]:
        province = region_get_or_create(
            acting_user=None, code="370000000000", name="山东省", level=RegionLevel.PROVINCE
        )
        c = region_get_or_create(
            acting_user=None, code=city[0], name=city[1], level=RegionLevel.CITY, parent=province
        )
        k = region_get_or_create(
            acting_user=None, code=county[0], name=county[1], level=RegionLevel.COUNTY, parent=c
        )
        s = region_get_or_create(
            acting_user=None, code=street[0], name=street[1], level=RegionLevel.STREET, parent=k
        )
        return k, s

    def communities(
        self, street: Region, names: list[str], grids_per: list[int], grid_suffix: str
    ) -> list[tuple[Region, list[Region]]]:
        out = []
        prefix = street.code[:9]
        for i, (name, n_grids) in enumerate(zip(names, grids_per, strict=True), start=1):
            community = region_get_or_create(
                acting_user=None,
                code=f"{prefix}{i:03d}",
                name=name,
                level=RegionLevel.COMMUNITY,
                parent=street,
            )
            grids = [
                region_get_or_create(
                    acting_user=None,
                    code=f"{community.code}{g:03d}",
                    name=f"{name}第{g}{grid_suffix}",
                    level=RegionLevel.GRID,
                    parent=community,
                )
                for g in range(1, n_grids + 1)
            ]
            out.append((community, grids))
        return out

    # -- 市西街道 (seed 000) --------------------------------------------------------------------
    def shixi(self) -> None:
        if Region.objects.filter(name="市西街道", level=RegionLevel.STREET).exists():
            self.out.write("市西街道: already there")
            return
        _county, street = self.tree(
            ("371600000000", "滨州市"), ("371602000000", "滨城区"), ("371602002000", "市西街道")
        )
        communities = self.communities(street, SHIXI_COMMUNITIES, [4] * len(SHIXI_COMMUNITIES), "网格")
        self.user("shixi", "市西街道民政所", role=Role.STREET_ADMIN, region=street)
        self.user("shixi_leader", "市西街道领导", role=Role.LEADER, region=street)
        limin = communities[0][0]
        self.user("limin", "利民社区社工", role=Role.SOCIAL_WORKER, region=limin)
        for n in range(1, SHIXI_SOCIAL_WORKERS):  # limin is the 180th
            community, _grids = communities[n % len(communities)]
            self.user(
                f"sx_sg{n:03d}", f"{community.name}社工{n:03d}", role=Role.SOCIAL_WORKER, region=community
            )
        disabled = [cat for cat, count in SHIXI_DISABLED for _ in range(count)]
        self.rng.shuffle(disabled)
        households = []
        for i, category in enumerate(disabled):
            community, grids = communities[i % len(communities)]
            grid = grids[(i // len(communities)) % len(grids)]
            address = f"滨州市滨城区{community.name}{self.rng.randint(1, 40)}号楼{self.rng.randint(1, 6)}单元{self.rng.randint(101, 1802)}"
            level = self.rng.choices((1, 2, 3, 4), weights=(15, 30, 30, 25))[0]
            holder = self.person(
                grid, "371602", address, category=int(category), level=level, min_age=6, max_age=88
            )
            members = []
            if i % 5 < 3:  # most households have a second member who is not disabled
                relative = self.person(
                    grid, "371602", address, registered=holder.registered_on, min_age=18, max_age=80
                )
                members.append(
                    (relative, self.rng.choice((Relation.SPOUSE, Relation.PARENT, Relation.CHILD)))
                )
            households.append((holder, members))
        self.register(households)
        self.out.write("市西街道: done")

    # -- 云门山街道 (seed 002) -----------------------------------------------------------------
    def yunmenshan(self) -> None:
        if Region.objects.filter(name="云门山街道", level=RegionLevel.STREET).exists():
            self.out.write("云门山街道: already there")
            return
        _county, street = self.tree(
            ("370700000000", "潍坊市"), ("370781000000", "青州市"), ("370781002000", "云门山街道")
        )
        per = [12] * 5 + [11] * 5
        centres = self.communities(street, YUNMENSHAN_CENTRES, per, "网格")
        self.user("yunmenshan", "云门山街道社工站", role=Role.STREET_ADMIN, region=street)
        all_grids = [g for _c, grids in centres for g in grids]
        for n in range(1, YUNMENSHAN_SOCIAL_WORKERS + 1):
            grid = all_grids[(n * 2) % len(all_grids)]
            self.user(f"yms_sg{n:03d}", f"网格社工{n:03d}", role=Role.SOCIAL_WORKER, region=grid)
        sizes = [size for size, count in YUNMENSHAN_HOUSEHOLDS for _ in range(count)]
        households = []
        for i, size in enumerate(sizes):
            grid = all_grids[(i * 7) % len(all_grids)]
            address = f"青州市云门山街道{grid.parent.name if grid.parent else ''}{self.rng.randint(1, 200)}号"
            tags = ["脱贫户"] + (["监测对象"] if i % 7 == 0 else []) + (["低保"] if i % 3 == 0 else [])
            head = self.person(
                grid, "370781", address, tags=tags, growth=POVERTY_REGISTER, min_age=30, max_age=85
            )
            members = [
                (
                    self.person(
                        grid,
                        "370781",
                        address,
                        registered=head.registered_on,
                        tags=tags,
                        min_age=3,
                        max_age=85,
                    ),
                    Relation.SPOUSE if m == 0 else Relation.CHILD,
                )
                for m in range(size - 1)
            ]
            households.append((head, members))
        self.register(households)
        self.out.write("云门山街道: done")


class Command(BaseCommand):
    help = "Load the demo streets 市西街道 and 云门山街道 with their logins (password: wushe-demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the registry has people")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Person.objects.exists():
            self.stdout.write("registry not empty: demo not loaded")
        else:
            seeder = Seeder(self.stdout)
            with transaction.atomic():
                seeder.user("admin", "系统管理员", superuser=True)
                seeder.shixi()
            with transaction.atomic():
                seeder.yunmenshan()
            with transaction.atomic():
                seed_outreach(seeder)
                seed_services(seeder)
            with transaction.atomic():
                seed_funds(seeder)
                seed_employment(seeder)
                seed_care(seeder)
                seed_subsidies(seeder)
                seed_poverty(seeder)
            with transaction.atomic():
                seed_policies(seeder)
            with transaction.atomic():
                seed_consent(seeder)
        if User.objects.filter(username__in=["shixi", "limin"]).exists():
            self.stdout.write(LOGINS)


LOGINS = (
    "\nDemo logins (password wushe-demo), http://127.0.0.1:8000/ :\n"
    "  admin        系统管理员 (everything)\n"
    "  shixi        市西街道管理员\n"
    "  limin        利民社区社工 (sees 利民社区 only)\n"
    "  yunmenshan   云门山街道管理员\n"
    "  shixi_leader 市西街道领导 (read-only, masked)\n"
    "  rubeichen    如北辰社工 (organization staff: needs referred to it)\n"
    "  studio1..3   代表委员工作室 (their own requests)\n"
    "  team1..4     志愿服务队队长 (their own team)\n"
)
