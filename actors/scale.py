"""The actors' part of ``seed_scale``: a large network of organisations and people with dated
roles, the coordinator's appointment and a small organogram.

The people who hold an account (the mayor, the college, the coordinator, the secretary, the
kerngroep members and the promotors) are actors linked to their user, with an ``external_key``
naming their part (``mayor``, ``college2``, ``promotor3``, …) so the later seeders find them;
every other actor has the key of an imported list, ``scale-<n>``."""

import datetime

from safetynet.constants import Role
from safetynet.scale import FIRST_NAMES, LAST_NAMES

from .constants import ActorForm, AppointmentOption, OrgFunction, OrgLevel, RoleType
from .data import ensure_shipped
from .models import Actor, ActorKind, RoleAssignment
from .services import coordinator_appoint, org_unit_create

ORG, PER = ActorForm.ORGANISATION, ActorForm.PERSON
# Of the actors without an account: this share are organisations, the rest people in them.
ORGANISATION_SHARE = 0.4
# Of those, this share is invited to public consultations (with an e-mail address).
CONSULT_SHARE = 0.2
INACTIVE_EVERY = 50  # one actor in fifty is no longer active
# Roles of the network besides the kerngroep and the promotors: every third actor works in a
# working group, every seventh has another role; one role in eight has ended and was followed.
WORKING_GROUP_EVERY = 3
OTHER_ROLE_EVERY = 7
ENDED_EVERY = 8

# Kinds of organisation and how their names read.
ORGANISATIONS = [
    ("administrative_services", "Dienst {word}"),
    ("judicial_authorities", "Justitiehuis {word}"),
    ("local_police", "Wijkpost {word}"),
    ("prevention_service", "Preventieproject {word}"),
    ("municipal_services", "Stedelijke dienst {word}"),
    ("street_workers", "Straathoekwerk {word}"),
    ("organisations", "Vzw {word}"),
    ("organisations", "Handelaarsvereniging {word}"),
    ("population", "BIN {word}"),
    ("population", "Buurtvereniging {word}"),
    ("population", "Jeugdhuis {word}"),
]
WORDS = [
    "Centrum", "Stationsbuurt", "Molenwijk", "Kerkwijk", "Heide", "Dorp", "Haven", "Markt",
    "Bosrand", "Kanaal", "Beekdal", "Noord", "Zuid", "Oost", "West", "Schoolstraat",
]  # fmt: skip
FUNCTIONS = [
    "Medewerker", "Teamleider", "Projectleider", "Voorzitter", "Secretaris", "Vrijwilliger",
    "Wijkagent", "Maatschappelijk werker", "Directeur", "Coördinator",
]  # fmt: skip

# The accounts' actors: (key, role of the account, number, kind, function).
KEY_PEOPLE = [
    ("mayor", Role.COLLEGE, 0, "municipal_government", "Burgemeester"),
    ("college2", Role.COLLEGE, 1, "policy_makers", "Schepen van sociale zaken en welzijn"),
    ("college3", Role.COLLEGE, 2, "municipal_government", "Schepen van veiligheid"),
    ("college4", Role.COLLEGE, 3, "municipal_government", "Schepen van openbare werken"),
    ("college5", Role.COLLEGE, 4, "municipal_government", "Schepen van mobiliteit"),
    ("coordinator", Role.COORDINATOR, 0, "coordinator", "Coördinator integrale veiligheid"),
    ("secretary", Role.COUNCIL_SECRETARY, 0, "administrative_services", "Algemeen directeur"),
]
# Key people without an account.
OTHER_KEY_PEOPLE = [
    ("prosecutor", "judicial_authorities", "Procureur des Konings"),
    ("police-chief", "local_police", "Korpschef"),
    ("former-coordinator", "prevention_service", "Preventieambtenaar"),
]


