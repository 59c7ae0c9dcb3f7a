"""The two permission layers: role groups on the municipality, personal grants on one object."""

from collections import defaultdict

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from safetynet import permissions
from safetynet.constants import Role
from safetynet.models import (
    Membership,
    Municipality,
    MunicipalityGroupObjectPermission,
    RoleGroup,
    User,
)
from safetynet.permissions import (
    grant_personal,
    has_perm,
    register_role_permissions,
    revoke_personal,
    role_permissions,
    sync_all_role_groups,
    sync_role_groups,
    visible,
)
from safetynet.services import membership_delete
from tests.factories import FolderFactory, MembershipFactory, NoteFactory, UserFactory
from tests.testapp.models import Note, NoteUserObjectPermission

VIEW_NOTE = "testapp.view_note"
CHANGE_NOTE = "testapp.change_note"

# What the stand-in app declares in its ready(): the permissions each role should end up with.
NOTE_PERMS_BY_ROLE = {
    Role.COORDINATOR: {VIEW_NOTE, CHANGE_NOTE},
    Role.VIEWER: {VIEW_NOTE},
}


def _fresh(user) -> User:
    """The user as the next request sees them: loaded anew, nothing cached."""
    return User.objects.get(pk=user.pk)


def _codename(perm: str) -> str:
    return perm.split(".", 1)[1]


def _role_group(municipality, role) -> Group:
    return RoleGroup.objects.get(municipality=municipality, role=role).group


def _permission_rows():
    """Everything sync_role_groups writes, as comparable sets."""
    return {
        "role groups": set(
            RoleGroup.objects.values_list("pk", "municipality_id", "role", "group_id")
        ),
        "groups": set(Group.objects.values_list("pk", "name")),
        "group permissions": set(
            MunicipalityGroupObjectPermission.objects.values_list(
                "pk", "group_id", "permission_id", "content_object_id"
            )
        ),
        "group members": set(User.groups.through.objects.values_list("pk", "user_id", "group_id")),
    }


def _counts(rows):
    return {name: len(values) for name, values in rows.items()}


@pytest.fixture
def lindenberg_note(lindenberg):
    return NoteFactory(folder=FolderFactory(municipality=lindenberg, name="Lindenberg folder"))


@pytest.fixture
def heidebeek_note(heidebeek):
    return NoteFactory(folder=FolderFactory(municipality=heidebeek, name="Heidebeek folder"))


# --- Role groups ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sync_role_groups_is_idempotent(lindenberg, heidebeek, role_users, other_coordinator):
    before = _permission_rows()
    sync_role_groups(lindenberg)
    with CaptureQueriesContext(connection) as queries:
        sync_role_groups(lindenberg)
        sync_role_groups(heidebeek)
    after = _permission_rows()

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == [], "a second run in step must write nothing"

    assert _counts(after) == _counts(before)
    assert after == before
    assert _counts(after)["role groups"] == 2 * len(Role.values)
    # one member per role in Lindenberg, one coordinator in Heidebeek
    assert _counts(after)["group members"] == len(Role.values) + 1


@pytest.mark.django_db
def test_sync_all_role_groups_is_idempotent(lindenberg, heidebeek, role_users):
    before = _permission_rows()
    assert sync_all_role_groups() == Municipality.objects.count()
    sync_all_role_groups()
    assert _permission_rows() == before


@pytest.mark.django_db
def test_sync_role_groups_repairs_drift(lindenberg, coordinator, viewer):
    coordinator_group = _role_group(lindenberg, Role.COORDINATOR)
    viewer_group = _role_group(lindenberg, Role.VIEWER)
    expected = _permission_rows()
    # Someone fiddled in the admin: a member dropped, a stranger added, a permission too many.
    coordinator.groups.remove(coordinator_group)
    UserFactory().groups.add(viewer_group)
    MunicipalityGroupObjectPermission.objects.create(
        group=viewer_group,
        content_object=lindenberg,
        permission=Permission.objects.get(
            content_type=ContentType.objects.get_for_model(Municipality),
            codename=_codename(CHANGE_NOTE),
        ),
    )
    drifted = _permission_rows()

    sync_role_groups(lindenberg)

    repaired = _permission_rows()
    assert repaired["group permissions"] == expected["group permissions"]
    assert {(u, g) for _pk, u, g in repaired["group members"]} == {
        (u, g) for _pk, u, g in expected["group members"]
    }
    assert repaired != drifted


