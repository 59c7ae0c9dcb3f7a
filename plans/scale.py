"""The plans' part of ``seed_scale``: three plans of 8 strategic goals × 25 action plans × 5
actions (with expected results, indicators, resources and partners), moved through the real
services to three states:

* in steering (phase 4): adopted by college and council, 2,000 progress reports, measurements
  of every indicator, the action plans' status following their reports and actions ticked off
  (~500 changes in the plan's history), an obstacle answered by the mayor and one waiting;
* in public consultation (phase 2): open, with 200 remarks, some published, some spam, some
  answered;
* before the college (phase 1): an open approval round, two of five members have voted.

The content goes in bulk (each row with its history record); submitting, voting, closing the
consultation and the council's decision go through the services, which make the snapshots,
the vote rounds, the adopted document and the workflow's records."""

import datetime
from decimal import Decimal

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_noop

from actors.constants import ActorForm
from actors.models import Actor
from coregroup.models import AgendaItem, WorkingGroup
from plans.constants import (
    ACTION_PLAN_STATUS_OF_REPORT,
    Availability,
    Frequency,
    FundingSource,
    IndicatorType,
    Objectivity,
    RemarkSource,
    RemarkStatus,
    ReportStatus,
    ResourceKind,
    Verdict,
    VoteChoice,
)
from plans.data import ensure_shipped
from plans.models import (
    Action,
    ActionPlan,
    ActionPlanPartner,
    ActionPlanUserObjectPermission,
    ExpectedResult,
    Goal,
    GoalPhenomenon,
    Indicator,
    Measurement,
    Phenomenon,
    Plan,
    ProgressReport,
    Remark,
    Resource,
    Response,
)
from plans.periods import period_of
from plans.services import (
    consultation_close,
    consultation_set_dates,
    council_decision_record,
    discussion_record,
    plan_create,
    plan_submit_for_adoption,
    plan_submit_to_college,
    vote_cast,
)
from plans.services.consultation import REFERENCE_ALPHABET, address_hash
from plans.services.steering import escalation_answer, escalation_raise, grace_days
from safetynet.constants import Role
from safetynet.documents import render_document

# The volume of each plan, per size of the run.
SIZES = {
    "full": {
        "goals": 8,
        "action_plans": 25,  # per goal
        "actions": 5,  # per action plan
        "partners": 2,  # per action plan
        "reports": 2000,  # of the plan in steering
        "remarks": 200,  # of the plan in consultation
        "steering_remarks": 20,  # of the consultation the plan in steering went through
        "history_changes": 500,  # status and ticked actions in the steering plan's history
    },
    "small": {
        "goals": 2,
        "action_plans": 3,
        "actions": 2,
        "partners": 1,
        "reports": 24,
        "remarks": 10,
        "steering_remarks": 3,
        "history_changes": 10,
    },
}
ANSWERED_EVERY = 5  # two remarks in five of the open consultation have an answer (0 and 1)
SPAM_EVERY = 10
PUBLISHED_EVERY = 3  # … and two in three are published
REPORT_MONTHS = 3  # the steering plan's reports are quarterly
MEASUREMENT_MONTHS = 6

