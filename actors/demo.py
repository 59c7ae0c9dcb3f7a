"""Lindenberg's demo safety network: actors of every kind, roles with their history, an
appointed coordinator (with a predecessor), and an organogram. Idempotent: a municipality that
has actors already is left alone."""

import datetime

from django.db import transaction
from django.utils.translation import gettext_noop

from safetynet.models import User

from .constants import ActorForm, AppointmentOption, OrgFunction, OrgLevel, RoleType
from .data import ensure_shipped
from .models import Actor, ActorKind, SuggestionRule
from .services import (
    actor_create,
    actor_set_active,
    coordinator_appoint,
    org_unit_create,
    role_assign,
)

REASON = gettext_noop("Demo data")
D = datetime.date

ORG, PER = ActorForm.ORGANISATION, ActorForm.PERSON
# key: (form, name, kind code, function, user, organisation key, e-mail)
LINDENBERG = {
    "gemeente": (
        ORG,
        "Gemeentebestuur Lindenberg",
        "municipal_government",
        "",
        None,
        None,
        "info@lindenberg.example",
    ),
    "burgemeester": (
        PER,
        "Marleen Peeters",
        "municipal_government",
        "Burgemeester",
        "burgemeester",
        "gemeente",
        "burgemeester@lindenberg.example",
    ),
    "schepen-veiligheid": (
        PER,
        "Luc Janssens",
        "municipal_government",
        "Schepen van veiligheid en preventie",
        "schepen1",
        "gemeente",
        "schepen1@lindenberg.example",
    ),
    "schepen-werken": (
        PER,
        "Bart Jacobs",
        "municipal_government",
        "Schepen van openbare werken",
        "schepen3",
        "gemeente",
        "schepen3@lindenberg.example",
    ),
    "schepen-mobiliteit": (
        PER,
        "Nadia El Amrani",
        "municipal_government",
        "Schepen van mobiliteit",
        "schepen4",
        "gemeente",
        "schepen4@lindenberg.example",
    ),
    "coordinator": (
        PER,
        "Koen Claes",
        "coordinator",
        "Coördinator integrale veiligheid",
        "coordinator",
        "gemeente",
        "coordinator@lindenberg.example",
    ),
    "directeur": (
        PER,
        "Pieter Willems",
        "administrative_services",
        "Algemeen directeur",
        "secretaris",
        "gemeente",
        "secretaris@lindenberg.example",
    ),
    "burgerzaken": (
        ORG,
        "Dienst Burgerzaken",
        "administrative_services",
        "",
        None,
        None,
        "burgerzaken@lindenberg.example",
    ),
    "juridisch": (ORG, "Juridische dienst", "administrative_services", "", None, None, ""),
    "jurist": (
        PER,
        "Wim Hermans",
        "administrative_services",
        "Jurist, juridische dienst",
        None,
        "gemeente",
        "juridisch@lindenberg.example",
    ),
    "parket": (
        ORG,
        "Parket van de procureur des Konings",
        "judicial_authorities",
        "",
        None,
        None,
        "",
    ),
    "procureur": (
        PER,
        "Dirk Van den Broeck",
        "judicial_authorities",
        "Procureur des Konings",
        None,
        "parket",
        "",
    ),
    "justitiehuis": (
        ORG,
        "Justitiehuis Lindenberg",
        "judicial_authorities",
        "",
        None,
        None,
        "justitiehuis@lindenberg.example",
    ),
    "politiezone": (
        ORG,
        "Politiezone Lindenberg-Heidebeek",
        "local_police",
        "",
        None,
        None,
        "pz@lindenberg.example",
    ),
    "korpschef": (PER, "Ingrid Wouters", "local_police", "Korpschef", None, "politiezone", ""),
    "wijkpolitie": (ORG, "Wijkpolitie Centrum", "local_police", "", None, None, ""),
    "jeugdpolitie": (ORG, "Jeugd- en gezinsbrigade", "local_police", "", None, None, ""),
    "preventiedienst": (
        ORG,
        "Preventiedienst Lindenberg",
        "prevention_service",
        "",
        None,
        None,
        "preventie@lindenberg.example",
    ),
    "preventieambtenaar": (
        PER,
        "Els Mertens",
        "prevention_service",
        "Preventieambtenaar",
        "kerngroep1",
        "preventiedienst",
        "kerngroep1@lindenberg.example",
    ),
    "gemeenschapswachten": (ORG, "Gemeenschapswachten", "prevention_service", "", None, None, ""),
    "schepen-welzijn": (
        PER,
        "Sofie Maes",
        "policy_makers",
        "Schepen van sociale zaken en welzijn",
        "schepen2",
        "gemeente",
        "schepen2@lindenberg.example",
    ),
    "schepen-jeugd": (
        PER,
        "Jonas Pauwels",
        "policy_makers",
        "Schepen van jeugd",
        None,
        "gemeente",
        "",
    ),
    "ocmw-voorzitter": (
        PER,
        "Rita Segers",
        "policy_makers",
        "Voorzitter van het bijzonder comité voor de sociale dienst",
        None,
        "gemeente",
        "",
    ),
    "jeugddienst": (
        ORG,
        "Jeugddienst",
        "municipal_services",
        "",
        None,
        None,
        "jeugd@lindenberg.example",
    ),
    "stedenbouw": (ORG, "Dienst Stedenbouw", "municipal_services", "", None, None, ""),
    "mobiliteit": (ORG, "Dienst Mobiliteit", "municipal_services", "", None, None, ""),
    "onderwijs": (ORG, "Dienst Onderwijs", "municipal_services", "", None, None, ""),
    "sociale-dienst": (ORG, "Sociale dienst OCMW", "municipal_services", "", None, None, ""),
    "projectleider-jeugd": (
        PER,
        "Lies Goossens",
        "municipal_services",
        "Projectleider jeugd en overlast",
        "promotor2",
        "jeugddienst",
        "promotor2@lindenberg.example",
    ),
    "straathoekwerk": (ORG, "Straathoekwerk Lindenberg", "street_workers", "", None, None, ""),
    "straathoekwerker": (
        PER,
        "Tom Wouters",
        "street_workers",
        "Straathoekwerker, projectleider drugs",
        "promotor1",
        "straathoekwerk",
        "promotor1@lindenberg.example",
    ),
    "kvk": (ORG, "Kamer van Koophandel Lindenberg", "organisations", "", None, None, ""),
    "handelaars": (
        ORG,
        "Handelaarsvereniging Centrum",
        "organisations",
        "",
        None,
        None,
        "handelaars@lindenberg.example",
    ),
    "bemiddeling": (ORG, "Bemiddelingsdienst Lindenberg", "organisations", "", None, None, ""),
    "de-brug": (ORG, "De Brug, begeleiding van minderjarigen", "organisations", "", None, None, ""),
    "scholen": (ORG, "Scholengemeenschap Lindenberg", "organisations", "", None, None, ""),
    "horeca": (ORG, "Horecavereniging Lindenberg", "organisations", "", None, None, ""),
    "bin-centrum": (
        ORG,
        "BIN Centrum",
        "population",
        "",
        None,
        None,
        "bin.centrum@lindenberg.example",
    ),
    "bin-station": (ORG, "BIN Stationsbuurt", "population", "", None, None, ""),
    "molenwijk": (ORG, "Buurtvereniging Molenwijk", "population", "", None, None, ""),
    "jeugdhuis": (ORG, "Jeugdhuis De Kelder", "population", "", None, None, ""),
    "bin-kerkwijk": (ORG, "BIN Kerkwijk", "population", "", None, None, ""),
}