@pytest.mark.django_db
def test_every_municipality_has_a_group_per_role(lindenberg, heidebeek):
    for municipality in (lindenberg, heidebeek):
        roles = set(
            RoleGroup.objects.filter(municipality=municipality).values_list("role", flat=True)
        )
        assert roles == set(Role.values)
    lindenberg_groups = set(
        RoleGroup.objects.filter(municipality=lindenberg).values_list("group_id", flat=True)
    )
    heidebeek_groups = set(
        RoleGroup.objects.filter(municipality=heidebeek).values_list("group_id", flat=True)
    )
    assert not lindenberg_groups & heidebeek_groups


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_each_role_group_holds_exactly_its_role_permissions(lindenberg, heidebeek, role):
    group = _role_group(lindenberg, role)
    rows = MunicipalityGroupObjectPermission.objects.filter(group=group)

    assert set(rows.values_list("content_object_id", flat=True)) == {lindenberg.pk}
    assert set(rows.values_list("permission__content_type", flat=True)) == {
        ContentType.objects.get_for_model(Municipality).pk
    }
    assert set(rows.values_list("permission__codename", flat=True)) == {
        _codename(perm) for perm in role_permissions(role)
    }


def test_the_stand_in_app_registered_its_role_permissions():
    for role in Role.values:
        note_perms = {p for p in role_permissions(role) if p.startswith("testapp.")}
        assert note_perms == NOTE_PERMS_BY_ROLE.get(role, set()), role
    assert "safetynet.change_municipality" in role_permissions(Role.ADMIN)
    assert "safetynet.change_municipality" not in role_permissions(Role.COORDINATOR)


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_a_membership_puts_the_user_in_exactly_that_role_group(lindenberg, heidebeek, role):
    user = UserFactory()
    MembershipFactory(user=user, municipality=lindenberg, role=role)
    assert set(user.groups.all()) == {_role_group(lindenberg, role)}


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_role_matrix_on_a_note(role_users, lindenberg_note, role):
    user = role_users[role]
    expected = NOTE_PERMS_BY_ROLE.get(role, set())
    for perm in (VIEW_NOTE, CHANGE_NOTE):
        assert has_perm(user, perm, lindenberg_note) is (perm in expected), perm


@pytest.mark.django_db
def test_removing_a_membership_takes_the_permission_away_at_once(
    lindenberg, coordinator, admin_user, lindenberg_note
):
    group = _role_group(lindenberg, Role.COORDINATOR)
    assert has_perm(coordinator, CHANGE_NOTE, lindenberg_note)  # answers now cached
    membership = coordinator.memberships.get(role=Role.COORDINATOR)

    membership_delete(membership=membership, by=admin_user)

    assert not coordinator.groups.filter(pk=group.pk).exists()
    assert not has_perm(coordinator, CHANGE_NOTE, lindenberg_note)
    assert not has_perm(_fresh(coordinator), CHANGE_NOTE, lindenberg_note)
    assert not has_perm(_fresh(coordinator), VIEW_NOTE, lindenberg_note)
    assert not visible(_fresh(coordinator), VIEW_NOTE, Note.objects.all()).exists()


