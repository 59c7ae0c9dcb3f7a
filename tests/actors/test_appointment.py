"""The coordinator's appointment: the domain text's options, the police warning and its
confirmation kept in history, a new appointment ending the current one, the placement check on
the page, and who may appoint."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext

import pytest

from actors.constants import ActorForm, AppointmentOption, OrgFunction
from actors.models import CoordinatorAppointment
from actors.services import POLICE_WARNING, coordinator_appoint
from safetynet.constants import Role
from tests.actors.test_organogram import (
    _in_english,  # noqa: F401 (autouse: the pages in English)
    build_organogram,
    count_queries,
    grow,
    make_actor,
    url,
)

D = datetime.date
START = D(2025, 1, 1)
POLICE_REASON = "Coordinator appointed from the police, the warning acknowledged"


@pytest.fixture
def police_officer(lindenberg):
    zone = make_actor(
        lindenberg,
        "Politiezone Lindenberg",
        kind_code="local_police",
        form=ActorForm.ORGANISATION,
    )
    return make_actor(
        lindenberg,
        "Inspecteur Wouters",
        kind_code="local_police",
        organisation=zone,
        function_title="Wijkinspecteur",
    )


@pytest.fixture
def candidate(lindenberg):
    return make_actor(lindenberg, "Sofie Claes", function_title="Coördinator")


def form_data(actor, option=AppointmentOption.NEW_FUNCTION, start=START, **extra):
    return {
        "option": option,
        "actor": actor.pk,
        "start": start.isoformat(),
        "motivation": "",
        **extra,
    }


# --- The police warning ------------------------------------------------------------------------


def test_the_service_refuses_the_police_without_the_confirmation(
    lindenberg, coordinator, police_officer
):
    with pytest.raises(ValidationError) as refused:
        coordinator_appoint(
            municipality=lindenberg,
            option=AppointmentOption.POLICE,
            actor=police_officer,
            start=D(2025, 1, 1),
            by=coordinator,
        )
    assert refused.value.message_dict == {"police_risk_acknowledged": [gettext(POLICE_WARNING)]}
    assert not CoordinatorAppointment.objects.exists()
    assert not CoordinatorAppointment.history.exists()


def test_the_refusal_carries_the_code_police_not_acknowledged(
    lindenberg, coordinator, police_officer
):
    with pytest.raises(ValidationError) as refused:
        coordinator_appoint(
            municipality=lindenberg,
            option=AppointmentOption.POLICE,
            actor=police_officer,
            start=D(2025, 1, 1),
            by=coordinator,
        )
    (error,) = refused.value.error_dict["police_risk_acknowledged"]
    assert error.code == "police_not_acknowledged"


def test_without_the_confirmation_the_form_shows_the_warning_as_the_error(
    client, lindenberg, coordinator, police_officer
):
    client.force_login(coordinator)

    response = client.post(
        url("appointment"), form_data(police_officer, option=AppointmentOption.POLICE)
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["police_risk_acknowledged"] == [gettext(POLICE_WARNING)]
    page = response.content.decode()
    assert 'class="form-errors" role="alert"' in page
    assert page.count(escape(gettext(POLICE_WARNING))) >= 2  # beside the option and as the error
    assert not CoordinatorAppointment.objects.exists()
    assert not CoordinatorAppointment.history.exists()


def test_with_the_confirmation_the_appointment_is_saved_and_history_keeps_the_warning(
    client, lindenberg, coordinator, police_officer
):
    client.force_login(coordinator)

    response = client.post(
        url("appointment"),
        form_data(
            police_officer,
            option=AppointmentOption.POLICE,
            police_risk_acknowledged="on",
            motivation="Geen andere kandidaat.",
        ),
    )

    assert response.status_code == 302
    assert response.url == url("appointment")
    appointment = CoordinatorAppointment.objects.get()
    assert (appointment.option, appointment.actor, appointment.police_risk_acknowledged) == (
        AppointmentOption.POLICE,
        police_officer,
        True,
    )
    record = appointment.history.get()
    assert record.history_change_reason == POLICE_REASON
    assert record.history_user == coordinator
    page = client.get(url("appointment")).content.decode()
    assert "Appointed from the police." in page
    assert "Inspecteur Wouters" in page


def test_the_warning_is_printed_beside_the_police_option(client, lindenberg, coordinator):
    client.force_login(coordinator)
    page = client.get(url("appointment")).content.decode()

    warning = page.index('id="police-warning"')
    police = page.index(f'value="{AppointmentOption.POLICE}"')
    confirmation = page.index('name="police_risk_acknowledged"')
    assert escape(gettext(POLICE_WARNING)) in page[warning : warning + 600]
    assert warning < police < confirmation
    radio = page[page.rindex("<input", 0, police) : page.index(">", police)]
    assert 'aria-describedby="police-warning"' in radio
    assert "<script" not in page  # no JavaScript needed


def test_someone_of_the_police_cannot_be_appointed_under_another_option(
    client, lindenberg, coordinator, police_officer
):
    client.force_login(coordinator)
    response = client.post(
        url("appointment"), form_data(police_officer, option=AppointmentOption.OTHER)
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("option", "police_actor_other_option")
    assert not CoordinatorAppointment.objects.exists()


# --- The options and the dates -----------------------------------------------------------------


def test_the_options_are_grouped_as_in_the_domain_text(client, lindenberg, coordinator):
    client.force_login(coordinator)
    response = client.get(url("appointment"))
    groups = response.context["form"].option_groups()

    assert [key for key, _label, _radios in groups] == [
        "political",
        "official",
        "other",
        "police",
        "none",
    ]
    values = {key: [r.data["value"] for r in radios] for key, _label, radios in groups}
    assert values["political"] == [
        AppointmentOption.MAYOR_CABINET,
        AppointmentOption.ALDERMAN_CABINET,
    ]
    assert values["official"] == [
        AppointmentOption.NEW_FUNCTION,
        AppointmentOption.SECRETARY,
        AppointmentOption.SECRETARY_STAFF,
        AppointmentOption.PREVENTION_OFFICER,
    ]
    assert values["police"] == [AppointmentOption.POLICE]
    assert values["none"] == [AppointmentOption.NO_COORDINATOR]
    assert sorted(v for vs in values.values() for v in vs) == sorted(AppointmentOption.values)
    page = response.content.decode()
    assert page.count('<fieldset class="option-group') == 5


def test_no_specific_coordinator_names_who_carries_the_tasks(
    client, lindenberg, coordinator, candidate
):
    client.force_login(coordinator)
    response = client.post(
        url("appointment"), form_data(candidate, option=AppointmentOption.NO_COORDINATOR)
    )
    assert response.status_code == 302
    appointment = CoordinatorAppointment.objects.get()
    assert (appointment.option, appointment.actor) == (AppointmentOption.NO_COORDINATOR, candidate)
    assert appointment.history.get().history_change_reason == "Coordinator appointed"
    page = client.get(url("appointment")).content.decode()
    assert "this actor carries the coordinator's tasks" in page


def test_a_new_appointment_ends_the_current_one_the_day_before(
    client, lindenberg, coordinator, candidate
):
    first = coordinator_appoint(
        municipality=lindenberg,
        option=AppointmentOption.PREVENTION_OFFICER,
        actor=make_actor(lindenberg, "Els Mertens"),
        start=D(2020, 3, 1),
        by=None,
    )
    client.force_login(coordinator)

    response = client.post(url("appointment"), form_data(candidate, start=D(2023, 1, 1)))

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.end == D(2022, 12, 31)
    ended = first.history.latest("history_id")
    assert (ended.history_user, ended.history_change_reason) == (
        coordinator,
        "Appointment ended by a new one",
    )
    current = CoordinatorAppointment.objects.get(end__isnull=True)
    assert (current.actor, current.start) == (candidate, D(2023, 1, 1))
    response = client.get(url("appointment"))
    assert response.context["current"] == current
    assert response.context["past"] == [first]


def test_a_new_appointment_must_start_after_the_current_one(
    client, lindenberg, coordinator, candidate
):
    coordinator_appoint(
        municipality=lindenberg,
        option=AppointmentOption.OTHER,
        actor=candidate,
        start=D(2024, 6, 1),
        by=None,
    )
    client.force_login(coordinator)
    response = client.post(url("appointment"), form_data(candidate, start=D(2024, 6, 1)))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert CoordinatorAppointment.objects.count() == 1


def test_an_appointment_cannot_start_inside_an_ended_one(lindenberg, candidate):
    # An appointment ended by hand (the admin) without a successor: the next one starts after it.
    CoordinatorAppointment.objects.create(
        municipality=lindenberg,
        option=AppointmentOption.OTHER,
        actor=candidate,
        start=D(2023, 1, 1),
        end=D(2024, 12, 31),
    )
    with pytest.raises(ValidationError) as refused:
        coordinator_appoint(
            municipality=lindenberg,
            option=AppointmentOption.OTHER,
            actor=candidate,
            start=D(2024, 6, 1),
            by=None,
        )
    assert "31/12/2024" in refused.value.messages[0]
    coordinator_appoint(
        municipality=lindenberg,
        option=AppointmentOption.OTHER,
        actor=candidate,
        start=START,
        by=None,
    )
    assert CoordinatorAppointment.objects.count() == 2


def test_only_this_municipality_s_active_actors_are_offered(
    client, lindenberg, heidebeek, coordinator, candidate
):
    foreign = make_actor(heidebeek, "Hilde Vermeulen")
    inactive = make_actor(lindenberg, "Oud-coördinator", active=False)
    client.force_login(coordinator)

    offered = set(client.get(url("appointment")).context["form"].fields["actor"].queryset)
    assert candidate in offered
    assert foreign not in offered
    assert inactive not in offered
    for actor in (foreign, inactive):
        response = client.post(url("appointment"), form_data(actor))
        assert response.status_code == 200
        assert response.context["form"].errors["actor"]
    assert not CoordinatorAppointment.objects.exists()


# --- The placement check on the appointment page -----------------------------------------------


def test_the_appointment_page_shows_the_placement_computed_from_the_organogram(
    client, lindenberg, viewer
):
    build_organogram(lindenberg, coordinator_under="mayor", direct_line=False)
    client.force_login(viewer)
    response = client.get(url("appointment"))
    assert [c.met for c in response.context["checks"]] == [False, True, True]
    page = response.content.decode()
    assert '<span class="placement-status">not met</span>' in page
    assert '<span class="placement-icon" aria-hidden="true">✘</span>' in page
    assert 'type="checkbox"' not in page  # never ticked by hand (and no form for a viewer)


def test_without_a_coordinator_unit_the_appointment_page_links_to_adding_one(
    client, lindenberg, coordinator
):
    build_organogram(lindenberg, coordinator_under=None)
    client.force_login(coordinator)
    page = client.get(url("appointment")).content.decode()
    assert "no unit for the coordinator yet" in page
    assert f"{url('orgunit-create')}?function={OrgFunction.COORDINATOR}" in page


# --- Who may appoint ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", Role.values)
def test_every_member_reads_only_coordinator_and_admin_appoint(
    client, role_users, lindenberg, candidate, role
):
    coordinator_appoint(
        municipality=lindenberg,
        option=AppointmentOption.OTHER,
        actor=candidate,
        start=D(2024, 1, 1),
        by=None,
    )
    may_appoint = role in (Role.ADMIN, Role.COORDINATOR)
    client.force_login(role_users[role])

    response = client.get(url("appointment"))
    assert response.status_code == 200
    assert "Sofie Claes" in response.content.decode()
    assert (response.context["form"] is not None) == may_appoint
    assert ('name="police_risk_acknowledged"' in response.content.decode()) == may_appoint

    response = client.post(url("appointment"), form_data(candidate, start=D(2025, 1, 1)))
    assert response.status_code == (302 if may_appoint else 403)
    assert CoordinatorAppointment.objects.count() == (2 if may_appoint else 1)


def test_anonymous_is_sent_to_the_login_page(client, lindenberg, candidate):
    for response in (
        client.get(url("appointment")),
        client.post(url("appointment"), form_data(candidate)),
    ):
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/?next=")
    assert not CoordinatorAppointment.objects.exists()


def test_the_coordinator_of_heidebeek_gets_404(
    client, lindenberg, heidebeek, other_coordinator, candidate
):
    client.force_login(other_coordinator)
    assert client.get(url("appointment")).status_code == 404
    assert client.post(url("appointment"), form_data(candidate)).status_code == 404
    # Lindenberg's actor posted to Heidebeek's own page: not offered there, nothing saved.
    response = client.post(url("appointment", municipality="heidebeek"), form_data(candidate))
    assert response.status_code == 200
    assert response.context["form"].errors["actor"]
    assert not CoordinatorAppointment.objects.exists()
    assert "Sofie Claes" not in response.content.decode()


# --- Queries -----------------------------------------------------------------------------------


def test_the_page_s_queries_do_not_grow_with_units_or_appointments(client, lindenberg, coordinator):
    grow(lindenberg, 5)
    people = [make_actor(lindenberg, f"Coördinator {i}") for i in range(12)]
    coordinator_appoint(
        municipality=lindenberg,
        option=AppointmentOption.OTHER,
        actor=people[0],
        start=D(2010, 1, 1),
        by=None,
    )
    client.force_login(coordinator)
    client.get(url("appointment"))
    small = count_queries(client, url("appointment"))

    grow(lindenberg, 60)
    for index, person in enumerate(people[1:], start=1):
        coordinator_appoint(
            municipality=lindenberg,
            option=AppointmentOption.OTHER,
            actor=person,
            start=D(2010 + index, 1, 1),
            by=None,
        )
    assert count_queries(client, url("appointment")) == small


def test_a_police_actor_under_another_option_is_refused_by_the_service(
    lindenberg, coordinator, police_officer
):
    """Not only the form: an import or a script cannot side-step the warning either."""
    with pytest.raises(ValidationError) as refused:
        coordinator_appoint(
            municipality=lindenberg,
            option=AppointmentOption.NEW_FUNCTION,
            actor=police_officer,
            start=D(2025, 1, 1),
            by=coordinator,
        )
    (error,) = refused.value.error_dict["option"]
    assert error.code == "police_under_other_option"
    assert not lindenberg.coordinator_appointments.exists()