# key, role, title, start, end
ROLES = [
    (
        "burgemeester",
        RoleType.REGISSEUR,
        "Regisseur van het veiligheidsbeleid",
        D(2019, 1, 1),
        None,
    ),
    (
        "preventieambtenaar",
        RoleType.COORDINATOR,
        "Coördinator (uitbreiding van de functie van preventieambtenaar)",
        D(2020, 3, 1),
        D(2022, 12, 31),
    ),
    ("coordinator", RoleType.COORDINATOR, "Coördinator integrale veiligheid", D(2023, 1, 1), None),
    (
        "straathoekwerker",
        RoleType.PROMOTOR,
        "Promotor actieplan drugsoverlast",
        D(2024, 2, 1),
        None,
    ),
    (
        "projectleider-jeugd",
        RoleType.PROMOTOR,
        "Promotor actieplan jongerenoverlast",
        D(2022, 9, 1),
        D(2024, 8, 31),
    ),
    (
        "projectleider-jeugd",
        RoleType.PROMOTOR,
        "Promotor actieplannen jongerenoverlast en woninginbraak",
        D(2024, 9, 1),
        None,
    ),
    (
        "jeugddienst",
        RoleType.WORKING_GROUP_MEMBER,
        "Werkgroep jeugd en overlast",
        D(2024, 9, 1),
        None,
    ),
    ("wijkpolitie", RoleType.WORKING_GROUP_MEMBER, "Werkgroep woninginbraak", D(2024, 3, 1), None),
    ("bin-centrum", RoleType.WORKING_GROUP_MEMBER, "Werkgroep woninginbraak", D(2024, 3, 1), None),
]
for key in (
    "burgemeester",
    "procureur",
    "korpschef",
    "schepen-welzijn",
    "schepen-veiligheid",
    "schepen-werken",
    "schepen-mobiliteit",
    "coordinator",
    "preventieambtenaar",
):
    ROLES.append((key, RoleType.CORE_GROUP_MEMBER, "Lid van de kerngroep", D(2023, 1, 15), None))

FUNCTION_PROFILES = {
    RoleType.COORDINATOR: "Begeleidt de voorbereiding, de uitvoering en de evaluatie van het "
    "integraal veiligheidsplan; is piloot van de kerngroep en ziet toe op de oprichting van "
    "werkgroepen; vormt de schakel tussen het strategische en het operationele niveau.",
    RoleType.PROMOTOR: "Verantwoordelijk voor de operationele opvolging van het actieplan en "
    "rapporteert aan de kerngroep.",
}