@pytest.mark.django_db
def test_removing_one_role_keeps_the_others(lindenberg, make_member, admin_user, lindenberg_note):
    user = make_member(Role.COORDINATOR)
    MembershipFactory(user=user, municipality=lindenberg, role=Role.VIEWER)
    membership_delete(membership=user.memberships.get(role=Role.COORDINATOR), by=admin_user)

    user = _fresh(user)
    assert has_perm(user, VIEW_NOTE, lindenberg_note)
    assert not has_perm(user, CHANGE_NOTE, lindenberg_note)


# --- Resolving to the municipality ---------------------------------------------------------------


@pytest.mark.django_db
def test_has_perm_resolves_a_note_through_its_folder(coordinator, viewer, lindenberg_note):
    assert Note.MUNICIPALITY_PATH == "folder__municipality"
    assert has_perm(coordinator, CHANGE_NOTE, lindenberg_note)
    assert has_perm(viewer, VIEW_NOTE, lindenberg_note)
    assert not has_perm(viewer, CHANGE_NOTE, lindenberg_note)


@pytest.mark.django_db
def test_has_perm_on_the_municipality_itself(lindenberg, heidebeek, admin_user, coordinator):
    assert has_perm(admin_user, "safetynet.change_municipality", lindenberg)
    assert not has_perm(coordinator, "safetynet.change_municipality", lindenberg)
    assert has_perm(coordinator, "safetynet.view_municipality", lindenberg)
    assert not has_perm(coordinator, "safetynet.view_municipality", heidebeek)


@pytest.mark.django_db
def test_a_model_without_a_municipality_path_is_refused(coordinator):
    group = Group.objects.create(name="no municipality")
    with pytest.raises(ImproperlyConfigured, match="MUNICIPALITY_PATH"):
        has_perm(coordinator, "auth.change_group", group)


@pytest.mark.django_db
def test_another_municipality_s_coordinator_has_nothing_here(
    other_coordinator, lindenberg, heidebeek, lindenberg_note, heidebeek_note
):
    for perm in (VIEW_NOTE, CHANGE_NOTE):
        assert not has_perm(other_coordinator, perm, lindenberg_note)
        assert has_perm(other_coordinator, perm, heidebeek_note)
        assert set(visible(other_coordinator, perm, Note.objects.all())) == {heidebeek_note}
    assert not has_perm(other_coordinator, "safetynet.view_municipality", lindenberg)
    assert set(
        visible(other_coordinator, "safetynet.view_municipality", Municipality.objects.all())
    ) == {heidebeek}


@pytest.mark.django_db
def test_visible_never_leaks_across_municipalities_even_for_many_notes(
    other_coordinator, coordinator, lindenberg, heidebeek
):
    ours = NoteFactory.create_batch(5, folder=FolderFactory(municipality=lindenberg))
    theirs = NoteFactory.create_batch(5, folder=FolderFactory(municipality=heidebeek))

    assert set(visible(coordinator, VIEW_NOTE, Note.objects.all())) == set(ours)
    assert set(visible(other_coordinator, VIEW_NOTE, Note.objects.all())) == set(theirs)
    # A narrower queryset stays narrow.
    narrowed = Note.objects.filter(pk__in=[ours[0].pk, theirs[0].pk])
    assert list(visible(coordinator, VIEW_NOTE, narrowed)) == [ours[0]]


# --- Personal grants -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_personal_grant_covers_one_note_only(lindenberg, heidebeek):
    folder = FolderFactory(municipality=lindenberg)
    granted, other = NoteFactory(folder=folder), NoteFactory(folder=folder)
    guest = UserFactory()
    assert not has_perm(guest, CHANGE_NOTE, granted)

    grant_personal(user=guest, perm=CHANGE_NOTE, obj=granted)

    assert has_perm(guest, CHANGE_NOTE, granted)
    assert not has_perm(guest, CHANGE_NOTE, other)
    assert not has_perm(guest, VIEW_NOTE, granted)
    assert not has_perm(guest, "safetynet.view_municipality", lindenberg)
    assert set(visible(guest, CHANGE_NOTE, Note.objects.all())) == {granted}
    assert not visible(guest, VIEW_NOTE, Note.objects.all()).exists()
    row = NoteUserObjectPermission.objects.get(user=guest)
    assert (row.content_object, row.permission.codename) == (granted, "change_note")


