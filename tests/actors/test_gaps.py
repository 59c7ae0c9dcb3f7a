"""The network's gaps: coverage per kind, suggestions from the profile's infrastructures, dismissing
and restoring them (with history), and who may do what."""

import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

import pytest

from actors.constants import ActorForm
from actors.models import ActorKind, SuggestionDismissal, SuggestionRule
from actors.services import (
    actor_create,
    actor_kind_create,
    actor_set_active,
    suggestion_dismiss,
)
from safetynet.constants import Infrastructure, Role
from safetynet.services import municipality_update
from tests.auth_support import log_in_with_second_factor

LOGIN_URL = "/accounts/login/"


def kind(code):
    return ActorKind.objects.get(code=code, municipality=None)


def add_actor(municipality, by, name, kind_code, **fields):
    fields.setdefault("form", ActorForm.ORGANISATION)
    return actor_create(
        municipality=municipality, by=by, name=name, kind=kind(code=kind_code), **fields
    )


def url(name, municipality="lindenberg", **kwargs):
    return reverse(f"actors:{name}", kwargs={"municipality": municipality, **kwargs})


def login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def railway_rule():
    return SuggestionRule.objects.get(infrastructure=Infrastructure.TRAIN_STATION)


@pytest.fixture
def with_station(lindenberg, admin_user):
    municipality_update(
        municipality=lindenberg,
        by=admin_user,
        infrastructures=[Infrastructure.TRAIN_STATION, Infrastructure.NIGHTLIFE],
    )
    return lindenberg


def open_rule_ids(response) -> set[int]:
    return {suggestion["rule"].pk for suggestion in response.context["suggestions"]}


# --- The shipped rules -------------------------------------------------------------------------


def test_every_infrastructure_of_the_checklist_has_a_shipped_rule(db):
    shipped = set(SuggestionRule.objects.values_list("infrastructure", flat=True))
    missing = set(Infrastructure.values) - shipped
    assert not missing, f"infrastructures without a suggestion rule: {sorted(missing)}"


SENTENCE_END = re.compile(r"[.!?](\s|$)")


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_every_rule_explains_itself_in_one_sentence(db, language):
    for rule in SuggestionRule.objects.all():
        reason = getattr(rule, f"reason_{language}").strip()
        assert reason, (rule.infrastructure, language)
        assert reason[-1] in ".!?", (rule.infrastructure, language, reason)
        assert len(SENTENCE_END.findall(reason)) == 1, (rule.infrastructure, language, reason)
        assert reason[0].isupper(), (rule.infrastructure, language, reason)


# --- Coverage ----------------------------------------------------------------------------------


def test_coverage_counts_active_actors_per_kind_and_links_to_the_list(
    client, coordinator, lindenberg, heidebeek
):
    add_actor(lindenberg, coordinator, "Politiezone Lindenberg", "local_police")
    add_actor(lindenberg, coordinator, "Wijkpolitie Noord", "local_police")
    retired = add_actor(lindenberg, coordinator, "Oude preventiedienst", "prevention_service")
    actor_set_active(actor=retired, active=False, by=coordinator)
    add_actor(heidebeek, coordinator, "Politie Heidebeek", "prevention_service")
    own = actor_kind_create(
        municipality=lindenberg,
        by=coordinator,
        code="volunteers",
        category="contributing",
        name_nl="Vrijwilligers",
        name_en="Volunteers",
    )

    login(client, coordinator)
    response = client.get(url("gaps"))
    assert response.status_code == 200
    rows = {
        row.kind.code: row
        for category in response.context["categories"]
        for row in category["rows"]
    }
    assert rows["local_police"].active_actors == 2
    assert rows["prevention_service"].active_actors == 0  # inactive here, and Heidebeek's
    assert not rows["prevention_service"].covered
    assert "volunteers" in rows  # the municipality's own kind too
    assert response.context["covered"] == 1
    assert response.context["kind_count"] == ActorKind.objects.filter(municipality=None).count() + 1

    page = response.content.decode()
    list_link = f"{reverse('actors:actor-list', kwargs={'municipality': 'lindenberg'})}?kind="
    assert f'href="{list_link}{kind("local_police").pk}"' in page
    assert f'href="{list_link}{kind("prevention_service").pk}"' not in page  # 0: no link
    assert "Volunteers" in page
    assert own.pk
    # Both categories, each in its own captioned table with row headers.
    assert page.count("<caption>") >= 2
    assert '<th scope="row">' in page


# --- Suggestions -------------------------------------------------------------------------------


