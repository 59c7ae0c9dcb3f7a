"""Domain actions of the core: what they write, what they refuse, and whom history credits."""

import re
from decimal import Decimal

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode

import pytest

from safetynet.constants import Language, Region, Role
from safetynet.models import Membership, Municipality, RoleGroup, User, nis_code_validator
from safetynet.permissions import has_perm
from safetynet.services import (
    MUNICIPALITY_PROFILE_FIELDS,
    membership_create,
    membership_delete,
    membership_set_chair,
    memberships_set_roles,
    municipality_create,
    municipality_update,
    user_invite,
    user_update_identity,
)
from tests.factories import MembershipFactory, UserFactory

BASE_URL = "https://safetynet.example"


def _reset_link(body: str) -> re.Match:
    """The password-reset link in an invitation, as the URL configuration spells it."""
    pattern = re.escape(
        BASE_URL + reverse("password_reset_confirm", kwargs={"uidb64": "UID", "token": "TOKEN"})
    )
    pattern = pattern.replace("UID", r"(?P<uidb64>[A-Za-z0-9_\-]+)")
    pattern = pattern.replace("TOKEN", r"(?P<token>[A-Za-z0-9\-]+)")
    match = re.search(pattern, body)
    assert match, f"no password-reset link in: {body}"
    return match


@pytest.fixture
def operator(db):
    return UserFactory(username="operator", is_superuser=True, is_staff=True)


def _roles(user, municipality) -> set[str]:
    return set(
        Membership.objects.filter(user=user, municipality=municipality).values_list(
            "role", flat=True
        )
    )


# --- Municipalities ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_municipality_create_makes_every_role_group(operator):
    municipality = municipality_create(
        by=operator,
        name="Eikendaal",
        slug="eikendaal",
        nis_code="98765",
        region=Region.FLANDERS,
        languages=[Language.DUTCH],
    )
    role_groups = RoleGroup.objects.filter(municipality=municipality)
    assert set(role_groups.values_list("role", flat=True)) == set(Role.values)
    assert all(rg.group.name.startswith(f"municipality:{municipality.pk}:") for rg in role_groups)


@pytest.mark.django_db
def test_municipality_create_records_who_and_why(operator):
    municipality = municipality_create(
        by=operator,
        reason="Aangesloten op 1 januari",
        name="Eikendaal",
        slug="eikendaal",
        nis_code="98765",
        region=Region.FLANDERS,
        languages=[Language.DUTCH],
    )
    record = municipality.history.get()
    assert record.history_type == "+"
    assert record.history_user == operator
    assert record.history_change_reason == "Aangesloten op 1 januari"


@pytest.mark.django_db
def test_municipality_create_gives_a_reason_when_none_is_given(operator):
    municipality = municipality_create(
        by=operator,
        name="Eikendaal",
        slug="eikendaal",
        nis_code="98765",
        region=Region.FLANDERS,
        languages=[Language.DUTCH],
    )
    assert municipality.history.get().history_change_reason


@pytest.mark.django_db
def test_municipality_create_refuses_an_invalid_profile(operator):
    with pytest.raises(ValidationError) as excinfo:
        municipality_create(
            by=operator,
            name="Eikendaal",
            slug="admin",
            nis_code="9876",
            region=Region.FLANDERS,
            languages=[Language.DUTCH],
        )
    assert {"slug", "nis_code"} <= set(excinfo.value.error_dict)
    assert not Municipality.objects.filter(name="Eikendaal").exists()
    assert not RoleGroup.objects.filter(municipality__name="Eikendaal").exists()


@pytest.mark.django_db
def test_municipality_update_changes_the_profile_and_records_it(lindenberg, admin_user):
    municipality_update(
        municipality=lindenberg,
        by=admin_user,
        reason="Cijfers 2025",
        population=26_100,
        area_km2=Decimal("45.30"),
        region=Region.WALLONIA,
        languages=[Language.FRENCH, Language.GERMAN],
    )
    lindenberg.refresh_from_db()
    assert lindenberg.population == 26_100
    assert lindenberg.area_km2 == Decimal("45.30")
    assert lindenberg.region == Region.WALLONIA
    assert lindenberg.languages == [Language.FRENCH, Language.GERMAN]

    record = lindenberg.history.latest()
    assert record.history_type == "~"
    assert record.history_user == admin_user
    assert record.history_change_reason == "Cijfers 2025"
    assert record.population == 26_100