TOPICS = [
    ("Het aantal woninginbraken daalt", "woninginbraak", "Woninginbraken per jaar", 210, 170),
    ("Minder drugsoverlast in het stationsgebied", "drugsoverlast", "Meldingen van drugsoverlast",
     96, 60),
    ("Veilige schoolomgevingen", "schoolomgeving", "Verkeersongevallen met kinderen", 12, 4),
    ("Jongeren vinden hun plaats in de openbare ruimte", "jongerenoverlast",
     "Klachten over jongerenoverlast", 58, 35),
    ("Weerbaarheid tegen radicalisering", "radicalisering", "Gevormde eerstelijnswerkers", 0, 100),
    ("Minder fietsdiefstal", "fietsdiefstal", "Fietsdiefstallen per jaar", 320, 250),
    ("Een veilig nachtleven", "nachtleven", "Incidenten in het uitgaansgebied", 140, 100),
    ("Senioren beschermd tegen oplichting", "oplichting", "Aangiften van phishing", 75, 50),
]  # fmt: skip
ACTION_VERBS = [
    "Campagne", "Overleg met partners", "Opleiding", "Controleacties", "Evaluatie",
    "Buurtgesprek", "Aankoop materiaal", "Rapportering",
]  # fmt: skip
REPORT_TEXTS = {
    ReportStatus.NOT_STARTED: "De werkgroep bereidt de start voor; de partners zijn aangeschreven.",
    ReportStatus.ON_TRACK: "De acties lopen volgens planning; de partners leveren wat is "
    "afgesproken.",
    ReportStatus.AT_RISK: "Een partner trekt zich terug; zonder vervanging halen we het resultaat "
    "niet.",
    ReportStatus.DELAYED: "De aanbesteding liep vertraging op; de uitvoering schuift een "
    "kwartaal op.",
    ReportStatus.DONE: "Het actieplan is uitgevoerd; het verwachte resultaat is bereikt.",
}
REMARK_TEXTS = [
    "Graag meer verlichting in het park; 's avonds voel ik me er niet veilig.",
    "Straathoekwerk op vrijdag is goed, maar ook op woensdagmiddag is er overlast.",
    "Onze buurtvereniging wil meewerken aan de acties in de wijk.",
    "De schoolstraat zorgt voor sluipverkeer in de straten ernaast.",
    "Kan de politie vaker te voet patrouilleren in het centrum?",
    "Meer aandacht voor phishing bij senioren, mijn moeder werd opgelicht.",
    "Jongeren hebben nood aan een plek om samen te komen, niet alleen aan handhaving.",
    "Hoe meten jullie of de overlast echt daalt?",
]
SPAM_TEXT = "Buy cheap watches now!!! www.example.invalid"
CHANGED_STATUS = gettext_noop("Status from the latest progress report")
TICKED = gettext_noop("Ticked off in a progress report")


def seed(run) -> None:
    ensure_shipped()
    context = _Context(run)
    year = run.today.year
    _steering_plan(context, year)
    _consultation_plan(context, year)
    _college_plan(context, year)


class _Context:
    """What the three plans share: the municipality's people, actors and groups."""

    def __init__(self, run):
        self.run = run
        self.size = SIZES[run.size]
        municipality = run.municipality
        actors = Actor.objects.filter(municipality=municipality, active=True).order_by("pk")
        keyed = {a.external_key: a for a in actors if a.external_key}
        self.promotors = [a for key, a in keyed.items() if key.startswith("promotor")]
        self.partners = [a for a in actors if a.form == ActorForm.ORGANISATION][:200]
        self.groups = list(WorkingGroup.objects.filter(municipality=municipality).order_by("pk"))
        self.phenomena = list(Phenomenon.objects.filter(municipality=None).order_by("order"))
        self.coordinator = run.coordinator
        self.college = run.users[Role.COLLEGE]  # the chair first
        self.secretary = run.users[Role.COUNCIL_SECRETARY][0]
        # Where the kerngroep discussed the plans: the latest meeting held, with its decision.
        self.agenda_item = (
            AgendaItem.objects.filter(
                meeting__municipality=municipality,
                meeting__core_group__isnull=False,
                decisions__isnull=False,
            )
            .order_by("-meeting__starts_at")
            .first()
        )
        content_type = ContentType.objects.get_for_model(ActionPlan)
        self.change_permission = Permission.objects.get(
            content_type=content_type, codename="change_actionplan"
        )


# --- The content -------------------------------------------------------------------------------


