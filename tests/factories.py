"""factory_boy factories that build data through wushe's services (never bare ``save()``)."""

from __future__ import annotations

import datetime
import itertools
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from faker import Faker

from wushe.accounts import services as account_services
from wushe.accounts.models import User
from wushe.core import services as core_services
from wushe.core.idgen import make_certificate_number, make_id_number
from wushe.core.models import Region, RegionLevel
from wushe.partners import services as partner_services
from wushe.partners.models import Organization, OrganizationKind
from wushe.registry import services as registry_services
from wushe.registry.models import Person

fake = Faker("zh_CN")
T = TypeVar("T")


class ModelFactory(factory.Factory[T]):
    """A factory whose call returns the model instance it builds. factory_boy's metaclass does
    that at run time; its typing says the call returns the factory, so the type checker is told
    here. Abstract (no ``Meta.model``): the factories below extend it."""

    if TYPE_CHECKING:

        def __new__(cls, *args: Any, **kwargs: Any) -> T:  # type: ignore[misc]  # factory_boy's metaclass returns the model, not the factory
            ...


_sequence = itertools.count(1)


def next_id_number(
    *, birth: datetime.date | None = None, male: bool | None = None, address: str = "371602"
) -> str:
    n = next(_sequence)
    seq = (n * 2 + (1 if male else 0)) % 1000 if male is not None else n % 1000
    if birth is not None:  # the date asked for, exactly (a test reads it back from the number)
        return make_id_number(address, birth, seq)
    # the sequence space is 1000 per birth date; vary the date with n so numbers stay unique
    birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=(n * 37) % 20000 + n // 1000)
    return make_id_number(address, birth, seq)


def certificate_for(id_number: str, category: int = 4, level: int = 2) -> str:
    return make_certificate_number(id_number, category, level)


class RegionFactory(ModelFactory[Region]):
    class Meta:
        model = Region

    name = factory.Sequence(lambda n: f"测试区域{n}")
    level = RegionLevel.COMMUNITY
    parent = None
    code = ""

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Region:
        return core_services.region_create(acting_user=None, **kwargs)


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    # never a person-like name: the access matrix looks for people's names in pages, and the
    # signed-in user's name is on every page
    display_name = factory.Sequence(lambda n: f"测试用户{n}")

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> User:
        role = kwargs.pop("role", None)
        region = kwargs.pop("region", None)
        organization = kwargs.pop("organization", None)
        user = account_services.user_create(acting_user=None, password="wushe-test-pass", **kwargs)
        if role and (region or organization):
            account_services.role_grant(user=user, role=role, region=region, organization=organization)
        return user


class PersonFactory(ModelFactory[Person]):
    class Meta:
        model = Person

    name = factory.LazyFunction(fake.name)
    id_number = factory.LazyFunction(next_id_number)
    phone = factory.LazyFunction(fake.phone_number)
    address = factory.LazyFunction(fake.street_address)
    region: Any = None

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Person:
        acting_user = kwargs.pop("acting_user", None)
        category = kwargs.pop("category", None)
        level = kwargs.pop("level", 2)
        if category:
            kwargs["disability_certificate"] = certificate_for(kwargs["id_number"], category, level)
        return registry_services.person_create(acting_user=acting_user, **kwargs).person


class OrganizationFactory(ModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试社会组织{n}")
    kind = OrganizationKind.COMMUNITY
    region: Any = None

    @classmethod
    def _create(cls, model_class: Any, **kwargs: Any) -> Organization:
        acting_user = kwargs.pop("acting_user", None)
        return partner_services.organization_create(acting_user=acting_user, **kwargs)
