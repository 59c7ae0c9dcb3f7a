"""The municipality the bad-input tests post to: Lindenberg with one of everything a form can be
about, and Heidebeek with objects of its own (their ids are the "foreign ids" the strategies
offer). Everything is made through the services, and only when a case asks for it."""

import datetime
from functools import cached_property

from django.utils import timezone

from actors.constants import ActorForm, OrgFunction, OrgLevel, RoleType
from actors.models import ActorKind, SuggestionRule
from actors.services import actor_create, org_unit_create, role_assign, suggestion_dismiss
from coregroup.services import (
    core_group_ensure,
    decision_record,
    document_attach,
    meeting_schedule,
    seat_set_holder,
    task_add,
    working_group_add_member,
    working_group_create,
)
from plans.constants import PlanState, VoteChoice
from plans.models import Plan, Remark, VoteRound
from plans.services import vote_cast
from plans.services.steering import escalation_raise, measurement_record, report_submit
from safetynet.constants import Role
from safetynet.services import municipality_update
from tests.plans.pages_support import (
    person,
    ready_plan,
    submit,
    walk_to,
)
from tests.strategies import PDF_FILE

D = datetime.date


class World:
    def __init__(self, lindenberg, heidebeek, make_member, client):
        self.lindenberg = lindenberg
        self.heidebeek = heidebeek
        self._make_member = make_member
        self.client = client
        self._users = {}

    def shown_form(self, url, key="form"):
        """The form of the page at ``url`` as the logged-in user sees it."""
        from tests.bad_input import page_context

        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return page_context(response)[key]

    # --- People ----------------------------------------------------------------------------

    def user(self, role, municipality=None):
        municipality = municipality or self.lindenberg
        key = (role, municipality.pk)
        if key not in self._users:
            self._users[key] = self._make_member(
                role, municipality=municipality, username=f"{role}-{municipality.slug}"
            )
        return self._users[key]

    @property
    def admin(self):
        return self.user(Role.ADMIN)

    @property
    def coordinator(self):
        return self.user(Role.COORDINATOR)

    @cached_property
    def chair(self):
        return self._make_member(Role.COLLEGE, is_chair=True, username="chair-lindenberg")

    @cached_property
    def college(self):
        """The college: the chair and two members."""
        return [self.chair, self.user(Role.COLLEGE), self._make_member(Role.COLLEGE)]

    @property
    def secretary(self):
        return self.user(Role.COUNCIL_SECRETARY)

    @cached_property
    def promotor(self):
        user = self.user(Role.PROMOTOR)
        self.promotor_actor = person(self.lindenberg, "Sofie Claes", user=user)
        return user

    @cached_property
    def member(self):
        """A person of Lindenberg without a role of note: the one the admin edits."""
        return self.user(Role.VIEWER)

    # --- Heidebeek's objects: ids that are not Lindenberg's ---------------------------------

    @cached_property
    def foreign(self):
        heidebeek = self.heidebeek
        coordinator = self.user(Role.COORDINATOR, heidebeek)
        actor = actor_create(
            municipality=heidebeek,
            by=None,
            form=ActorForm.ORGANISATION,
            name="Politiezone Heidebeek",
            kind=ActorKind.objects.get(municipality=None, code="local_police"),
        )
        plan = ready_plan(heidebeek, coordinator, title="Plan van Heidebeek")
        group = working_group_create(
            municipality=heidebeek, name="Werkgroep Heidebeek", promotor=None, by=None
        )
        return {"actor": actor, "plan": plan, "working_group": group, "user": coordinator}

    # --- Actors ------------------------------------------------------------------------------

    @cached_property
    def actor(self):
        return actor_create(
            municipality=self.lindenberg,
            by=None,
            form=ActorForm.ORGANISATION,
            name="Politiezone Lindenberg",
            kind=ActorKind.objects.get(municipality=None, code="local_police"),
        )

    @cached_property
    def person(self):
        return person(self.lindenberg, "Jan Peeters")

    @cached_property
    def role(self):
        return role_assign(
            actor=self.person, role=RoleType.OTHER, start=D(2024, 1, 1), title="Adviseur", by=None
        )

    @cached_property
    def unit(self):
        return org_unit_create(
            municipality=self.lindenberg,
            by=None,
            name="Burgemeester",
            level=OrgLevel.STRATEGIC,
            function=OrgFunction.MAYOR,
        )

    @cached_property
    def rules(self):
        """Two suggestions of the network's gaps: the first open, the second dismissed."""
        rules = list(SuggestionRule.objects.order_by("pk")[:2])
        municipality_update(
            municipality=self.lindenberg,
            by=None,
            infrastructures=sorted({rule.infrastructure for rule in rules}),
        )
        self.lindenberg.refresh_from_db()
        self._dismissal = suggestion_dismiss(
            municipality=self.lindenberg, rule=rules[1], reason="Niet nodig", by=None
        )
        return rules

    @property
    def dismissal(self):
        return self.rules and self._dismissal

    # --- The kerngroep -----------------------------------------------------------------------

    @cached_property
    def core_group(self):
        return core_group_ensure(municipality=self.lindenberg, by=None)

    @cached_property
    def seat(self):
        seat = self.core_group.seats.order_by("pk").first()
        seat_set_holder(seat=seat, actor=self.person, start=D(2024, 1, 1), by=None)
        return seat

    @cached_property
    def working_group(self):
        group = working_group_create(
            municipality=self.lindenberg, name="Werkgroep woninginbraak", promotor=None, by=None
        )
        self._membership = working_group_add_member(
            working_group=group, actor=self.actor, start=D(2024, 1, 1), by=None
        )
        return group

    @property
    def membership(self):
        return self.working_group and self._membership

    @cached_property
    def meeting(self):
        self.seat  # noqa: B018 (someone is expected at the meeting)
        meeting = meeting_schedule(
            core_group=self.core_group,
            starts_at=timezone.now() - datetime.timedelta(days=1),
            place="Stadhuis",
            agenda=["Veiligheidsplan", "Varia"],
            by=None,
            invite=False,
        )
        self._decision = decision_record(meeting=meeting, text="Akkoord", consensus=True, by=None)
        self._task = task_add(
            decision=self._decision,
            description="Offerte vragen",
            assignee=self.actor,
            due=D(2026, 1, 1),
            by=None,
        )
        return meeting

    @property
    def decision(self):
        return self.meeting and self._decision

    @property
    def task(self):
        return self.meeting and self._task

    @cached_property
    def empty_meeting(self):
        """A meeting without decisions or documents (it may be deleted)."""
        return meeting_schedule(
            core_group=self.core_group,
            starts_at=timezone.now() + datetime.timedelta(days=7),
            place="",
            agenda=[],
            by=None,
            invite=False,
        )

    @cached_property
    def document(self):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return document_attach(
            meeting=self.meeting,
            kind="other",
            title="Nota",
            file=SimpleUploadedFile("nota.pdf", PDF_FILE),
            by=None,
        )

    # --- Plans -------------------------------------------------------------------------------

    @cached_property
    def draft(self):
        """A draft plan, complete and discussed: it may be submitted; its items by kind on
        ``.items``."""
        self.foreign  # noqa: B018 (another municipality's items exist)
        self.college  # noqa: B018 (it may be submitted to them)
        return ready_plan(self.lindenberg, self.coordinator, title="Plan in opmaak")

    @cached_property
    def in_review(self):
        """A plan before the college, its round open."""
        self.college  # noqa: B018 (the electorate)
        plan = ready_plan(self.lindenberg, self.coordinator, title="Plan voor het college")
        self.review_round = submit(plan, self.coordinator)
        return plan

    @cached_property
    def past_deadline(self):
        """A plan before the college whose round's deadline has passed: the chair may close
        it."""
        self.college  # noqa: B018
        plan = ready_plan(self.lindenberg, self.coordinator, title="Plan na de termijn")
        vote_round = submit(plan, self.coordinator)
        VoteRound.objects.filter(pk=vote_round.pk).update(
            deadline=timezone.now() - datetime.timedelta(days=1)
        )
        vote_cast(vote_round=vote_round, member=self.chair, choice=VoteChoice.APPROVE)
        return plan

    @cached_property
    def in_consultation(self):
        """A plan in its open consultation (the college approved it: a decided round)."""
        plan = ready_plan(self.lindenberg, self.coordinator, title="Plan in inspraak")
        walk_to(plan, PlanState.CONSULTATION, self.coordinator, self.college)
        plan.refresh_from_db()
        self._remark = Remark.objects.create(
            plan=plan,
            reference="R-WORLD1",
            text="Meer licht in het park",
            received_on=D(2026, 3, 1),
        )
        return plan

    @property
    def remark(self):
        return self.in_consultation and self._remark

    @cached_property
    def in_council(self):
        """A plan the college adopted, before the council (its adopted document rendered)."""
        plan = ready_plan(self.lindenberg, self.coordinator, title="Plan voor de raad")
        walk_to(plan, PlanState.COUNCIL_ADOPTION, self.coordinator, self.college)
        return plan

    @cached_property
    def steering(self):
        """A plan in steering: the promotor's own action plan (with a report, an indicator and
        a measurement) and an obstacle before the mayor."""
        self.chair  # noqa: B018 (the mayor answers obstacles)
        self.promotor  # noqa: B018
        plan = ready_plan(
            self.lindenberg, self.coordinator, promotor=self.promotor_actor, title="Plan in sturing"
        )
        Plan.objects.filter(pk=plan.pk).update(state=PlanState.STEERING, reports_from=D(2026, 1, 1))
        plan.refresh_from_db()  # its items stay on plan.items
        self._report = report_submit(
            action_plan=plan.items["action-plan"],
            by=self.coordinator,
            period_end=D(2026, 3, 31),
            status="on_track",
            percent=25,
            text="Gestart",
            day=D(2026, 4, 7),
        )
        self._measurement = measurement_record(
            indicator=plan.items["indicator"], by=self.coordinator, date=D(2026, 3, 31), value=10
        )
        self._escalation = escalation_raise(plan=plan, by=self.coordinator, text="Geen capaciteit")
        return plan

    @property
    def report(self):
        return self.steering and self._report

    @property
    def measurement(self):
        return self.steering and self._measurement

    @property
    def escalation(self):
        return self.steering and self._escalation

    @cached_property
    def evaluated(self):
        """The plan in steering with an evaluation of each of its goals: it may be closed."""
        from plans.models import Goal
        from plans.services.steering import evaluation_write

        for goal in Goal.objects.filter(plan=self.steering, archived_at__isnull=True):
            evaluation_write(goal=goal, by=self.coordinator, result="Bereikt", lessons="")
        return self.steering