def _content(context, plan, start: datetime.date, end: datetime.date) -> dict:
    """Goals, action plans and what hangs under them, in bulk; the promotors' grants."""
    run, size = context.run, context.size
    rng = run.rng
    goals = run.bulk(
        Goal,
        [
            Goal(
                plan=plan,
                order=number,
                title=TOPICS[number % len(TOPICS)][0],
                description="Een strategische doelstelling van het plan, afgestemd met de zone.",
                police_plan_reference=f"ZVP {number + 1}",
            )
            for number in range(size["goals"])
        ],
    )
    run.bulk(
        GoalPhenomenon,
        [
            GoalPhenomenon(goal=goal, phenomenon=phenomenon)
            for number, goal in enumerate(goals)
            for phenomenon in {
                context.phenomena[number % len(context.phenomena)],
                context.phenomena[(number * 3 + 1) % len(context.phenomena)],
            }
        ],
    )
    action_plans = []
    for goal_number, goal in enumerate(goals):
        topic = TOPICS[goal_number % len(TOPICS)][1]
        for number in range(size["action_plans"]):
            serial = goal_number * size["action_plans"] + number
            action_plans.append(
                ActionPlan(
                    goal=goal,
                    order=number,
                    title=f"Actieplan {topic} {number + 1}",
                    description="Wat de partners samen doen, met wie en tegen wanneer.",
                    priority=1 + serial % 3,
                    promotor=context.promotors[serial % len(context.promotors)],
                    working_group=context.groups[serial % len(context.groups)]
                    if context.groups and serial % 3 == 0
                    else None,
                    start=start,
                    end=end,
                )
            )
    action_plans = run.bulk(ActionPlan, action_plans)
    partners, results, actions, resources = [], [], [], []
    for serial, action_plan in enumerate(action_plans):
        chosen = {
            context.partners[(serial * size["partners"] + k) % len(context.partners)].pk
            for k in range(size["partners"])
        }
        partners += [ActionPlanPartner(action_plan=action_plan, actor_id=pk) for pk in chosen]
        results.append(
            ExpectedResult(
                action_plan=action_plan, text=f"Het resultaat van {action_plan.title.lower()}"
            )
        )
        for number in range(size["actions"]):
            due = start + datetime.timedelta(days=90 * (number + 1) + serial % 30)
            actions.append(
                Action(
                    action_plan=action_plan,
                    order=number,
                    title=f"{ACTION_VERBS[(serial + number) % len(ACTION_VERBS)]} {number + 1}",
                    priority=1 + number % 3,
                    due=min(due, end),
                )
            )
        resources.append(
            Resource(
                action_plan=action_plan,
                kind=ResourceKind.BUDGET,
                amount=Decimal(1000 * rng.randrange(2, 40)),
                unit="EUR",
                availability=Availability.AVAILABLE if serial % 4 else Availability.REQUIRED,
                funding_source=list(FundingSource.values)[serial % len(FundingSource.values)],
            )
        )
        if size["partners"] > 1:
            resources.append(
                Resource(
                    action_plan=action_plan,
                    order=1,
                    kind=ResourceKind.STAFF,
                    amount=Decimal("0.5"),
                    unit="FTE",
                    availability=Availability.AVAILABLE,
                )
            )
    run.bulk(ActionPlanPartner, partners)
    results = run.bulk(ExpectedResult, results)
    actions = run.bulk(Action, actions)
    run.bulk(Resource, resources)
    topic_of = {goal.pk: TOPICS[number % len(TOPICS)] for number, goal in enumerate(goals)}
    plan_of_result = {ap.pk: ap for ap in action_plans}
    indicators = run.bulk(
        Indicator,
        [
            Indicator(
                expected_result=result,
                name=topic_of[plan_of_result[result.action_plan_id].goal_id][2],
                type=IndicatorType.OUTCOME,
                objectivity=Objectivity.OBJECTIVE,
                source="Lokale politie",
                unit="feiten",
                baseline=Decimal(topic_of[plan_of_result[result.action_plan_id].goal_id][3]),
                target=Decimal(topic_of[plan_of_result[result.action_plan_id].goal_id][4]),
                frequency=Frequency.QUARTERLY,
            )
            for result in results
        ],
    )
    _grant_promotors(context, action_plans)
    return {"goals": goals, "action_plans": action_plans, "actions": actions,
            "indicators": indicators}  # fmt: skip


def _grant_promotors(context, action_plans) -> None:
    """The promotor's account may edit their action plan: the personal grant the service
    ``item_add`` gives, in bulk."""
    users = {a.pk: a.user_id for a in context.promotors if a.user_id}
    grants = [
        ActionPlanUserObjectPermission(
            user_id=users[ap.promotor_id],
            permission=context.change_permission,
            content_object=ap,
        )
        for ap in action_plans
        if ap.promotor_id in users
    ]
    ActionPlanUserObjectPermission.objects.bulk_create(grants, batch_size=1000)
    context.run.rows += len(grants)


def _create(context, title: str, first: int, last: int) -> Plan:
    plan = plan_create(
        municipality=context.run.municipality,
        by=context.coordinator,
        title=title,
        period_start=first,
        period_end=last,
        summary=f"{context.run.municipality.name} werkt samen met zijn partners aan een veilige "
        "en leefbare gemeente. Dit plan bundelt de doelstellingen, de actieplannen en de middelen.",
    )
    context.run.rows += 1
    return plan


def _submit(context, plan) -> object:
    """The kerngroep discussed this version; the coordinator submits it to the college."""
    discussion_record(plan=plan, agenda_item=context.agenda_item, by=context.coordinator)
    return plan_submit_to_college(plan=plan, by=context.coordinator)