def seed(run) -> None:
    ensure_shipped()
    municipality = run.municipality
    rng = run.rng
    kinds = {k.code: k for k in ActorKind.objects.filter(municipality=None)}
    users = run.users
    name = municipality.name

    government = Actor(
        municipality=municipality,
        form=ORG,
        name=f"Gemeentebestuur {name}",
        kind=kinds["municipal_government"],
        email=f"info@{run.slug}.example",
        external_key="government",
    )
    people = []  # (Actor, organisation key or None)
    for key, role, number, kind, function in KEY_PEOPLE:
        user = users[role][number]
        people.append(_person(run, key, kinds[kind], function, user, "government"))
    for number, user in enumerate(users[Role.CORE_GROUP][1:], start=1):  # [0] is the mayor
        people.append(
            _person(run, f"kerngroep{number}", kinds["prevention_service"], "Preventieambtenaar",
                    user, "government")
        )  # fmt: skip
    for number, user in enumerate(users[Role.PROMOTOR], start=1):
        kind = "street_workers" if number % 2 else "municipal_services"
        people.append(_person(run, f"promotor{number}", kinds[kind], "Projectleider", user, None))
    for key, kind, function in OTHER_KEY_PEOPLE:
        people.append(_person(run, key, kinds[kind], function, None, None))

    rest = max(0, run.actors - 1 - len(people))
    organisation_count = max(1, round(rest * ORGANISATION_SHARE))
    organisations = [government]
    for number in range(1, organisation_count + 1):
        code, pattern = ORGANISATIONS[number % len(ORGANISATIONS)]
        consult = number % round(1 / CONSULT_SHARE) == 0
        organisations.append(
            Actor(
                municipality=municipality,
                form=ORG,
                name=f"{pattern.format(word=rng.choice(WORDS))} {number}",
                kind=kinds[code],
                email=f"org{number}@{run.slug}.example" if consult else "",
                consult=consult,
                active=number % INACTIVE_EVERY != 0,
                external_key=f"scale-org-{number}",
            )
        )
    organisations = run.bulk(Actor, organisations)
    by_key = {a.external_key: a for a in organisations}
    for number in range(1, rest - organisation_count + 1):
        organisation = organisations[1 + number % organisation_count]
        people.append(
            (
                Actor(
                    municipality=municipality,
                    form=PER,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    kind=organisation.kind,
                    function_title=rng.choice(FUNCTIONS),
                    active=number % INACTIVE_EVERY != 0,
                    external_key=f"scale-person-{number}",
                ),
                organisation.external_key,
            )
        )
    for actor, organisation_key in people:
        if organisation_key:
            actor.organisation = by_key[organisation_key]
    people = run.bulk(Actor, [actor for actor, _key in people])
    by_key.update((a.external_key, a) for a in people)
    _roles(run, by_key, organisations, people)
    _appointments(run, by_key)
    _organogram(run, by_key)


def _person(run, key, kind, function, user, organisation_key):
    name = user.get_full_name() if user else f"{run.rng.choice(FIRST_NAMES)} {key.title()}"
    return (
        Actor(
            municipality=run.municipality,
            form=PER,
            name=name,
            kind=kind,
            function_title=function,
            user=user,
            email=user.email if user else "",
            external_key=key,
        ),
        organisation_key,
    )


def years_ago(run, years: int) -> datetime.date:
    return run.today.replace(year=run.today.year - years, month=1, day=1)