@pytest.mark.django_db
def test_municipality_update_without_reason_still_records_one(lindenberg, admin_user):
    municipality_update(municipality=lindenberg, by=admin_user, police_zone="PZ Lindenberg")
    record = lindenberg.history.latest()
    assert record.history_user == admin_user
    assert record.history_change_reason


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["id", "pk", "history", "memberships", "nonsense"])
def test_municipality_update_refuses_unknown_fields(lindenberg, admin_user, field):
    assert field not in MUNICIPALITY_PROFILE_FIELDS
    records = lindenberg.history.count()
    with pytest.raises(ValueError, match="Not profile fields"):
        municipality_update(municipality=lindenberg, by=admin_user, **{field: 1})
    assert lindenberg.history.count() == records


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"nis_code": "1234"}, "nis_code"),
        ({"population": 0}, "population"),
        ({"area_km2": Decimal("-1")}, "area_km2"),
        ({"slug": "inspraak"}, "slug"),
        ({"languages": ["nl", "nl"]}, "languages"),
        ({"name": "Lindenberg-Nieuw", "population": -3}, "population"),
    ],
)
def test_municipality_update_refuses_invalid_values_and_saves_nothing(
    lindenberg, admin_user, changes, field
):
    before = Municipality.objects.values().get(pk=lindenberg.pk)
    records = lindenberg.history.count()

    with pytest.raises(ValidationError) as excinfo:
        municipality_update(municipality=lindenberg, by=admin_user, **changes)

    assert field in excinfo.value.error_dict
    assert Municipality.objects.values().get(pk=lindenberg.pk) == before
    assert lindenberg.history.count() == records


@pytest.mark.django_db
def test_municipality_update_shows_the_nis_message_from_the_model(lindenberg, admin_user):
    with pytest.raises(ValidationError) as excinfo:
        municipality_update(municipality=lindenberg, by=admin_user, nis_code="ABCDE")
    assert str(nis_code_validator.message) in excinfo.value.message_dict["nis_code"]


@pytest.mark.django_db
def test_municipality_update_refuses_another_municipality_s_slug(lindenberg, heidebeek, admin_user):
    with pytest.raises(ValidationError) as excinfo:
        municipality_update(municipality=lindenberg, by=admin_user, slug=heidebeek.slug)
    assert [e.code for e in excinfo.value.error_dict["slug"]] == ["unique"]
    assert Municipality.objects.get(pk=lindenberg.pk).slug == "lindenberg"


# --- Inviting people -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_invite_creates_an_account_without_password_and_mails_on_commit(
    lindenberg, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user, created = user_invite(
            municipality=lindenberg,
            by=admin_user,
            username="  an.desmet ",
            email=" an.desmet@lindenberg.example ",
            first_name="An",
            last_name="De Smet",
            roles=[Role.COORDINATOR, Role.CORE_GROUP],
            base_url=BASE_URL,
        )
        assert mailoutbox == []  # nothing leaves before the transaction commits

    assert created
    assert len(callbacks) == 1
    user = User.objects.get(pk=user.pk)
    assert (user.username, user.email) == ("an.desmet", "an.desmet@lindenberg.example")
    assert not user.has_usable_password()
    assert _roles(user, lindenberg) == {Role.COORDINATOR, Role.CORE_GROUP}

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["an.desmet@lindenberg.example"]
    assert "Lindenberg" in mail.subject
    match = _reset_link(mail.body)
    assert force_str(urlsafe_base64_decode(match["uidb64"])) == str(user.pk)
    assert default_token_generator.check_token(user, match["token"])

    created_record = user.history.get()
    assert created_record.history_user == admin_user
    assert created_record.history_change_reason