def _vote_all(context, vote_round) -> None:
    for member in context.college:
        vote_cast(vote_round=vote_round, member=member, choice=VoteChoice.APPROVE)


# --- Remarks -----------------------------------------------------------------------------------


def _reference(index: int, plan_number: int, number: int) -> str:
    """A unique reference: the municipality, the plan and the remark, in the alphabet of the
    public page's references."""
    value = ((index * 4 + plan_number) << 15) + number
    letters = []
    for _ in range(6):
        value, digit = divmod(value, len(REFERENCE_ALPHABET))
        letters.append(REFERENCE_ALPHABET[digit])
    return "R-" + "".join(reversed(letters))


def _remarks(context, plan, plan_number: int, count: int, goals, action_plans, *, answer_all):
    run = context.run
    opens = timezone.localdate(plan.consultation_opens)
    remarks = []
    for number in range(count):
        spam = number % SPAM_EVERY == SPAM_EVERY - 1
        organisation = context.partners[number % len(context.partners)] if number % 4 == 0 else None
        published = not spam and number % PUBLISHED_EVERY != 2
        text = SPAM_TEXT if spam else REMARK_TEXTS[number % len(REMARK_TEXTS)]
        online = number % 5 != 4
        remarks.append(
            Remark(
                plan=plan,
                reference=_reference(run.index, plan_number, number),
                text=text,
                name="" if spam else f"Inwoner {number + 1}",
                email=f"inwoner{number + 1}@example.org" if number % 3 == 0 else "",
                organisation=organisation.name if organisation else "",
                name_public=organisation is not None,
                goal=goals[number % len(goals)] if number % 2 == 0 and not spam else None,
                action_plan=action_plans[number % len(action_plans)]
                if number % 2 == 1 and not spam
                else None,
                source=RemarkSource.ONLINE if online else RemarkSource.LETTER,
                received_on=opens + datetime.timedelta(days=number % 10),
                status=RemarkStatus.SPAM
                if spam
                else RemarkStatus.PUBLISHED
                if published
                else RemarkStatus.NEW,
                redacted_text=text if published else "",
                address_hash=address_hash(f"192.0.2.{number % 250}") if online else "",
            )
        )
    taken = set(
        Remark.objects.filter(reference__in=[r.reference for r in remarks]).values_list(
            "reference", flat=True
        )
    )
    for remark in remarks:  # a reference a real remark drew by chance
        while remark.reference in taken:
            remark.reference = "R-" + "".join(run.rng.choice(REFERENCE_ALPHABET) for _ in "123456")
    for remark in remarks:  # sent on the public page without an account, or by letter
        remark._history_user = None if remark.source == RemarkSource.ONLINE else run.coordinator
    remarks = run.bulk(Remark, remarks, reason=gettext_noop("Remark received"))
    answered = [
        remark
        for number, remark in enumerate(remarks)
        if remark.status != RemarkStatus.SPAM and (answer_all or number % ANSWERED_EVERY < 2)
    ]
    run.bulk(
        Response,
        [
            Response(
                remark=remark,
                verdict=list(Verdict.values)[number % len(Verdict.values)],
                motivation="De werkgroep bekeek de opmerking; het actieplan is bijgestuurd.",
                changed_action_plan=remark.action_plan,
            )
            for number, remark in enumerate(answered)
        ],
        reason=gettext_noop("Response written"),
    )


# --- The plan in steering ----------------------------------------------------------------------