def _roles(run, by_key, organisations, people) -> None:
    """Dated roles: the regisseur, the coordinators (the former one's ended), the kerngroep,
    the promotors, working group members and other roles, some ended and followed."""
    start = years_ago(run, 6)
    roles = [
        RoleAssignment(actor=by_key["mayor"], role=RoleType.REGISSEUR, start=start,
                       title="Regisseur van het veiligheidsbeleid"),
        RoleAssignment(actor=by_key["former-coordinator"], role=RoleType.COORDINATOR,
                       start=start, end=years_ago(run, 3) - datetime.timedelta(days=1),
                       title="Coördinator (uitbreiding van de functie van preventieambtenaar)"),
        RoleAssignment(actor=by_key["coordinator"], role=RoleType.COORDINATOR,
                       start=years_ago(run, 3), title="Coördinator integrale veiligheid"),
    ]  # fmt: skip
    for key in ("mayor", "prosecutor", "police-chief", "college2", "college3", "college4",
                "college5", "coordinator", "kerngroep1"):  # fmt: skip
        roles.append(
            RoleAssignment(actor=by_key[key], role=RoleType.CORE_GROUP_MEMBER, start=start,
                           title="Lid van de kerngroep")
        )  # fmt: skip
    for actor in people:
        if actor.external_key.startswith("promotor"):
            roles.append(
                RoleAssignment(actor=actor, role=RoleType.PROMOTOR, start=years_ago(run, 3),
                               title="Promotor van actieplannen")
            )  # fmt: skip
    for number, actor in enumerate([*organisations[1:], *people]):
        if number % WORKING_GROUP_EVERY == 0:
            role, title = RoleType.WORKING_GROUP_MEMBER, "Lid van een werkgroep"
        elif number % OTHER_ROLE_EVERY == 0:
            role, title = RoleType.OTHER, "Partner van het veiligheidsbeleid"
        else:
            continue
        first = years_ago(run, 1 + number % 5)
        if number % ENDED_EVERY == 0:
            ended = first - datetime.timedelta(days=1)
            roles.append(
                RoleAssignment(actor=actor, role=role, start=years_ago(run, 6), end=ended,
                               title=title)
            )  # fmt: skip
        roles.append(RoleAssignment(actor=actor, role=role, start=first, title=title))
    run.bulk(RoleAssignment, roles)


def _appointments(run, by_key) -> None:
    """Through the service: the former coordinator, then the current one."""
    coordinator_appoint(
        municipality=run.municipality,
        option=AppointmentOption.PREVENTION_OFFICER,
        actor=by_key["former-coordinator"],
        start=years_ago(run, 6),
        by=run.coordinator,
    )
    coordinator_appoint(
        municipality=run.municipality,
        option=AppointmentOption.NEW_FUNCTION,
        actor=by_key["coordinator"],
        start=years_ago(run, 3),
        by=run.coordinator,
        motivation="Nieuwe functie van lokale integrale veiligheidscoördinator.",
    )
    run.rows += 3  # two appointments, one of them ended


def _organogram(run, by_key) -> None:
    def unit(name, level, function, parent=None, holder=None, **extra):
        run.rows += 1
        return org_unit_create(
            municipality=run.municipality,
            by=run.coordinator,
            name=name,
            level=level,
            function=function,
            parent=parent,
            holder=by_key.get(holder),
            **extra,
        )

    S, L, OP = OrgLevel.STRATEGIC, OrgLevel.LINKING, OrgLevel.OPERATIONAL
    mayor = unit("Burgemeester", S, OrgFunction.MAYOR, holder="mayor", order=1)
    college = unit("College van burgemeester en schepenen", S, OrgFunction.COLLEGE, mayor, order=2)
    unit("Kerngroep integrale veiligheid", S, OrgFunction.KERNGROEP, mayor, "coordinator", order=3)
    director = unit("Algemeen directeur", S, OrgFunction.SECRETARY, college, "secretary")
    coordinator = unit(
        "Coördinator integrale veiligheid", L, OrgFunction.COORDINATOR, director, "coordinator",
        is_staff=True, direct_line_to=mayor,
    )  # fmt: skip
    unit("Departement Burger en Welzijn", OP, OrgFunction.DEPARTMENT, director, order=10)
    unit("Preventiedienst", OP, OrgFunction.DEPARTMENT, director, "kerngroep1", order=12)
    unit("Projectleiders", OP, OrgFunction.PROJECT_LEADERS, coordinator, order=20)
