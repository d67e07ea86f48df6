"""A list narrowed to one person's or one household's records: what the person and household
pages' sections show the latest of, and link to in full (``?person=<pk>`` / ``?household=<pk>``;
internal numbers, never an ID number or a phone).

One meaning for both: a person's records are those about the person, and those about the
person's household that name no one member; a household's are those about the household and
those about any of its members. Each app's selector applies :func:`subject_q` to its own fields,
so the section and the full list can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django import forms
from django.db.models import BooleanField, F, Func, Q, QuerySet, Subquery
from django.http import Http404
from django.urls import reverse

from wushe.core.listing import SearchForm
from wushe.core.sections import Action, Row, Section, listed

from .models import Person, PersonStatus
from .selectors import get_household_for_user, get_person_for_user

_MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Subject:
    person: int | None = None
    household: int | None = None

    def __bool__(self) -> bool:
        return bool(self.person or self.household)

    def query(self) -> str:
        """The list URL's query naming this subject."""
        return (
            f"person={self.person}"
            if self.person
            else f"household={self.household}"
            if self.household
            else ""
        )


EVERYONE = Subject()  # no subject: the list of everything in scope


class _AnyOf(Func):
    """``field IN (subquery)``; on PostgreSQL ``field = ANY(ARRAY(subquery))``, whose array is
    computed once before the scan: ORed with another condition, each side is then read from its
    own index. (``IN (subquery)`` ORed with a condition, or a join to the persons, made the
    database read every record in scope: a household's visits 84–115 ms → about 1 ms on the
    million-person database.)"""

    arg_joiner = " IN "
    template = "%(expressions)s"
    output_field = BooleanField()
    conditional = True

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, arg_joiner=" = ANY(ARRAY", template="%(expressions)s)", **extra
        )


def any_of(field: str, subquery: QuerySet[Any]) -> Q:
    """The records whose ``field`` is one of the values ``subquery`` selects (one column)."""
    return Q(_AnyOf(F(field), Subquery(subquery)))


def subject_q(subject: Subject, *, person: str = "person", household: str | None = "household") -> Q:
    """The condition on a model whose person is at ``person`` (a foreign key or many-to-many
    lookup) and whose household, if it has one, at ``household``."""
    if subject.person:
        q = Q(**{person: subject.person})
        if household:
            of_household = Person.objects.filter(pk=subject.person, household__isnull=False).values(
                "household_id"
            )
            q |= Q(**{f"{person}__isnull": True}) & any_of(household, of_household)
        return q
    if subject.household:
        # the members as an array, not a join to the persons (``any_of``)
        q = any_of(person, Person.objects.filter(household=subject.household).values("pk"))
        if household:
            q |= Q(**{household: subject.household})
        return q
    return Q()


def subject_url(url: str, kind: str, subject: Any) -> str:
    """A list's address narrowed to a person (``kind`` "person") or a household."""
    return f"{url}?{kind}={subject.pk}"


def records_section(
    *,
    key: str,
    title: Any,
    order: int,
    records: Callable[[Any, Subject], Any],
    row: Callable[[Any], Row],
    list_name: str,
    empty: Any,
    actions: tuple[Action, ...] = (),
) -> Section:
    """A section of the person and household pages that lists an app's records about its
    subject: ``records(user, subject)`` is the app's selector narrowed with a :class:`Subject`,
    ``list_name`` the list page's URL name (its full list, narrowed the same way)."""

    def reader(kind: str) -> Callable[[Any, Any], dict[str, Any]]:
        def read(subject: Any, user: Any) -> dict[str, Any]:
            return listed(
                records(user, Subject(**{kind: subject.pk})),
                row=row,
                more_url=subject_url(reverse(list_name), kind, subject),
                empty=empty,
            )

        return read

    return Section(
        key=key,
        title=title,
        order=order,
        person=reader("person"),
        household=reader("household"),
        actions=actions,
    )


def action_url(url_name: str, *, households: bool = True) -> Callable[[str, Any], str | None]:
    """An action's address for a subject: ``<url>?person=<pk>`` for a registered (在册) person,
    ``<url>?household=<pk>`` for a household (unless ``households`` is False: a case, a request
    is a person's)."""

    def url(kind: str, subject: Any) -> str | None:
        if kind == "household":
            return f"{reverse(url_name)}?household={subject.pk}" if households else None
        return f"{reverse(url_name)}?person={subject.pk}" if subject.status == PersonStatus.ACTIVE else None

    return url


def subject_name(record: Any) -> str:
    """Whom a visit, need or problem is about, by name: the person's, else the household's
    (named by its head); never an internal number."""
    if record.person_id:
        return str(record.person.name)
    if record.household_id:
        return str(record.household.name)
    return ""


class SubjectFields(forms.Form):
    """The two hidden fields a list's filter form takes to narrow it to a subject; the page shows
    whose records these are (``subject_label``) and how to see them all."""

    person = forms.IntegerField(required=False, min_value=1, max_value=_MAX_ID, widget=forms.HiddenInput)
    household = forms.IntegerField(required=False, min_value=1, max_value=_MAX_ID, widget=forms.HiddenInput)

    user: Any

    def subject_of(self, data: dict[str, Any]) -> Subject:
        return Subject(person=data.get("person") or None, household=data.get("household") or None)

    @cached_property
    def subject_label(self) -> str:
        """Whose records the list shows ("" when it shows everyone's or the subject is not visible)."""
        if not self.is_bound or not self.is_valid():
            return ""
        subject = self.subject_of(self.cleaned_data)
        try:
            if subject.person:
                return get_person_for_user(user=self.user, pk=subject.person).name
            if subject.household:
                return get_household_for_user(user=self.user, pk=subject.household).name
        except Http404:
            return ""
        return ""


@dataclass(frozen=True)
class SearchFilters:
    """A list searched by name, perhaps narrowed to a subject."""

    q: str = ""
    subject: Subject = Subject()


class SubjectSearchForm(SearchForm, SubjectFields):
    """``SearchForm`` (``?q=``) with the subject fields: the selector gets ``filters=SearchFilters``."""

    filters_arg = "filters"

    def to_filters(self, data: dict[str, Any]) -> SearchFilters:  # type: ignore[override]
        return SearchFilters(q=str(data.get("q") or ""), subject=self.subject_of(data))


__all__ = [
    "EVERYONE",
    "SearchFilters",
    "Subject",
    "SubjectFields",
    "SubjectSearchForm",
    "subject_q",
    "subject_url",
]
