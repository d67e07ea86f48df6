"""The report of people whose sensitive data is held without consent or basis: scoped, filtered
by region and kind, exported, and counted by the figure ``consent.without_basis``."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.factories import PersonFactory
from tests.fixtures import login
from wushe.consent import selectors, services
from wushe.consent.selectors import ReportFilters
from wushe.core.metrics import Scope, compute, recompute
from wushe.core.models import AccessEvent
from wushe.registry.services import person_deregister

from .conftest import give

pytestmark = pytest.mark.django_db
KEY = "consent.without_basis"


@pytest.fixture
def people(tree: Any, users: Any, person_a: Any, person_b: Any) -> dict[str, Any]:
    """person_a (certificate) and person_b (乙社区, certificate) without consent; a 低保 resident
    with a basis; a certificate holder with consent; a resident holding nothing sensitive."""
    dibao = PersonFactory(name="低保户", region=tree.grid_a, tags=["dibao"])
    services.basis_record(
        acting_user=None,
        person=dibao,
        kinds=["assistance"],
        basis="civil_affairs",
        basis_text="《社会救助暂行办法》",
        purpose_kind="assistance",
        purpose="低保",
    )
    consented = PersonFactory(name="已同意", region=tree.grid_a, category=1, level=1)
    give(consented, kinds=("disability",))
    plain = PersonFactory(name="无敏感", region=tree.grid_a)
    return {"a": person_a, "b": person_b, "dibao": dibao, "consented": consented, "plain": plain}


def test_the_report_lists_only_data_without_basis_in_scope(users: Any, people: Any, tree: Any) -> None:
    assert set(selectors.without_basis(user=users.street_admin)) == {people["a"], people["b"]}
    assert list(selectors.without_basis(user=users.worker_a)) == [people["a"]]
    only_b = selectors.without_basis(user=users.street_admin, filters=ReportFilters(region=tree.community_b))
    assert list(only_b) == [people["b"]]
    assert (
        list(selectors.without_basis(user=users.street_admin, filters=ReportFilters(kind="assistance"))) == []
    )
    # a withdrawal puts the 低保 resident on it; a sensitive tag without the kind too
    services.consent_withdraw(
        acting_user=None, consent=people["dibao"].consents.get(), method="", stops="停止低保以外的使用"
    )
    assert people["dibao"] in set(selectors.without_basis(user=users.worker_a))
    # a deregistered resident is not reported
    person_deregister(acting_user=None, person=people["a"], status="moved")
    assert people["a"] not in set(selectors.without_basis(user=users.worker_a))


def test_the_figure_counts_the_report_and_its_records(users: Any, people: Any, tree: Any) -> None:
    figures = compute(Scope(region=tree.street), [KEY])
    assert figures[KEY].value == 2
    assert recompute(KEY, Scope(region=tree.street)) == 2
    assert compute(Scope(region=tree.community_a), [KEY])[KEY].value == 1
    assert compute(Scope(region=tree.street, user=users.worker_b), [KEY])[KEY].value == 1


def test_the_report_page_and_its_export(users: Any, people: Any) -> None:
    client = login(users.worker_a)
    page = client.get(reverse("consent:report")).content.decode()
    assert people["a"].name in page and people["dibao"].name not in page and people["b"].name not in page
    assert "残疾信息" in page
    assert people["a"].id_number not in page  # masked
    response = client.get(reverse("consent:report_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AccessEvent.objects.filter(kind="export", detail__export="consent.without_basis").exists()
    assert login(users.nobody).get(reverse("consent:report")).status_code == 403


def test_the_report_read_from_the_holders_is_the_definition_read_person_by_person(
    users: Any, people: Any, tree: Any
) -> None:
    """The report selects from the holders of the data (certificates and sensitive tags in scope,
    ``lacking_basis_ids``); the definition asks every registered person in scope
    (``without_basis_q``). They are the same persons for every user, region and kind, also after a
    withdrawal, a deregistration and a certificate of another region."""
    from wushe.registry.models import Person, PersonStatus

    services.consent_withdraw(
        acting_user=None, consent=people["dibao"].consents.get(), method="", stops="停止低保以外的使用"
    )
    PersonFactory(name="特困", region=tree.grid_b, tags=["tekun"], category=2, level=3)
    person_deregister(acting_user=None, person=people["b"], status="moved")

    def by_definition(user: Any, filters: ReportFilters) -> set[Any]:
        qs = Person.objects.visible_to(user).filter(status=PersonStatus.ACTIVE)
        if filters.region is not None:
            qs = qs.in_region(filters.region)
        return set(qs.filter(selectors._kind_q(filters.kind)))

    seen = set()
    for user in (users.street_admin, users.worker_a, users.worker_b, users.nobody):
        for region in (None, tree.community_a, tree.community_b, tree.grid_b):
            for kind in ("", "disability", "assistance", "other"):
                filters = ReportFilters(region=region, kind=kind)
                listed = set(selectors.without_basis(user=user, filters=filters))
                assert listed == by_definition(user, filters), (user, region, kind)
                seen |= listed
    assert len(seen) >= 3  # the comparison is not between empty sets