def _steering_plan(context, year: int) -> None:
    run, size = context.run, context.size
    action_plan_count = size["goals"] * size["action_plans"]
    per_action_plan = -(-size["reports"] // action_plan_count)  # rounded up
    # Quarterly periods back from the last one ended: one more than an action plan reports on,
    # so most action plans owe their latest report.
    grace = grace_days()
    latest = period_of(run.today, REPORT_MONTHS, grace)
    periods = []
    for _ in range(per_action_plan + 1):
        latest = period_of(latest.start - datetime.timedelta(days=1), REPORT_MONTHS, grace)
        periods.insert(0, latest)
    adopted_on = periods[0].start  # the council's decision: reports are owed from here on
    plan = _create(
        context, f"Integraal veiligheidsplan {adopted_on.year}–{adopted_on.year + 5}",
        adopted_on.year, adopted_on.year + 5,
    )  # fmt: skip
    end = datetime.date(adopted_on.year + 5, 12, 31)
    content = _content(context, plan, adopted_on, end)
    now = timezone.now()
    consultation_set_dates(
        plan=plan,
        opens=now - datetime.timedelta(days=60),
        closes=now - datetime.timedelta(days=30),
        by=context.coordinator,
    )
    vote_round = _submit(context, plan)
    _vote_all(context, vote_round)
    plan.refresh_from_db()
    _remarks(context, plan, 0, size["steering_remarks"], content["goals"],
             content["action_plans"], answer_all=True)  # fmt: skip
    consultation_close(plan=plan, by=context.coordinator)
    adoption = plan_submit_for_adoption(plan=plan, by=context.coordinator)
    _ensure_rendered(adoption)
    _vote_all(context, adoption)
    council_decision_record(
        plan=plan,
        by=context.secretary,
        date=adopted_on,
        reference=f"GR/{adopted_on.year}/{run.index:03d}",
        votes_for=19,
        votes_against=6,
        votes_abstain=2,
        adopted=True,
    )
    _reports(context, content, periods)
    _measurements(context, content["indicators"], adopted_on)
    _obstacles(context, plan, content)


def _ensure_rendered(vote_round) -> None:
    """The college votes on the adopted document once it is readable: with a task worker
    (production settings) it would still be queued, so it is rendered here."""
    document = vote_round.document
    if document is not None and not document.is_ready:
        render_document.call(document.pk)
        document.refresh_from_db()


def _story(index: int, count: int) -> list[tuple[str, int]]:
    """Status and percent of each of an action plan's ``count`` reports: most on track, some
    at risk or delayed at the end, some done."""
    story = []
    for number in range(count):
        percent = min(100, round(100 * (number + 1) / (count + 2)))
        status = ReportStatus.NOT_STARTED if number == 0 else ReportStatus.ON_TRACK
        story.append((status, percent if number else 5))
    if index % 6 == 2:
        story[-1] = (ReportStatus.AT_RISK, max(0, story[-1][1] - 10))
    elif index % 6 == 4 and count > 2:
        story[-2:] = [(ReportStatus.DELAYED, story[-3][1])] * 2
    elif index % 6 == 5 and count > 2:
        story[-1] = (ReportStatus.DONE, 100)
    return story


def _report_counts(total: int, action_plans: int, periods: int) -> list[int]:
    """How many reports each action plan wrote: a third all periods, a third one fewer, a
    third two fewer (rounded so that the total is ``total``)."""
    base = min(total // action_plans, periods - 1)
    counts = [min(periods, max(1, base + (1 - i % 3))) for i in range(action_plans)]
    difference = total - sum(counts)
    i = 0
    while difference and i < 10 * action_plans:
        j = i % action_plans
        if difference > 0 and counts[j] < periods:
            counts[j] += 1
            difference -= 1
        elif difference < 0 and counts[j] > 1:
            counts[j] -= 1
            difference += 1
        i += 1
    return counts


def _reports(context, content, periods) -> None:
    """The promotors' reports; each action plan's status follows its latest report and some
    actions are ticked off, in history as changes."""
    run, size = context.run, context.size
    action_plans = content["action_plans"]
    actions_of = {}
    for action in content["actions"]:
        actions_of.setdefault(action.action_plan_id, []).append(action)
    accounts = {user.pk: user for user in run.users[Role.PROMOTOR]}
    users = {a.pk: accounts.get(a.user_id, context.coordinator) for a in context.promotors}
    counts = _report_counts(size["reports"], len(action_plans), len(periods))
    reports, changed = [], []
    for index, (action_plan, count) in enumerate(zip(action_plans, counts, strict=True)):
        story = _story(index, count)
        for period, (status, percent) in zip(periods[:count], story, strict=True):
            report = ProgressReport(
                action_plan=action_plan,
                period_end=period.end,
                date=min(period.end + datetime.timedelta(days=7), run.today),
                author=users.get(action_plan.promotor_id, context.coordinator),
                status=status,
                percent=percent,
                text=REPORT_TEXTS[status],
                budget_spent=Decimal(100 * percent),
            )
            report._history_user = report.author  # the promotor reported
            reports.append(report)
        status = ACTION_PLAN_STATUS_OF_REPORT[story[-1][0]]
        if action_plan.status != status:
            action_plan.status = status
            changed.append(action_plan)
    # The rest of the history's changes: actions ticked off, each in its action plan's first
    # reports (the report lists them).
    ticks = max(0, size["history_changes"] - len(changed))
    reports_of = {}
    for report in reports:
        reports_of.setdefault(report.action_plan_id, []).append(report)
    ticked = []
    per_plan = -(-ticks // len(action_plans)) if ticks else 0
    for action_plan in action_plans:
        for number, action in enumerate(actions_of[action_plan.pk][:per_plan]):
            if len(ticked) == ticks or number >= len(reports_of[action_plan.pk]):
                break
            action.done = True
            ticked.append(action)
            reports_of[action_plan.pk][number].actions_done = [action.pk]
    by = context.coordinator
    run.bulk(ProgressReport, reports, reason=gettext_noop("Progress reported"))
    run.bulk_update(ActionPlan, changed, ["status"], by=by, reason=CHANGED_STATUS)
    run.bulk_update(Action, ticked, ["done"], by=by, reason=TICKED)


def _measurements(context, indicators, adopted_on: datetime.date) -> None:
    """A measurement of every indicator each half year since the adoption, moving from the
    baseline towards the target (some slower)."""
    run = context.run
    days = []
    day = period_of(adopted_on, MEASUREMENT_MONTHS, 0).end
    while day <= run.today:
        days.append(day)
        day = period_of(day + datetime.timedelta(days=1), MEASUREMENT_MONTHS, 0).end
    measurements = []
    for number, indicator in enumerate(indicators):
        step = (indicator.target - indicator.baseline) / (len(days) + 2)
        for count, day in enumerate(days, start=1):
            wobble = Decimal((count + number) % 3 - 1) * abs(step) / 3
            value = indicator.baseline + step * count * (Decimal("0.6") if number % 3 == 2 else 1)
            measurements.append(
                Measurement(
                    indicator=indicator,
                    date=day,
                    value=(value + wobble).quantize(Decimal("0.01")),
                    source=indicator.source,
                    author=context.coordinator,
                )
            )
    run.bulk(Measurement, measurements, reason=gettext_noop("Measurement recorded"))


def _obstacles(context, plan, content) -> None:
    goal = content["goals"][0]
    answered = escalation_raise(
        plan=plan,
        by=context.coordinator,
        goal=goal,
        text="De politiezone kan de afgesproken patrouilles niet meer leveren door "
        "personeelstekort. Kan de burgemeester dit op de zonale veiligheidsraad brengen?",
    )
    escalation_answer(
        escalation=answered,
        by=context.college[0],
        answer="Ik breng het op de volgende zonale veiligheidsraad en houd u op de hoogte.",
    )
    escalation_raise(
        plan=plan,
        by=context.coordinator,
        action_plan=content["action_plans"][min(2, len(content["action_plans"]) - 1)],
        text="De vzw die de buurtbemiddeling zou doen, trekt zich terug; een beslissing van het "
        "college over extra middelen is nodig.",
    )
    context.run.rows += 2


# --- The plan in consultation and the plan before the college ---------------------------------


def _consultation_plan(context, year: int) -> None:
    plan = _create(context, f"Veiligheidsplan {year + 1}–{year + 6}", year + 1, year + 6)
    content = _content(
        context, plan, datetime.date(year + 1, 1, 1), datetime.date(year + 3, 12, 31)
    )
    now = timezone.now()
    consultation_set_dates(
        plan=plan,
        opens=now - datetime.timedelta(days=10),
        closes=now + datetime.timedelta(days=20),
        by=context.coordinator,
    )
    vote_round = _submit(context, plan)
    _vote_all(context, vote_round)
    plan.refresh_from_db()
    _remarks(context, plan, 1, context.size["remarks"], content["goals"],
             content["action_plans"], answer_all=False)  # fmt: skip


def _college_plan(context, year: int) -> None:
    plan = _create(
        context, f"Actieprogramma integrale veiligheid {year + 1}–{year + 6}", year + 1, year + 6
    )
    _content(context, plan, datetime.date(year + 1, 1, 1), datetime.date(year + 3, 12, 31))
    vote_round = _submit(context, plan)
    # Two of the five have voted; the chair and two others not yet.
    vote_cast(vote_round=vote_round, member=context.college[1], choice=VoteChoice.APPROVE)
    vote_cast(
        vote_round=vote_round,
        member=context.college[2],
        choice=VoteChoice.ABSTAIN,
        comment="Ik wil eerst de budgetraming zien.",
    )