@pytest.mark.django_db
def test_granting_twice_stores_one_grant(lindenberg_note):
    guest = UserFactory()
    grant_personal(user=guest, perm=CHANGE_NOTE, obj=lindenberg_note)
    grant_personal(user=guest, perm=CHANGE_NOTE, obj=lindenberg_note)
    assert NoteUserObjectPermission.objects.filter(user=guest).count() == 1


@pytest.mark.django_db
def test_revoke_personal_takes_the_grant_back(lindenberg_note):
    guest = UserFactory()
    grant_personal(user=guest, perm=CHANGE_NOTE, obj=lindenberg_note)
    assert has_perm(guest, CHANGE_NOTE, lindenberg_note)

    revoke_personal(user=guest, perm=CHANGE_NOTE, obj=lindenberg_note)

    assert not has_perm(guest, CHANGE_NOTE, lindenberg_note)
    assert not has_perm(_fresh(guest), CHANGE_NOTE, lindenberg_note)
    assert not NoteUserObjectPermission.objects.filter(user=guest).exists()


@pytest.mark.django_db
def test_revoking_a_personal_grant_leaves_role_permissions(coordinator, lindenberg_note):
    grant_personal(user=coordinator, perm=CHANGE_NOTE, obj=lindenberg_note)
    revoke_personal(user=coordinator, perm=CHANGE_NOTE, obj=lindenberg_note)
    assert has_perm(coordinator, CHANGE_NOTE, lindenberg_note)


@pytest.mark.django_db
def test_a_personal_grant_disappears_with_its_note(lindenberg_note):
    guest = UserFactory()
    grant_personal(user=guest, perm=CHANGE_NOTE, obj=lindenberg_note)
    lindenberg_note.delete()
    assert not NoteUserObjectPermission.objects.filter(user=guest).exists()


@pytest.mark.django_db
def test_personal_grants_need_a_direct_permission_table(lindenberg, coordinator):
    folder = FolderFactory(municipality=lindenberg)
    with pytest.raises(ImproperlyConfigured, match="direct user permission table"):
        grant_personal(user=coordinator, perm="testapp.change_folder", obj=folder)


@pytest.mark.django_db
def test_visible_combines_role_permissions_and_personal_grants(lindenberg, heidebeek, make_member):
    ours = NoteFactory.create_batch(3, folder=FolderFactory(municipality=heidebeek))
    lindenberg_notes = NoteFactory.create_batch(3, folder=FolderFactory(municipality=lindenberg))
    guest_note = lindenberg_notes[1]
    # A Heidebeek viewer who is a guest on one Lindenberg note.
    user = make_member(Role.VIEWER, municipality=heidebeek)
    grant_personal(user=user, perm=VIEW_NOTE, obj=guest_note)

    assert set(visible(user, VIEW_NOTE, Note.objects.all())) == {*ours, guest_note}
    assert has_perm(user, VIEW_NOTE, guest_note)
    assert not has_perm(user, VIEW_NOTE, lindenberg_notes[0])
    # The viewer role gives no change permission; the grant is for viewing only.
    assert not visible(user, CHANGE_NOTE, Note.objects.all()).exists()


# --- Who gets nothing ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_superuser_without_membership_gets_nothing_in_the_app(lindenberg, lindenberg_note):
    operator = UserFactory(is_superuser=True, is_staff=True)
    # Django's own check would say yes: the application's must not.
    assert operator.has_perm(CHANGE_NOTE, lindenberg_note)

    assert not has_perm(operator, VIEW_NOTE, lindenberg_note)
    assert not has_perm(operator, CHANGE_NOTE, lindenberg_note)
    assert not has_perm(operator, "safetynet.view_municipality", lindenberg)
    assert not visible(operator, VIEW_NOTE, Note.objects.all()).exists()
    assert not visible(operator, "safetynet.view_municipality", Municipality.objects.all()).exists()


