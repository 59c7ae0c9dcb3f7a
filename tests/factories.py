"""Factories: every object is made through the services, as the application makes it."""

import factory

from safetynet.constants import Language, Region, TwoFactorPolicy
from safetynet.models import Membership, Municipality, User
from safetynet.services import membership_create, municipality_create
from tests.testapp.models import Folder, Note


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_BE")
    last_name = factory.Faker("last_name", locale="nl_BE")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    nis_code = factory.Sequence(lambda n: f"{10000 + n:05d}")
    region = Region.FLANDERS
    languages = factory.LazyFunction(lambda: [Language.DUTCH])
    population = 25_000
    # Like the demo municipalities: the tests log people in with force_login, no second factor.
    # The second factor's own tests (tests/safetynet/test_two_factor.py) switch it on.
    two_factor = TwoFactorPolicy.OFF

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return municipality_create(by=None, reason="Test data", **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = "viewer"
    is_chair = False

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return membership_create(by=None, **kwargs)


class FolderFactory(factory.django.DjangoModelFactory):
    """A folder of the stand-in test app: belongs to a municipality directly."""

    class Meta:
        model = Folder

    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Folder {n}")


class NoteFactory(factory.django.DjangoModelFactory):
    """A note of the stand-in test app: reaches its municipality through its folder."""

    class Meta:
        model = Note

    folder = factory.SubFactory(FolderFactory)
    title = factory.Sequence(lambda n: f"Note {n}")
