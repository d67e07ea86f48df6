"""The demo's service work (issue 6): cases, groups, activities, studios and their requests,
volunteer teams with their volunteers and hours — all through the services, dated in 2026.

市西街道 (seed 000): 5 professional organizations run 108 cases and 34 groups; 200+ community
activities; 3 "社会组织+两代表一委员" studios whose requests stand at every one of the six steps
(some overdue); 131 volunteer teams with 2,960 volunteers.
云门山街道 (seed 002): the grid social workers' poverty-work cases, groups and activities (80+
services) and the requests found on home visits, 190+ of them solved and archived in October
and November.

Deterministic (its own seeded generator) and idempotent (a street already holding its service
work is left alone).
"""

from __future__ import annotations

import random
from typing import Any

from wushe.appeals.models import Appeal
from wushe.volunteers.models import Team

from .service_common import street
from .service_shixi import ShixiServices
from .service_yunmenshan import YunmenshanServices


def seed_services(seeder: Any) -> None:
    rng = random.Random(20261201)  # noqa: S311 — demo data, not security
    shixi = street("市西街道")
    if shixi is not None:
        if Team.objects.in_region(shixi).exists():
            seeder.out.write("市西街道 service work: already there")
        else:
            ShixiServices(seeder, shixi, rng).run()
    yunmenshan = street("云门山街道")
    if yunmenshan is not None:
        if Appeal.objects.in_region(yunmenshan).exists():
            seeder.out.write("云门山街道 service work: already there")
        else:
            # a generator of its own: a change to one street's demo leaves the other as it was
            YunmenshanServices(seeder, yunmenshan, random.Random(20261202)).run()  # noqa: S311