@pytest.mark.django_db
def test_an_inactive_user_gets_nothing(lindenberg, coordinator, lindenberg_note):
    grant_personal(user=coordinator, perm=CHANGE_NOTE, obj=lindenberg_note)
    coordinator.is_active = False
    coordinator.save()
    user = _fresh(coordinator)

    assert not has_perm(user, VIEW_NOTE, lindenberg_note)
    assert not has_perm(user, CHANGE_NOTE, lindenberg_note)
    assert not has_perm(user, "safetynet.view_municipality", lindenberg)
    assert not visible(user, VIEW_NOTE, Note.objects.all()).exists()
    assert not visible(user, CHANGE_NOTE, Note.objects.all()).exists()


@pytest.mark.django_db
def test_a_reactivated_user_has_their_roles_again(lindenberg, coordinator, lindenberg_note):
    # The operator suspends an account in the admin; meanwhile the role group is synced (another
    # coordinator joins); the operator lifts the suspension. The membership never went away.
    coordinator.is_active = False
    coordinator.save()
    MembershipFactory(municipality=lindenberg, role=Role.COORDINATOR)
    assert not has_perm(_fresh(coordinator), CHANGE_NOTE, lindenberg_note)

    coordinator.is_active = True
    coordinator.save()

    assert Membership.objects.filter(user=coordinator, role=Role.COORDINATOR).exists()
    assert has_perm(_fresh(coordinator), CHANGE_NOTE, lindenberg_note)


@pytest.mark.django_db
def test_an_account_invited_while_inactive_gets_its_roles_once_active(lindenberg, lindenberg_note):
    user = UserFactory(is_active=False)
    MembershipFactory(user=user, municipality=lindenberg, role=Role.VIEWER)
    user.is_active = True
    user.save()
    assert has_perm(_fresh(user), VIEW_NOTE, lindenberg_note)


@pytest.mark.django_db
def test_anonymous_gets_nothing(lindenberg_note):
    from django.contrib.auth.models import AnonymousUser

    assert not has_perm(AnonymousUser(), VIEW_NOTE, lindenberg_note)
    assert not visible(AnonymousUser(), VIEW_NOTE, Note.objects.all()).exists()


@pytest.mark.django_db
def test_a_model_wide_permission_opens_no_other_municipality(
    make_member, heidebeek, lindenberg_note, heidebeek_note
):
    user = make_member(Role.CORE_GROUP, municipality=heidebeek)
    user.user_permissions.add(
        Permission.objects.get(
            content_type=ContentType.objects.get_for_model(Note), codename="view_note"
        )
    )
    user = _fresh(user)
    assert user.has_perm(VIEW_NOTE)  # the global permission is really held

    assert not has_perm(user, VIEW_NOTE, lindenberg_note)
    assert not has_perm(user, VIEW_NOTE, heidebeek_note)  # core group: no note permission
    assert not visible(user, VIEW_NOTE, Note.objects.all()).exists()


# --- Cost ----------------------------------------------------------------------------------------


def _count_checks(user_pk, notes) -> tuple[int, list[bool]]:
    user = User.objects.get(pk=user_pk)  # no cached answers
    with CaptureQueriesContext(connection) as queries:
        answers = [
            has_perm(user, perm, note) for note in notes for perm in (VIEW_NOTE, CHANGE_NOTE)
        ]
    return len(queries), answers


@pytest.fixture
def many_notes(lindenberg, heidebeek, coordinator):
    ours = NoteFactory.create_batch(30, folder=FolderFactory(municipality=lindenberg))
    theirs = NoteFactory.create_batch(20, folder=FolderFactory(municipality=heidebeek))
    grant_personal(user=coordinator, perm=VIEW_NOTE, obj=theirs[0])
    return ours + theirs