def test_a_profile_with_a_train_station_suggests_the_railway_police(
    client, coordinator, with_station
):
    rule = railway_rule()
    login(client, coordinator)
    response = client.get(url("gaps"))
    assert rule.pk in open_rule_ids(response)
    page = response.content.decode()
    assert "Railway police and SNCB Securail" in page
    assert escape(rule.reason_en) in page
    create = reverse("actors:actor-create", kwargs={"municipality": "lindenberg"})
    assert f'href="{create}?suggestion={rule.pk}"' in page
    assert url("gaps-dismiss", rule_pk=rule.pk) in page


def test_no_infrastructure_no_suggestion(client, coordinator, lindenberg):
    login(client, coordinator)
    response = client.get(url("gaps"))
    assert response.context["suggestions"] == []
    assert "no infrastructures" in response.content.decode()


def test_dismissing_hides_the_suggestion_and_history_keeps_the_reason(
    client, coordinator, with_station
):
    rule = railway_rule()
    login(client, coordinator)
    response = client.post(
        url("gaps-dismiss", rule_pk=rule.pk), {"reason": "The station has closed in 2024."}
    )
    assert response.status_code == 302
    assert response.url == url("gaps")

    response = client.get(url("gaps"))
    assert rule.pk not in open_rule_ids(response)
    (dismissal,) = response.context["dismissals"]
    assert dismissal.rule == rule
    assert dismissal.dismissed_by == (coordinator.get_full_name() or coordinator.username)
    page = response.content.decode()
    assert "The station has closed in 2024." in page
    assert url("gaps-restore", pk=dismissal.pk) in page

    record = SuggestionDismissal.history.get(id=dismissal.pk)
    assert record.history_type == "+"
    assert record.history_user == coordinator
    assert record.history_change_reason == "Suggestion dismissed"
    assert record.reason == "The station has closed in 2024."


def test_a_dismissal_needs_a_reason(client, coordinator, with_station):
    rule = railway_rule()
    login(client, coordinator)
    response = client.post(url("gaps-dismiss", rule_pk=rule.pk), {"reason": "   "})
    assert response.status_code == 200
    assert not SuggestionDismissal.objects.exists()
    page = response.content.decode()
    assert "This field is required." in page
    assert f'id="id_dismiss_{rule.pk}_reason"' in page
    assert '<details class="network-dismiss" open>' in page  # the error is where it was typed
    assert rule.pk in open_rule_ids(response)


def test_dismissing_twice_keeps_one_dismissal(client, coordinator, with_station):
    rule = railway_rule()
    login(client, coordinator)
    client.post(url("gaps-dismiss", rule_pk=rule.pk), {"reason": "Closed."})
    response = client.post(url("gaps-dismiss", rule_pk=rule.pk), {"reason": "Again."})
    assert response.status_code == 302
    assert SuggestionDismissal.objects.get().reason == "Closed."


def test_a_rule_the_profile_does_not_give_cannot_be_dismissed(client, coordinator, with_station):
    prison = SuggestionRule.objects.get(infrastructure=Infrastructure.PRISON)
    login(client, coordinator)
    response = client.post(url("gaps-dismiss", rule_pk=prison.pk), {"reason": "No prison."})
    assert response.status_code == 404
    assert not SuggestionDismissal.objects.exists()


