"""The municipality profile and the membership rules, in full_clean() and in the database."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, transaction
from django.urls import URLPattern, URLResolver, get_resolver

import pytest

from safetynet.constants import RESERVED_SLUGS, Infrastructure, Language, Region, Role
from safetynet.models import Membership, Municipality, nis_code_validator
from tests.factories import MembershipFactory, UserFactory


def _constraint(model, name):
    return next(c for c in model._meta.constraints if c.name == name)


def _message(model, name) -> str:
    return str(_constraint(model, name).violation_error_message)


def _new_municipality(**overrides) -> Municipality:
    """An unsaved, valid municipality; ``overrides`` make it invalid."""
    fields = {
        "name": "Eikendaal",
        "slug": "eikendaal",
        "nis_code": "98765",
        "region": Region.FLANDERS,
        "languages": [Language.DUTCH],
        "population": 12_000,
    }
    fields.update(overrides)
    return Municipality(**fields)


def _refusal(instance) -> ValidationError:
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value


def _codes(error: ValidationError, field: str) -> set[str]:
    return {e.code for e in error.error_dict[field]}


def _messages(error: ValidationError, field: str = "__all__") -> list[str]:
    return error.message_dict[field]


# --- Municipality --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_complete_profile_is_valid():
    municipality = _new_municipality(
        area_km2=Decimal("45.30"),
        crime_rate=Decimal("0"),
        infrastructures=[Infrastructure.TRAIN_STATION, Infrastructure.PORT],
        languages=[Language.DUTCH, Language.FRENCH],
    )
    municipality.full_clean()  # raises if anything is refused


@pytest.mark.django_db
@pytest.mark.parametrize(
    "nis_code", ["1234", "123456", "12a45", "abcde", " 12345", "12345 ", "12345\n", "1234\n"]
)
def test_nis_code_has_exactly_five_digits(nis_code):
    error = _refusal(_new_municipality(nis_code=nis_code))
    # Not just "too long": the NIS rule itself speaks, with the model's message.
    assert nis_code_validator.code in _codes(error, "nis_code")
    assert str(nis_code_validator.message) in error.message_dict["nis_code"]


@pytest.mark.django_db
def test_nis_code_is_required():
    error = _refusal(_new_municipality(nis_code=""))
    assert _codes(error, "nis_code") == {"blank"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "nis_code",
    ["\u0661\u0662\u0663\u0664\u0665", "\uff11\uff12\uff13\uff14\uff15"],
    ids=["arabic-indic-digits", "fullwidth-digits"],
)
def test_nis_code_refuses_digits_other_than_0_to_9(nis_code):
    # Statbel's codes are ASCII digits; "١٢٣٤٥" would be a second, different "12345".
    error = _refusal(_new_municipality(nis_code=nis_code))
    assert nis_code_validator.code in _codes(error, "nis_code")


@pytest.mark.django_db
def test_nis_code_is_unique(lindenberg):
    error = _refusal(_new_municipality(nis_code=lindenberg.nis_code))
    assert _codes(error, "nis_code") == {"unique"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("population", 0),
        ("population", -1),
        ("area_km2", Decimal("0")),
        ("area_km2", Decimal("0.00")),
        ("area_km2", Decimal("-3.50")),
        ("crime_rate", Decimal("-0.01")),
    ],
)
def test_profile_numbers_refuse_zero_and_negatives(field, value):
    error = _refusal(_new_municipality(**{field: value}))
    assert set(error.error_dict) == {field}
    assert "min_value" in _codes(error, field)


@pytest.mark.django_db
def test_the_validators_match_the_database_constraints():
    # The form refuses exactly what the database refuses: population and area from 1 / 0.01,
    # crime rate from 0.
    def minimum(field):
        field = Municipality._meta.get_field(field)
        return next(v.limit_value for v in field.validators if isinstance(v, MinValueValidator))

    assert minimum("population") == 1
    assert Decimal(str(minimum("area_km2"))) == Decimal("0.01")
    assert minimum("crime_rate") == 0


@pytest.mark.django_db
def test_a_crime_rate_of_zero_is_allowed(lindenberg):
    lindenberg.crime_rate = Decimal("0")
    lindenberg.full_clean()
    lindenberg.save()
    lindenberg.refresh_from_db()
    assert lindenberg.crime_rate == 0


@pytest.mark.django_db
def test_crime_rate_cannot_exceed_a_thousand_per_thousand():
    error = _refusal(_new_municipality(crime_rate=Decimal("1000.01")))
    assert _codes(error, "crime_rate") == {"max_value"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("population", 0, "municipality_population_positive"),
        ("population", -5, None),  # also the column's own "positive integer" check
        ("area_km2", Decimal("0"), "municipality_area_positive"),
        ("area_km2", Decimal("-1.00"), "municipality_area_positive"),
        ("crime_rate", Decimal("-0.50"), "municipality_crime_rate_not_negative"),
    ],
)
def test_the_database_refuses_what_full_clean_would(lindenberg, field, value, constraint):
    setattr(lindenberg, field, value)
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        lindenberg.save()
    if constraint:
        assert constraint in str(excinfo.value)
    lindenberg.refresh_from_db()
    assert getattr(lindenberg, field) != value


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("population", 0, "municipality_population_positive"),
        ("area_km2", Decimal("0"), "municipality_area_positive"),
        ("crime_rate", Decimal("-1"), "municipality_crime_rate_not_negative"),
    ],
)
def test_full_clean_names_the_constraint_when_the_field_validators_are_skipped(
    field, value, constraint
):
    # A form that validates only some fields still meets the constraint's translated message.
    municipality = _new_municipality(**{field: value})
    with pytest.raises(ValidationError) as excinfo:
        municipality.validate_constraints()
    assert _message(Municipality, constraint) in _messages(excinfo.value)


@pytest.mark.django_db
def test_slug_is_unique(lindenberg):
    error = _refusal(_new_municipality(slug=lindenberg.slug))
    assert _codes(error, "slug") == {"unique"}


@pytest.mark.django_db
def test_slug_is_unique_regardless_of_case(lindenberg):
    municipality = _new_municipality(slug="Lindenberg")
    error = _refusal(municipality)
    assert _codes(error, "slug") == {"unique"}


@pytest.mark.django_db
def test_slug_is_stored_in_lower_case():
    municipality = _new_municipality(slug="EikenDaal")
    municipality.full_clean()
    assert municipality.slug == "eikendaal"


@pytest.mark.django_db
@pytest.mark.parametrize("word", sorted(RESERVED_SLUGS))
def test_reserved_words_are_refused_as_slug(word):
    error = _refusal(_new_municipality(slug=word))
    assert "reserved_slug" in _codes(error, "slug")


@pytest.mark.django_db
@pytest.mark.parametrize("word", ["Admin", "ACCOUNTS", "Inspraak"])
def test_reserved_words_are_refused_in_any_case(word):
    error = _refusal(_new_municipality(slug=word))
    assert "reserved_slug" in _codes(error, "slug")


def _root_prefixes(patterns) -> set[str]:
    prefixes = set()
    for pattern in patterns:
        if not isinstance(pattern, URLPattern | URLResolver):
            continue
        route = str(pattern.pattern)
        first = route.lstrip("^").split("/", 1)[0]
        if first and "<" not in first and "(" not in first:
            prefixes.add(first)
    return prefixes


def test_every_word_the_site_uses_at_the_url_root_is_reserved():
    used = _root_prefixes(get_resolver().url_patterns)
    used |= {settings.STATIC_URL.strip("/").split("/")[0], settings.MEDIA_URL.strip("/")}
    used |= {"healthz", "inspraak"}  # answered by middleware / the public plan pages
    assert used, "no literal prefixes found: the URL configuration changed shape"
    assert used <= RESERVED_SLUGS, sorted(used - RESERVED_SLUGS)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["languages", "infrastructures"])
@pytest.mark.parametrize(
    ("value", "code"),
    [
        (["klingon"], "invalid_choice"),
        (["nl", "xx"], "invalid_choice"),
        ("nl", "invalid_list"),
        ({"nl": True}, "invalid_list"),
    ],
)
def test_choice_lists_refuse_unknown_codes(field, value, code):
    if field == "infrastructures" and isinstance(value, list) and "nl" in value:
        value = [Infrastructure.PORT, "xx"]
    error = _refusal(_new_municipality(**{field: value}))
    assert code in _codes(error, field)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("languages", [Language.DUTCH, Language.FRENCH, Language.DUTCH]),
        ("infrastructures", [Infrastructure.PORT, Infrastructure.PORT]),
    ],
)
def test_choice_lists_refuse_duplicates(field, value):
    error = _refusal(_new_municipality(**{field: value}))
    assert _codes(error, field) == {"duplicate_choice"}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["languages", "infrastructures"])
def test_choice_lists_refuse_items_that_are_not_codes(field):
    # Malformed input must be a validation error, never a crash (TypeError: unhashable).
    error = _refusal(_new_municipality(**{field: [["nl"]]}))
    assert _codes(error, field) == {"invalid_list"}


@pytest.mark.django_db
def test_a_municipality_has_at_least_one_language():
    error = _refusal(_new_municipality(languages=[]))
    assert _codes(error, "languages") == {"blank"}


@pytest.mark.django_db
def test_infrastructures_may_be_empty():
    municipality = _new_municipality(infrastructures=[])
    municipality.full_clean()
    assert municipality.infrastructures == []


@pytest.mark.django_db
def test_choice_lists_show_labels_not_codes():
    municipality = _new_municipality(
        languages=[Language.FRENCH, Language.GERMAN], infrastructures=[Infrastructure.HOSPITAL]
    )
    assert municipality.languages_display == [Language.FRENCH.label, Language.GERMAN.label]
    assert municipality.infrastructures_display == [Infrastructure.HOSPITAL.label]


# --- Membership ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_user_may_hold_several_roles_in_one_municipality(lindenberg):
    user = UserFactory()
    MembershipFactory(user=user, municipality=lindenberg, role=Role.COLLEGE, is_chair=True)
    MembershipFactory(user=user, municipality=lindenberg, role=Role.CORE_GROUP)
    assert set(user.memberships.values_list("role", flat=True)) == {Role.COLLEGE, Role.CORE_GROUP}


@pytest.mark.django_db
def test_the_same_role_twice_is_refused(lindenberg):
    membership = MembershipFactory(municipality=lindenberg, role=Role.VIEWER)
    twin = Membership(user=membership.user, municipality=lindenberg, role=Role.VIEWER)
    error = _refusal(twin)
    assert _message(Membership, "membership_unique_role") in _messages(error)

    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    assert Membership.objects.filter(user=membership.user).count() == 1


@pytest.mark.django_db
def test_the_same_role_in_another_municipality_is_fine(lindenberg, heidebeek):
    membership = MembershipFactory(municipality=lindenberg, role=Role.VIEWER)
    elsewhere = Membership(user=membership.user, municipality=heidebeek, role=Role.VIEWER)
    elsewhere.full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(set(Role.values) - {Role.COLLEGE}))
def test_only_a_college_member_can_be_chair(lindenberg, role):
    membership = Membership(user=UserFactory(), municipality=lindenberg, role=role, is_chair=True)
    error = _refusal(membership)
    assert _message(Membership, "membership_chair_is_college") in _messages(error)

    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()
    assert not Membership.objects.filter(is_chair=True).exists()


@pytest.mark.django_db
def test_a_college_member_can_be_chair(lindenberg):
    Membership(
        user=UserFactory(), municipality=lindenberg, role=Role.COLLEGE, is_chair=True
    ).full_clean()


@pytest.mark.django_db
def test_one_chair_per_municipality(lindenberg):
    MembershipFactory(municipality=lindenberg, role=Role.COLLEGE, is_chair=True)
    second = Membership(
        user=UserFactory(), municipality=lindenberg, role=Role.COLLEGE, is_chair=True
    )
    error = _refusal(second)
    assert _message(Membership, "membership_one_chair") in _messages(error)

    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    assert Membership.objects.filter(municipality=lindenberg, is_chair=True).count() == 1


@pytest.mark.django_db
def test_each_municipality_has_its_own_chair(lindenberg, heidebeek):
    MembershipFactory(municipality=lindenberg, role=Role.COLLEGE, is_chair=True)
    Membership(
        user=UserFactory(), municipality=heidebeek, role=Role.COLLEGE, is_chair=True
    ).full_clean()


@pytest.mark.django_db
def test_many_college_members_who_are_not_chair(lindenberg):
    for _ in range(3):
        MembershipFactory(municipality=lindenberg, role=Role.COLLEGE)
    assert Membership.objects.filter(municipality=lindenberg, role=Role.COLLEGE).count() == 3


# --- User ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_email_address_belongs_to_one_account_regardless_of_case():
    from safetynet.models import User

    UserFactory(email="jan.peeters@example.org")
    other = UserFactory.build(username="jan2", email="Jan.Peeters@Example.ORG")
    error = _refusal(other)
    assert _message(User, "user_email_unique_ci") in _messages(error)


@pytest.mark.django_db
def test_several_accounts_may_have_no_email_address():
    UserFactory(email="")
    UserFactory(email="")
    third = UserFactory.build(username="no-mail", email="")
    third.full_clean(exclude=["password"])
