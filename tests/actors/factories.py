"""Factories of the actors app: every object is made through the services, as the application
makes it (so history rows and validation come with it).

``by=`` and ``reason=`` pass through to the service: ``ActorFactory(municipality=m, by=user)``."""

import datetime

from django.utils import timezone

import factory

from actors.constants import ActorForm, RoleType
from actors.models import Actor, ActorKind, RoleAssignment
from actors.services import actor_create, role_assign
from tests.factories import MunicipalityFactory


def shipped_kind(code: str = "local_police") -> ActorKind:
    """A kind of the domain text, as the data migration ships it."""
    return ActorKind.objects.get(code=code, municipality=None)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    municipality = factory.SubFactory(MunicipalityFactory)
    form = ActorForm.ORGANISATION
    name = factory.Sequence(lambda n: f"Actor {n:04d}")
    kind = factory.LazyFunction(shipped_kind)

    class Params:
        person = factory.Trait(form=ActorForm.PERSON, name=factory.Faker("name", locale="nl_BE"))

    @classmethod
    def _create(cls, model_class, *args, municipality, by=None, reason="", **kwargs):
        return actor_create(municipality=municipality, by=by, reason=reason, **kwargs)


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    actor = factory.SubFactory(ActorFactory, person=True)
    role = RoleType.CORE_GROUP_MEMBER
    start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *args, by=None, **kwargs):
        return role_assign(by=by, **kwargs)
