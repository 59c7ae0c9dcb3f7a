"""Lindenberg's demo plans, one in every state of the workflow, each moved there through the
same services a coordinator, the college and the council secretary use; Heidebeek gets one
draft. Idempotent: nothing happens once a municipality has plans."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from actors.models import Actor
from coregroup.models import CoreGroup, WorkingGroup
from coregroup.services import decision_record, meeting_schedule
from plans import demo_steering
from plans.constants import (
    Availability,
    FundingSource,
    IndicatorType,
    Objectivity,
    PlanState,
    RemarkStatus,
)
from plans.data import ensure_shipped
from plans.models import (
    Action,
    ActionPlan,
    ExpectedResult,
    Goal,
    Indicator,
    Phenomenon,
    Plan,
    Resource,
)
from plans.services import (
    consultation_close,
    consultation_set_dates,
    council_decision_record,
    discussion_record,
    item_add,
    plan_close,
    plan_create,
    plan_submit_for_adoption,
    plan_submit_to_college,
    vote_cast,
)
from plans.services.consultation import remark_moderate, remark_submit, response_write
from safetynet.constants import Role
from safetynet.models import Membership

# Goals: (title, phenomena, [action plans]); action plan: (title, promotor, partners, working
# group, expected result, (indicator, baseline, target, unit), [actions], (budget, available,
# source)).
GOALS = [
    (
        "Het aantal woninginbraken daalt",
        ["property_crime"],
        [
            (
                "Diefstalpreventieadvies aan huis",
                "Els Mertens",
                ["Wijkpolitie Centrum", "BIN Centrum"],
                "Werkgroep woninginbraak",
                "Elk jaar 150 woningen doorgelicht door een diefstalpreventieadviseur",
                ("Woninginbraken per jaar", "212", "170", "feiten"),
                ["Opleiding twee extra adviseurs", "Campagne in de Molenwijk"],
                ("12000", True, FundingSource.FEDERAL),
            ),
            (
                "Buurtinformatienetwerken versterken",
                "Els Mertens",
                ["BIN Centrum", "BIN Stationsbuurt", "BIN Kerkwijk"],
                "Werkgroep woninginbraak",
                "Drie actieve BIN's met maandelijkse berichten",
                ("Leden van BIN's", "340", "500", "leden"),
                ["Jaarlijkse BIN-avond", "Berichtgeving via sms en e-mail"],
                ("3000", True, FundingSource.OWN),
            ),
        ],
    ),
    (
        "Minder drugsoverlast in het stationsgebied",
        ["drugs", "nuisance"],
        [
            (
                "Straathoekwerk op vrijdag- en zaterdagavond",
                "Tom Wouters",
                ["Straathoekwerk Lindenberg", "Wijkpolitie Centrum"],
                "Werkgroep jeugd en overlast",
                "Vaste aanwezigheid van straathoekwerk op het stationsplein",
                ("Meldingen van drugsoverlast", "96", "60", "meldingen"),
                ["Aanwerving halftijds straathoekwerker", "Afspraken met de spoorwegpolitie"],
                ("28000", False, FundingSource.REGIONAL),
            ),
        ],
    ),
    (
        "Veilige schoolomgevingen",
        ["traffic_safety"],
        [
            (
                "Schoolstraten aan drie basisscholen",
                "Lies Goossens",
                ["Dienst Mobiliteit", "Scholengemeenschap Lindenberg"],
                None,
                "Drie schoolstraten ingericht en gehandhaafd",
                ("Verkeersongevallen met kinderen", "7", "2", "ongevallen"),
                ["Proefperiode in de Kerkstraat", "Evaluatie met ouders"],
                ("18500", True, FundingSource.OWN),
            ),
        ],
    ),
    (
        "Jongeren vinden hun plaats in de openbare ruimte",
        ["nuisance", "violence"],
        [
            (
                "Pleinwerking in de zomermaanden",
                "Lies Goossens",
                ["Jeugddienst", "Jeugdhuis De Kelder"],
                "Werkgroep jeugd en overlast",
                "Elke zomer acht weken pleinwerking op drie pleinen",
                ("Klachten over jongerenoverlast", "58", "35", "klachten"),
                ["Inschakelen jobstudenten", "Buurtgesprek in de Stationsbuurt"],
                ("9500", True, FundingSource.OWN),
            ),
            (
                "Herstelbemiddeling na overlast",
                "Tom Wouters",
                ["Bemiddelingsdienst Lindenberg"],
                None,
                "Bemiddeling aangeboden bij elke GAS-boete voor minderjarigen",
                ("Bemiddelingen per jaar", "10", "40", "bemiddelingen"),
                ["Protocol met de sanctionerend ambtenaar"],
                ("4000", False, FundingSource.OTHER),
            ),
        ],
    ),
    (
        "Weerbaarheid tegen radicalisering en cybercriminaliteit",
        ["radicalisation", "cybercrime"],
        [
            (
                "Vorming voor eerstelijnswerkers",
                "Els Mertens",
                ["De Brug, begeleiding van minderjarigen", "Scholengemeenschap Lindenberg"],
                None,
                "Honderd eerstelijnswerkers kennen de signalen en het doorverwijspad",
                ("Gevormde eerstelijnswerkers", "0", "100", "personen"),
                ["Twee vormingsdagen per jaar", "Infosessie phishing voor senioren"],
                ("6000", True, FundingSource.FEDERAL),
            ),
        ],
    ),
]

# (title, period, goals used, state to reach)
PLANS = [
    ("Veiligheidsplan 2026–2031 (ontwerp)", (2026, 2031), 3, PlanState.DRAFT),
    ("Actieprogramma integrale veiligheid 2026–2031", (2026, 2031), 4, PlanState.COLLEGE_REVIEW),
    ("Veiligheidsplan Stationsbuurt 2026–2028", (2026, 2028), 3, PlanState.CONSULTATION),
    ("Veiligheidsplan Molenwijk 2025–2030", (2025, 2030), 4, PlanState.REVISION),
    ("Veiligheidsplan scholen 2025–2030", (2025, 2030), 3, PlanState.COLLEGE_ADOPTION),
    ("Veiligheidsplan centrum 2025–2030", (2025, 2030), 5, PlanState.COUNCIL_ADOPTION),
    ("Integraal veiligheidsplan 2024–2029", (2024, 2029), 5, PlanState.STEERING),
    ("Integraal veiligheidsplan 2019–2024", (2019, 2024), 3, PlanState.CLOSED),
]
ORDER = [
    PlanState.DRAFT,
    PlanState.COLLEGE_REVIEW,
    PlanState.CONSULTATION,
    PlanState.REVISION,
    PlanState.COLLEGE_ADOPTION,
    PlanState.COUNCIL_ADOPTION,
    PlanState.STEERING,
    PlanState.CLOSED,
]


def seed(municipalities, stdout=None):
    ensure_shipped()
    lindenberg = municipalities.get("lindenberg")
    if lindenberg is not None and not Plan.objects.filter(municipality=lindenberg).exists():
        _seed_lindenberg(lindenberg)
        if stdout:
            stdout.write("Lindenberg: eight plans, one in every state of the workflow.")
    heidebeek = municipalities.get("heidebeek")
    if heidebeek is not None and not Plan.objects.filter(municipality=heidebeek).exists():
        with transaction.atomic():
            plan_create(
                municipality=heidebeek,
                by=_user(heidebeek, Role.COORDINATOR),
                title="Veiligheidsplan Heidebeek 2026–2031",
                period_start=2026,
                period_end=2031,
                summary="Een eerste ontwerp, op te bouwen met de kerngroep.",
            )


def _user(municipality, role, chair=None):
    memberships = Membership.objects.filter(municipality=municipality, role=role)
    if chair is not None:
        memberships = memberships.filter(is_chair=chair)
    membership = memberships.select_related("user").order_by("user__username").first()
    return membership.user if membership else None


@transaction.atomic
def _seed_lindenberg(lindenberg):
    coordinator = _user(lindenberg, Role.COORDINATOR)
    secretary = _user(lindenberg, Role.COUNCIL_SECRETARY)
    college = [
        m.user
        for m in Membership.objects.filter(municipality=lindenberg, role=Role.COLLEGE)
        .select_related("user")
        .order_by("-is_chair", "user__username")
    ]
    actors = {a.name: a for a in Actor.objects.filter(municipality=lindenberg)}
    groups = {g.name: g for g in WorkingGroup.objects.filter(municipality=lindenberg)}
    phenomena = {p.code: p for p in Phenomenon.objects.filter(municipality=None)}
    meeting = _planning_meeting(lindenberg, coordinator)
    for title, (first, last), goal_count, target in PLANS:
        plan = plan_create(
            municipality=lindenberg,
            by=coordinator,
            title=title,
            period_start=first,
            period_end=last,
            summary=(
                "Lindenberg werkt samen met zijn partners aan een veilige en leefbare gemeente. "
                "Dit plan bundelt de doelstellingen, de actieplannen en de middelen."
            ),
        )
        for goal in GOALS[:goal_count]:
            _add_goal(plan, goal, coordinator, actors, groups, phenomena, first)
        _move(plan, target, meeting, coordinator, secretary, college)


def _planning_meeting(lindenberg, coordinator):
    core_group = CoreGroup.objects.filter(municipality=lindenberg).first()
    return meeting_schedule(
        core_group=core_group,
        starts_at=timezone.now() - datetime.timedelta(days=20),
        place="Stadhuis, raadzaal",
        agenda=["Bespreking van de veiligheidsplannen"],
        by=coordinator,
        invite=False,
    )


def _add_goal(plan, data, by, actors, groups, phenomena, first_year):
    title, codes, action_plans = data
    goal = item_add(
        item=Goal(plan=plan, title=title),
        by=by,
        phenomena=[phenomena[code] for code in codes],
    )
    for (
        ap_title,
        promotor,
        partners,
        group,
        result_text,
        (indicator, baseline, target, unit),
        actions,
        (amount, available, source),
    ) in action_plans:
        action_plan = item_add(
            item=ActionPlan(
                goal=goal,
                title=ap_title,
                promotor=actors.get(promotor),
                working_group=groups.get(group) if group else None,
                start=datetime.date(first_year, 1, 1),
                end=datetime.date(first_year + 2, 12, 31),
            ),
            by=by,
            partners=[actors[name] for name in partners if name in actors],
        )
        result = item_add(item=ExpectedResult(action_plan=action_plan, text=result_text), by=by)
        item_add(
            item=Indicator(
                expected_result=result,
                name=indicator,
                type=IndicatorType.OUTCOME,
                objectivity=Objectivity.OBJECTIVE,
                source="Politiezone Lindenberg",
                unit=unit,
                baseline=Decimal(baseline),
                target=Decimal(target),
                frequency="yearly",
            ),
            by=by,
        )
        for number, action in enumerate(actions, start=1):
            item_add(
                item=Action(
                    action_plan=action_plan,
                    title=action,
                    due=datetime.date(first_year, 3 * number, 28),
                ),
                by=by,
            )
        item_add(
            item=Resource(
                action_plan=action_plan,
                kind="budget",
                amount=Decimal(amount),
                unit="EUR",
                availability=Availability.AVAILABLE if available else Availability.REQUIRED,
                funding_source=source,
            ),
            by=by,
        )


# (text, name, organisation, spam)
REMARKS = [
    (
        "Graag meer verlichting in het stationspark; 's avonds voel ik me er niet veilig.",
        "Anne",
        "",
        False,
    ),
    (
        "Straathoekwerk op vrijdag is goed, maar ook op woensdagmiddag is er overlast.",
        "",
        "",
        False,
    ),
    (
        "Onze buurtvereniging wil meewerken aan de BIN-avond.",
        "Karel De Smet",
        "Buurtvereniging Molenwijk",
        False,
    ),
    (
        "De schoolstraat in de Kerkstraat zorgt voor sluipverkeer in de Molenstraat.",
        "Ilse",
        "",
        False,
    ),
    ("Kan de politie vaker te voet patrouilleren in het centrum?", "", "", False),
    (
        "De handelaars vragen camera's op de Markt na de inbraken van vorige winter.",
        "",
        "Handelaarsvereniging Centrum",
        False,
    ),
    (
        "Mijn buurman parkeert altijd op het voetpad, wat gaat de gemeente daaraan doen?",
        "Geert",
        "",
        False,
    ),
    ("Meer aandacht voor phishing bij senioren, mijn moeder werd opgelicht.", "", "", False),
    (
        "Jongeren hebben nood aan een plek om samen te komen, niet alleen aan handhaving.",
        "",
        "Jeugdhuis De Kelder",
        False,
    ),
    (
        "Het budget voor diefstalpreventieadvies lijkt me te klein voor de hele gemeente.",
        "",
        "",
        False,
    ),
    ("Buy cheap watches now!!! www.example.invalid", "", "", True),
    ("Goede plannen, maar hoe meten jullie of de overlast echt daalt?", "Sarah", "", False),
    ("Fietsdiefstal aan het station wordt nergens vermeld.", "", "", False),
    ("De pleinwerking in de zomer mag ook in de Kerkwijk.", "", "BIN Kerkwijk", False),
    ("CASINO BONUS 500% click here", "", "", True),
    ("Ik mis een actie rond huiselijk geweld.", "", "", False),
    ("Kunnen de gemeenschapswachten ook 's avonds werken?", "Tom", "", False),
    ("De drugsoverlast verplaatst zich naar de parking achter de bibliotheek.", "", "", False),
    ("Betere verlichting in de tunnel onder de spoorweg, graag.", "", "", False),
    ("Waarom staat cybercriminaliteit pas als laatste doelstelling?", "", "", False),
    (
        "Meer samenwerking met de scholen rond verkeersveiligheid.",
        "",
        "Scholengemeenschap Lindenberg",
        False,
    ),
    ("Een buurtbemiddelaar in de Stationsbuurt zou veel conflicten voorkomen.", "", "", False),
    ("cheap pills online no prescription", "", "", True),
    ("Het plan is duidelijk geschreven, dank u.", "Marie", "", False),
    ("Hoe kan ik mij aansluiten bij een buurtinformatienetwerk?", "", "", False),
]
VERDICTS = ["accepted", "partly", "not_accepted", "accepted", "partly", "accepted"]


def _remarks(plan, coordinator, remarks):
    """Remarks sent on the public page (each from its own test address), spam marked."""
    made = []
    for number, (text, name, organisation, spam) in enumerate(remarks, start=1):
        remark = remark_submit(
            plan=plan,
            text=text,
            address=f"192.0.2.{number}",
            name=name,
            organisation=organisation,
            name_public=bool(organisation),
        )
        if spam:
            remark_moderate(remark=remark, by=coordinator, status=RemarkStatus.SPAM)
        else:
            made.append(remark)
    return made


def _vote_all(vote_round, college, choice="approve"):
    for member in college:
        vote_cast(vote_round=vote_round, member=member, choice=choice)


def _move(plan, target, meeting, coordinator, secretary, college):
    """Move ``plan`` to ``target`` along the workflow, each step by the role whose step it is."""
    steps = ORDER[: ORDER.index(target) + 1]
    if PlanState.COLLEGE_REVIEW not in steps:
        return
    item = meeting.agenda_items.first()
    if not item.decisions.exists():
        decision_record(
            meeting=meeting,
            agenda_item=item,
            text="De kerngroep bespreekt de plannen en legt ze voor aan het college.",
            consensus=True,
            by=coordinator,
        )
    discussion_record(plan=plan, agenda_item=item, by=coordinator)
    now = timezone.now()
    consultation_set_dates(
        plan=plan,
        opens=now - datetime.timedelta(days=10),
        closes=now + datetime.timedelta(days=20),
        by=coordinator,
    )
    vote_round = plan_submit_to_college(plan=plan, by=coordinator)
    if target == PlanState.COLLEGE_REVIEW:
        # Two votes cast, three still to come.
        vote_cast(vote_round=vote_round, member=college[1], choice="approve")
        vote_cast(
            vote_round=vote_round,
            member=college[2],
            choice="abstain",
            comment="Ik wil eerst de budgetraming van de straathoekwerking zien.",
        )
        return
    _vote_all(vote_round, college)
    if target == PlanState.CONSULTATION:
        _remarks(plan, coordinator, REMARKS)
        return
    if target == PlanState.REVISION:
        remarks = _remarks(plan, coordinator, REMARKS[:6])
    consultation_close(plan=plan, by=coordinator, reason="Demo: de inspraak is afgerond.")
    if target == PlanState.REVISION:
        for remark, verdict in zip(remarks, VERDICTS, strict=False):
            response_write(
                remark=remark,
                by=coordinator,
                verdict=verdict,
                motivation="De werkgroep bekeek de opmerking; het actieplan is bijgestuurd.",
            )
        return
    vote_round = plan_submit_for_adoption(plan=plan, by=coordinator)
    if target == PlanState.COLLEGE_ADOPTION:
        vote_cast(vote_round=vote_round, member=college[0], choice="approve")
        return
    _vote_all(vote_round, college)
    if target == PlanState.COUNCIL_ADOPTION:
        return
    council_decision_record(
        plan=plan,
        by=secretary,
        date=timezone.localdate() - datetime.timedelta(days=2),
        reference=f"GR/{plan.period_start}/0{plan.pk}",
        votes_for=19,
        votes_against=6,
        votes_abstain=2,
        adopted=True,
    )
    mayor = college[0]
    if target == PlanState.STEERING:
        demo_steering.follow_up(
            plan,
            coordinator=coordinator,
            mayor=mayor,
            reports_from=datetime.date(plan.period_start, 10, 1),
            until=timezone.localdate(),
            open_obstacle=True,
        )
    if target == PlanState.CLOSED:
        demo_steering.follow_up(
            plan,
            coordinator=coordinator,
            mayor=mayor,
            reports_from=datetime.date(plan.period_start, 1, 1),
            until=datetime.date(plan.period_end, 12, 31),
            open_obstacle=False,
        )
        demo_steering.evaluate(plan, coordinator=coordinator)
        plan_close(
            plan=plan, by=coordinator, reason="De planperiode is afgelopen; evaluatie opgemaakt."
        )