@transaction.atomic
def seed(municipalities, stdout=None):
    ensure_shipped()
    lindenberg = municipalities.get("lindenberg")
    if lindenberg is not None and not Actor.objects.filter(municipality=lindenberg).exists():
        _lindenberg(lindenberg)
        if stdout:
            stdout.write(
                f"Lindenberg: {Actor.objects.filter(municipality=lindenberg).count()} actors."
            )
    heidebeek = municipalities.get("heidebeek")
    if heidebeek is not None and not Actor.objects.filter(municipality=heidebeek).exists():
        _heidebeek(heidebeek)


def _kind(code):
    return ActorKind.objects.get(municipality=None, code=code)


def _lindenberg(municipality):
    actors = {}
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[v[4] for v in LINDENBERG.values() if v[4]])
    }
    horeca_rule = SuggestionRule.objects.filter(infrastructure="nightlife").first()
    for key, (form, name, kind, function, username, organisation, email) in LINDENBERG.items():
        actors[key] = actor_create(
            municipality=municipality,
            by=None,
            reason=REASON,
            form=form,
            name=name,
            kind=_kind(kind),
            function_title=function,
            user=users.get(username),
            organisation=actors.get(organisation),
            email=email,
            source_suggestion=horeca_rule if key == "horeca" else None,
        )
    for key, role, title, start, end in ROLES:
        role_assign(
            actor=actors[key],
            role=role,
            start=start,
            end=end,
            title=title,
            by=None,
            function_profile=FUNCTION_PROFILES.get(role, ""),
            reason=REASON,
        )
    actor_set_active(
        actor=actors["bin-kerkwijk"], active=False, by=None, reason=gettext_noop("Demo data")
    )

    coordinator_appoint(
        municipality=municipality,
        option=AppointmentOption.PREVENTION_OFFICER,
        actor=actors["preventieambtenaar"],
        start=D(2020, 3, 1),
        by=None,
        motivation="Tijdelijk: de preventieambtenaar neemt de taken op tot een eigen functie bestaat.",
    )
    coordinator_appoint(
        municipality=municipality,
        option=AppointmentOption.NEW_FUNCTION,
        actor=actors["coordinator"],
        start=D(2023, 1, 1),
        by=None,
        motivation="Nieuwe functie van lokale integrale veiligheidscoördinator, "
        "als staffunctie naast de algemeen directeur.",
    )

    def unit(name, level, function, parent=None, holder=None, **extra):
        return org_unit_create(
            municipality=municipality,
            by=None,
            name=name,
            level=level,
            function=function,
            parent=parent,
            holder=actors.get(holder),
            **extra,
        )

    S, L, OP = OrgLevel.STRATEGIC, OrgLevel.LINKING, OrgLevel.OPERATIONAL
    mayor = unit("Burgemeester", S, OrgFunction.MAYOR, holder="burgemeester", order=1)
    college = unit("College van burgemeester en schepenen", S, OrgFunction.COLLEGE, mayor, order=2)
    unit("Kerngroep integrale veiligheid", S, OrgFunction.KERNGROEP, mayor, "coordinator", order=3)
    director = unit("Algemeen directeur", S, OrgFunction.SECRETARY, college, "directeur")
    coordinator = unit(
        "Coördinator integrale veiligheid",
        L,
        OrgFunction.COORDINATOR,
        director,
        "coordinator",
        is_staff=True,
        direct_line_to=mayor,
    )
    unit("Departement Burger en Welzijn", OP, OrgFunction.DEPARTMENT, director, order=10)
    unit("Departement Ruimte en Mobiliteit", OP, OrgFunction.DEPARTMENT, director, order=11)
    unit("Preventiedienst", OP, OrgFunction.DEPARTMENT, director, "preventiedienst", order=12)
    unit("Projectleiders", OP, OrgFunction.PROJECT_LEADERS, coordinator, order=20)
    unit(
        "Werkgroep jeugd en overlast",
        OP,
        OrgFunction.WORKING_GROUP,
        coordinator,
        "projectleider-jeugd",
        order=21,
    )
    unit("Werkgroep woninginbraak", OP, OrgFunction.WORKING_GROUP, coordinator, order=22)


def _heidebeek(municipality):
    for form, name, kind, function in [
        (PER, "Hilde Vermeulen", "coordinator", "Coördinator integrale veiligheid"),
        (ORG, "Politiezone Lindenberg-Heidebeek", "local_police", ""),
        (ORG, "Preventiedienst Heidebeek", "prevention_service", ""),
        (ORG, "Jeugdhuis 't Heike", "population", ""),
        (ORG, "Dienst Welzijn Heidebeek", "municipal_services", ""),
    ]:
        actor_create(
            municipality=municipality,
            by=None,
            reason=REASON,
            form=form,
            name=name,
            kind=_kind(kind),
            function_title=function,
        )