def test_restoring_shows_the_suggestion_again_and_history_says_who(
    client, coordinator, admin_user, with_station
):
    rule = railway_rule()
    login(client, coordinator)
    client.post(url("gaps-dismiss", rule_pk=rule.pk), {"reason": "Closed."})
    dismissal = SuggestionDismissal.objects.get()

    log_in_with_second_factor(client, admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(url("gaps-restore", pk=dismissal.pk))
    assert response.status_code == 302
    response = client.get(url("gaps"))
    assert rule.pk in open_rule_ids(response)
    assert response.context["dismissals"] == []

    records = SuggestionDismissal.history.filter(id=dismissal.pk).order_by("history_id")
    assert [r.history_type for r in records] == ["+", "-"]
    assert records[1].history_user == admin_user
    assert records[1].history_change_reason == "Suggestion restored"


def test_adding_the_suggested_actor_closes_the_suggestion(client, coordinator, with_station):
    rule = railway_rule()
    add_actor(
        with_station,
        coordinator,
        "Spoorwegpolitie Lindenberg",
        rule.kind.code,
        source_suggestion=rule,
    )
    login(client, coordinator)
    response = client.get(url("gaps"))
    assert rule.pk not in open_rule_ids(response)
    nightlife = SuggestionRule.objects.get(infrastructure=Infrastructure.NIGHTLIFE)
    assert nightlife.pk in open_rule_ids(response)


def test_a_dismissal_of_another_municipality_cannot_be_restored(
    client, coordinator, other_coordinator, heidebeek, with_station
):
    municipality_update(
        municipality=heidebeek, by=None, infrastructures=[Infrastructure.TRAIN_STATION]
    )
    login(client, other_coordinator)
    client.post(url("gaps-dismiss", "heidebeek", rule_pk=railway_rule().pk), {"reason": "No."})
    theirs = SuggestionDismissal.objects.get(municipality=heidebeek)

    login(client, coordinator)
    assert client.post(url("gaps-restore", pk=theirs.pk)).status_code == 404
    assert SuggestionDismissal.objects.filter(pk=theirs.pk).exists()


def test_the_page_in_dutch_shows_the_dutch_reason(client, coordinator, with_station):
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    page = client.get(url("gaps")).content.decode()
    assert escape(railway_rule().reason_nl) in page
    with translation.override("nl"):
        assert escape(railway_rule().name) in page


# --- Who may do what ---------------------------------------------------------------------------

A, C, CO, CS, CG, P, V = (
    Role.ADMIN,
    Role.COORDINATOR,
    Role.COLLEGE,
    Role.COUNCIL_SECRETARY,
    Role.CORE_GROUP,
    Role.PROMOTOR,
    Role.VIEWER,
)
MATRIX_ROLES = (A, C, CO, CS, CG, P, V)
# Coordinator and admin keep the network up to date; every other member reads its gaps.
#                       admin coord college secretary core promotor viewer
GAPS_MATRIX = {
    "gaps (GET)": (200, 200, 200, 200, 200, 200, 200),
    "gaps-dismiss (POST)": (302, 302, 403, 403, 403, 403, 403),
    "gaps-restore (POST)": (302, 302, 403, 403, 403, 403, 403),
}


def test_the_matrix_names_every_role():
    assert sorted(MATRIX_ROLES) == sorted(Role.values)


@pytest.mark.parametrize("name", GAPS_MATRIX)
def test_role_matrix(client, role_users, with_station, name):
    rule = railway_rule()
    for role, expected in zip(MATRIX_ROLES, GAPS_MATRIX[name], strict=True):
        SuggestionDismissal.objects.all().delete()
        if name.startswith("gaps-restore"):
            dismissal = suggestion_dismiss(
                municipality=with_station, rule=rule, reason="Closed.", by=role_users[C]
            )
            path = url("gaps-restore", pk=dismissal.pk)
        elif name.startswith("gaps-dismiss"):
            path = url("gaps-dismiss", rule_pk=rule.pk)
        else:
            path = url("gaps")
        login(client, role_users[role])
        if name.endswith("(POST)"):
            response = client.post(path, {"reason": "Closed."})
        else:
            response = client.get(path)
        assert response.status_code == expected, (name, role)
        if expected == 403:
            assert SuggestionDismissal.objects.count() == (1 if "restore" in name else 0)


def test_readers_see_the_suggestions_without_the_editors_buttons(client, viewer, with_station):
    login(client, viewer)
    response = client.get(url("gaps"))
    page = response.content.decode()
    assert "Railway police and SNCB Securail" in page
    assert "?suggestion=" not in page
    assert "/dismiss/" not in page
    assert all(suggestion["form"] is None for suggestion in response.context["suggestions"])


def test_dismiss_and_restore_take_only_post(client, coordinator, with_station):
    login(client, coordinator)
    assert client.get(url("gaps-dismiss", rule_pk=railway_rule().pk)).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        ("gaps", {}),
        ("gaps-dismiss", {"rule_pk": 1}),
        ("gaps-restore", {"pk": 1}),
    ],
)
def test_anonymous_is_sent_to_the_login_page(client, lindenberg, path):
    name, kwargs = path
    for method in (client.get, client.post):
        response = method(url(name, **kwargs))
        assert response.status_code == 302
        assert response.url.startswith(LOGIN_URL + "?next=")


def test_the_coordinator_of_heidebeek_gets_404(
    client, coordinator, other_coordinator, with_station
):
    rule = railway_rule()
    login(client, coordinator)
    client.post(url("gaps-dismiss", rule_pk=rule.pk), {"reason": "Closed."})
    dismissal = SuggestionDismissal.objects.get()

    login(client, other_coordinator)
    assert client.get(url("gaps")).status_code == 404
    assert client.post(url("gaps-dismiss", rule_pk=rule.pk), {"reason": "x"}).status_code == 404
    assert client.post(url("gaps-restore", pk=dismissal.pk)).status_code == 404
    assert client.get(url("gaps-restore", pk=dismissal.pk)).status_code == 404
    assert SuggestionDismissal.objects.get() == dismissal