@pytest.mark.django_db
def test_the_invitation_link_lets_the_person_choose_a_password(
    client, lindenberg, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user, _created = user_invite(
            municipality=lindenberg,
            by=admin_user,
            username="jonas",
            email="jonas@lindenberg.example",
            roles=[Role.VIEWER],
            base_url=BASE_URL,
        )
    path = _reset_link(mailoutbox[0].body)[0].removeprefix(BASE_URL)

    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.context["validlink"]
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a-long-new-password", "new_password2": "a-long-new-password"},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password("a-long-new-password")


@pytest.mark.django_db
def test_no_invitation_leaves_when_the_invitation_fails(
    lindenberg, admin_user, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        user_invite(
            municipality=lindenberg,
            by=admin_user,
            username="lies",
            email="lies@lindenberg.example",
            roles=[Role.VIEWER, "mayor"],
        )
    assert callbacks == []
    assert mailoutbox == []
    assert not User.objects.filter(username="lies").exists()


@pytest.mark.django_db
def test_user_invite_links_an_existing_account_unchanged(
    lindenberg, heidebeek, admin_user, make_member, mailoutbox, django_capture_on_commit_callbacks
):
    existing = make_member(
        Role.VIEWER,
        municipality=heidebeek,
        username="piet",
        email="Piet.Janssens@Heidebeek.example",
        first_name="Piet",
        last_name="Janssens",
    )
    before = User.objects.values().get(pk=existing.pk)
    records = existing.history.count()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        user, created = user_invite(
            municipality=lindenberg,
            by=admin_user,
            username="someone-else",
            email="piet.janssens@heidebeek.EXAMPLE",
            first_name="Pieter",
            last_name="Jansens",
            roles=[Role.CORE_GROUP],
            base_url=BASE_URL,
        )

    assert not created
    assert user.pk == existing.pk
    assert User.objects.values().get(pk=existing.pk) == before
    assert existing.history.count() == records
    assert User.objects.get(pk=existing.pk).check_password("demo")
    assert _roles(existing, lindenberg) == {Role.CORE_GROUP}
    assert _roles(existing, heidebeek) == {Role.VIEWER}
    # The owner is told that their account was given a role: nobody is added unknowingly.
    assert len(callbacks) == 1
    (mail,) = mailoutbox
    assert mail.to == [existing.email]
    assert "Lindenberg" in mail.subject


@pytest.mark.django_db
def test_user_invite_can_make_the_new_person_chair(lindenberg, admin_user, make_member):
    mayor = make_member(Role.COLLEGE, is_chair=True)
    user, _created = user_invite(
        municipality=lindenberg,
        by=admin_user,
        username="nieuwe-burgemeester",
        email="burgemeester@lindenberg.example",
        roles=[Role.COLLEGE, Role.CORE_GROUP],
        is_chair=True,
    )
    assert Membership.objects.get(municipality=lindenberg, is_chair=True).user == user
    assert not Membership.objects.get(user=user, role=Role.CORE_GROUP).is_chair
    assert not Membership.objects.get(user=mayor).is_chair


# --- Identity of a person ------------------------------------------------------------------------


@pytest.mark.django_db
def test_user_update_identity_is_refused_for_someone_of_another_municipality_too(
    lindenberg, heidebeek, admin_user, make_member
):
    shared = make_member(Role.VIEWER, first_name="Els")
    MembershipFactory(user=shared, municipality=heidebeek, role=Role.COORDINATOR)
    before = User.objects.values().get(pk=shared.pk)

    with pytest.raises(PermissionDenied):
        user_update_identity(user=shared, municipality=lindenberg, by=admin_user, first_name="Elsa")

    assert User.objects.values().get(pk=shared.pk) == before


@pytest.mark.django_db
def test_user_update_identity_is_refused_for_a_superuser(lindenberg, admin_user, make_member):
    operator = make_member(Role.VIEWER, is_superuser=True, email="ops@platform.example")
    before = User.objects.values().get(pk=operator.pk)

    with pytest.raises(PermissionDenied):
        user_update_identity(
            user=operator, municipality=lindenberg, by=admin_user, email="me@lindenberg.example"
        )

    assert User.objects.values().get(pk=operator.pk) == before


@pytest.mark.django_db
def test_user_update_identity_is_refused_for_someone_who_is_not_a_member_here(
    lindenberg, admin_user
):
    # Nothing ties this account to Lindenberg: its admin has no say over it.
    stranger = UserFactory(first_name="Karel")
    with pytest.raises(PermissionDenied):
        user_update_identity(
            user=stranger, municipality=lindenberg, by=admin_user, first_name="Carl"
        )
    assert User.objects.get(pk=stranger.pk).first_name == "Karel"


@pytest.mark.django_db
def test_user_update_identity_changes_a_local_person_and_records_it(
    lindenberg, admin_user, make_member
):
    person = make_member(Role.CORE_GROUP, first_name="Els", last_name="Peeters")
    user_update_identity(
        user=person,
        municipality=lindenberg,
        by=admin_user,
        first_name=" Elise ",
        email="elise.peeters@lindenberg.example",
    )
    person = User.objects.get(pk=person.pk)
    assert person.first_name == "Elise"
    assert person.email == "elise.peeters@lindenberg.example"
    assert person.check_password("demo")  # the password is not the admin's to touch

    record = person.history.latest()
    assert record.history_type == "~"
    assert record.history_user == admin_user
    assert record.history_change_reason
    assert record.first_name == "Elise"


@pytest.mark.django_db
def test_user_update_identity_refuses_another_account_s_email(lindenberg, admin_user, make_member):
    UserFactory(email="taken@example.org")
    person = make_member(Role.VIEWER)
    with pytest.raises(ValidationError):
        user_update_identity(
            user=person, municipality=lindenberg, by=admin_user, email="TAKEN@example.org"
        )
    assert User.objects.get(pk=person.pk).email != "TAKEN@example.org"


@pytest.mark.django_db
def test_user_update_identity_refuses_other_fields(lindenberg, admin_user, make_member):
    person = make_member(Role.VIEWER)
    with pytest.raises(ValueError, match="Not identity fields"):
        user_update_identity(user=person, municipality=lindenberg, by=admin_user, is_superuser=True)
    assert not User.objects.get(pk=person.pk).is_superuser


# --- Roles ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_memberships_set_roles_adds_and_removes(lindenberg, heidebeek, admin_user, make_member):
    user = make_member(Role.VIEWER)
    MembershipFactory(user=user, municipality=lindenberg, role=Role.CORE_GROUP)
    MembershipFactory(user=user, municipality=heidebeek, role=Role.VIEWER)
    viewer_group = RoleGroup.objects.get(municipality=lindenberg, role=Role.VIEWER).group
    coordinator_group = RoleGroup.objects.get(municipality=lindenberg, role=Role.COORDINATOR).group

    memberships_set_roles(
        municipality=lindenberg,
        user=user,
        roles=[Role.CORE_GROUP, Role.COORDINATOR],
        is_chair=False,
        by=admin_user,
        reason="Nieuwe coördinator",
    )

    assert _roles(user, lindenberg) == {Role.CORE_GROUP, Role.COORDINATOR}
    assert _roles(user, heidebeek) == {Role.VIEWER}  # another municipality is left alone
    assert set(user.groups.filter(pk__in=[viewer_group.pk, coordinator_group.pk])) == {
        coordinator_group
    }
    added = Membership.history.filter(user=user, role=Role.COORDINATOR).get()
    assert (added.history_type, added.history_user) == ("+", admin_user)
    assert added.history_change_reason == "Nieuwe coördinator"
    removed = Membership.history.filter(user=user, role=Role.VIEWER, history_type="-").get()
    assert removed.history_user == admin_user


@pytest.mark.django_db
def test_memberships_set_roles_to_nothing_removes_every_role(lindenberg, admin_user, make_member):
    user = make_member(Role.VIEWER)
    MembershipFactory(user=user, municipality=lindenberg, role=Role.CORE_GROUP)
    memberships_set_roles(
        municipality=lindenberg, user=user, roles=[], is_chair=False, by=admin_user
    )
    assert _roles(user, lindenberg) == set()
    assert not user.groups.exists()


@pytest.mark.django_db
def test_memberships_set_roles_hands_the_chair_over(lindenberg, admin_user, make_member):
    mayor = make_member(Role.COLLEGE, is_chair=True, first_name="Oude", last_name="Burgemeester")
    alderman = make_member(Role.COLLEGE)

    memberships_set_roles(
        municipality=lindenberg,
        user=alderman,
        roles=[Role.COLLEGE],
        is_chair=True,
        by=admin_user,
        reason="Nieuwe burgemeester",
    )

    assert Membership.objects.get(user=alderman).is_chair
    mayor_membership = Membership.objects.get(user=mayor)
    assert not mayor_membership.is_chair
    assert Membership.objects.filter(municipality=lindenberg, is_chair=True).count() == 1
    stepped_down = mayor_membership.history.latest()
    assert stepped_down.history_type == "~"
    assert stepped_down.is_chair is False
    assert stepped_down.history_user == admin_user
    assert stepped_down.history_change_reason
    stepped_up = Membership.objects.get(user=alderman).history.latest()
    assert (stepped_up.is_chair, stepped_up.history_user) == (True, admin_user)
    assert stepped_up.history_change_reason == "Nieuwe burgemeester"


@pytest.mark.django_db
def test_memberships_set_roles_hands_the_chair_to_a_new_college_member(
    lindenberg, admin_user, make_member
):
    mayor = make_member(Role.COLLEGE, is_chair=True)
    newcomer = make_member(Role.CORE_GROUP)
    memberships_set_roles(
        municipality=lindenberg,
        user=newcomer,
        roles=[Role.CORE_GROUP, Role.COLLEGE],
        is_chair=True,
        by=admin_user,
    )
    assert Membership.objects.get(municipality=lindenberg, is_chair=True).user == newcomer
    assert not Membership.objects.get(user=mayor).is_chair
    assert mayor.memberships.get().history.latest().history_user == admin_user


@pytest.mark.django_db
def test_memberships_set_roles_can_take_the_chair_away(lindenberg, admin_user, make_member):
    mayor = make_member(Role.COLLEGE, is_chair=True)
    memberships_set_roles(
        municipality=lindenberg, user=mayor, roles=[Role.COLLEGE], is_chair=False, by=admin_user
    )
    assert not Membership.objects.filter(municipality=lindenberg, is_chair=True).exists()


@pytest.mark.django_db
def test_a_refused_chair_leaves_the_present_chair_in_place(lindenberg, admin_user, make_member):
    mayor = make_member(Role.COLLEGE, is_chair=True)
    with pytest.raises(ValidationError):
        membership_create(
            municipality=lindenberg,
            user=UserFactory(),
            role=Role.VIEWER,
            is_chair=True,
            by=admin_user,
        )
    assert Membership.objects.get(user=mayor).is_chair


@pytest.mark.django_db
def test_membership_set_chair_hands_over(lindenberg, admin_user, make_member):
    mayor = make_member(Role.COLLEGE, is_chair=True)
    alderman = make_member(Role.COLLEGE)
    membership_set_chair(
        membership=alderman.memberships.get(), is_chair=True, by=admin_user, reason="Eedaflegging"
    )
    assert not mayor.memberships.get().is_chair
    assert alderman.memberships.get().is_chair


@pytest.mark.django_db
def test_membership_delete_leaves_a_record_of_who_took_the_role_away(
    lindenberg, admin_user, coordinator
):
    membership = coordinator.memberships.get()
    pk = membership.pk

    membership_delete(membership=membership, by=admin_user, reason="Vertrokken")

    assert not Membership.objects.filter(pk=pk).exists()
    record = Membership.history.filter(id=pk).latest()
    assert record.history_type == "-"
    assert record.history_user == admin_user
    assert record.history_change_reason == "Vertrokken"
    assert (record.user_id, record.municipality_id, record.role) == (
        coordinator.pk,
        lindenberg.pk,
        Role.COORDINATOR,
    )
    assert not has_perm(
        User.objects.get(pk=coordinator.pk), "safetynet.view_membership", lindenberg
    )


@pytest.mark.django_db
def test_membership_delete_without_reason_still_records_one(admin_user, coordinator):
    membership_delete(membership=coordinator.memberships.get(), by=admin_user)
    record = Membership.history.get(user=coordinator, history_type="-")
    assert record.history_user == admin_user
    assert record.history_change_reason