@pytest.mark.django_db
def test_checking_fifty_notes_costs_a_constant_number_of_queries(
    coordinator, many_notes, django_assert_max_num_queries
):
    notes = list(
        Note.objects.filter(pk__in=[n.pk for n in many_notes])
        .select_related("folder__municipality")
        .order_by("pk")
    )
    assert len(notes) == 50
    sample = [*notes[:3], *notes[-2:]]  # both municipalities, as in the fifty
    few, _answers = _count_checks(coordinator.pk, sample)
    many, answers = _count_checks(coordinator.pk, notes)

    assert many == few
    # 30 Lindenberg notes: view and change; 1 Heidebeek note: view by a personal grant.
    assert sum(answers) == 30 * 2 + 1
    user = User.objects.get(pk=coordinator.pk)
    with django_assert_max_num_queries(3):
        for note in notes:
            has_perm(user, CHANGE_NOTE, note)
            has_perm(user, VIEW_NOTE, note)


@pytest.mark.django_db
def test_checking_notes_with_their_folder_loaded_costs_no_query_per_note(coordinator, many_notes):
    # The folder row carries municipality_id: resolving a note to its municipality should not
    # need the municipality row itself.
    notes = list(
        Note.objects.filter(pk__in=[n.pk for n in many_notes])
        .select_related("folder")
        .order_by("pk")
    )
    few, _answers = _count_checks(coordinator.pk, [*notes[:3], *notes[-2:]])
    many, _answers = _count_checks(coordinator.pk, notes)
    assert many == few


@pytest.mark.django_db
def test_visible_costs_a_constant_number_of_queries(
    coordinator, many_notes, django_assert_max_num_queries
):
    user = User.objects.get(pk=coordinator.pk)
    with django_assert_max_num_queries(4):
        rows = list(visible(user, VIEW_NOTE, Note.objects.all()))
    assert len(rows) == 31


# --- Declaring role permissions ------------------------------------------------------------------


@pytest.fixture
def registry(monkeypatch):
    """Register into a copy, so a test never changes what other tests see."""
    copy = defaultdict(
        set, {role: set(perms) for role, perms in permissions._ROLE_PERMISSIONS.items()}
    )
    monkeypatch.setattr(permissions, "_ROLE_PERMISSIONS", copy)
    return copy


def test_register_role_permissions_refuses_an_unknown_role(registry):
    before = {role: set(perms) for role, perms in registry.items()}
    with pytest.raises(ImproperlyConfigured, match="mayor"):
        register_role_permissions({"mayor": ["testapp.view_note"]})
    assert {role: perms for role, perms in registry.items() if perms} == {
        role: perms for role, perms in before.items() if perms
    }


@pytest.mark.parametrize("name", ["view_note", "testapp.view.note", ""])
def test_register_role_permissions_refuses_a_name_without_app_label(registry, name):
    with pytest.raises(ImproperlyConfigured, match="app_label.codename"):
        register_role_permissions({Role.VIEWER: [name]})
    assert name not in role_permissions(Role.VIEWER)


def test_register_role_permissions_adds_to_what_a_role_holds(registry):
    register_role_permissions({Role.PROMOTOR: ["testapp.view_note"]})
    assert "testapp.view_note" in role_permissions(Role.PROMOTOR)
    assert "testapp.view_note" not in role_permissions(Role.CORE_GROUP)


@pytest.mark.django_db
def test_a_newly_registered_permission_reaches_existing_groups(registry, lindenberg, make_member):
    promotor = make_member(Role.PROMOTOR)
    note = NoteFactory(folder=FolderFactory(municipality=lindenberg))
    assert not has_perm(promotor, VIEW_NOTE, note)

    register_role_permissions({Role.PROMOTOR: [VIEW_NOTE]})
    sync_all_role_groups()

    assert has_perm(_fresh(promotor), VIEW_NOTE, note)
    assert Membership.objects.filter(user=promotor).count() == 1
