"""The kerngroep's meetings: agenda, attendance, minutes, decisions and their follow-up tasks.

Mounted under ``/<municipality>/coregroup/meetings/`` (names in the ``coregroup`` namespace).
Each page runs a fixed number of queries whatever the number of agenda items, decisions or
tasks."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from actors.models import Actor
from safetynet.forms import add_service_error
from safetynet.mixins import MunicipalityMixin

from .constants import TaskStatus
from .meeting_forms import (
    AttendanceForm,
    DecisionForm,
    MeetingScheduleForm,
    MinutesForm,
    TaskFilterForm,
    TaskForm,
    TaskStatusForm,
)
from .models import Attendance, CoreGroup, Decision, FollowUpTask, Meeting
from .selectors import composition
from .services import (
    attendance_record,
    decision_record,
    meeting_delete,
    meeting_schedule,
    meeting_update_minutes,
    task_add,
    task_set_status,
)

PAGE_SIZE = 25
CLOSED_STATUSES = (TaskStatus.DONE, TaskStatus.CANCELLED)


# --- Reads -------------------------------------------------------------------------------------


def core_group_meetings(municipality):
    """The kerngroep's meetings, newest first, with their numbers of items and decisions."""
    return (
        Meeting.objects.filter(municipality=municipality, core_group__isnull=False)
        .annotate(
            agenda_count=Count("agenda_items", distinct=True),
            decision_count=Count("decisions", distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )


def overdue(tasks, day: datetime.date | None = None):
    """Tasks past their due date that are neither done nor cancelled."""
    day = day or timezone.localdate()
    return tasks.filter(due__lt=day).exclude(status__in=CLOSED_STATUSES)


def follow_up_tasks(municipality):
    return FollowUpTask.objects.filter(decision__meeting__municipality=municipality).select_related(
        "assignee", "decision__meeting"
    )


def mark_overdue(tasks, day: datetime.date | None = None):
    """Set ``task.is_overdue`` on tasks already fetched (no query)."""
    day = day or timezone.localdate()
    for task in tasks:
        task.is_overdue = task.due < day and task.status not in CLOSED_STATUSES
    return tasks


def meeting_for_page(queryset):
    """A meeting with everything its page shows, in a fixed number of queries."""
    tasks = FollowUpTask.objects.select_related("assignee").order_by("due", "pk")
    decisions = Decision.objects.select_related("agenda_item").prefetch_related(
        Prefetch("tasks", queryset=tasks)
    )
    attendances = Attendance.objects.select_related("actor", "represented_by")
    return queryset.select_related("core_group").prefetch_related(
        "agenda_items",
        "documents",
        Prefetch("decisions", queryset=decisions),
        Prefetch("attendances", queryset=attendances),
    )


# --- Pages -------------------------------------------------------------------------------------


def _url(name, municipality, **kwargs):
    return reverse(f"coregroup:{name}", kwargs={"municipality": municipality.slug, **kwargs})


class MeetingPageMixin:
    meeting_perm = "coregroup.view_meeting"

    @cached_property
    def meeting(self):
        queryset = Meeting.objects.filter(core_group__isnull=False)
        return self.get_scoped_object(
            meeting_for_page(queryset), self.meeting_perm, pk=self.kwargs["pk"]
        )

    def meeting_url(self):
        return _url("meeting-detail", self.municipality, pk=self.meeting.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, **kwargs)


class MeetingListView(MunicipalityMixin, TemplateView):
    template_name = "coregroup/meeting_list.html"
    permission_required = "coregroup.view_meeting"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(core_group_meetings(self.municipality), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            page_obj=page,
            meetings=page.object_list,
            now=timezone.now(),
            overdue_count=overdue(follow_up_tasks(self.municipality)).count(),
            may_schedule=self.may("coregroup.add_meeting"),
            may_see_tasks=self.may("coregroup.view_followuptask"),
        )
        return context


class MeetingScheduleView(MunicipalityMixin, FormView):
    template_name = "coregroup/meeting_form.html"
    permission_required = "coregroup.add_meeting"
    form_class = MeetingScheduleForm

    def form_valid(self, form):
        core_group = CoreGroup.objects.filter(municipality=self.municipality).first()
        if core_group is None:
            raise PermissionDenied
        try:
            meeting = meeting_schedule(
                core_group=core_group, by=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The meeting has been scheduled and the invitations sent.")
        )
        return redirect(_url("meeting-detail", self.municipality, pk=meeting.pk))


class MeetingDetailView(MeetingPageMixin, MunicipalityMixin, TemplateView):
    template_name = "coregroup/meeting_detail.html"
    permission_required = "coregroup.view_meeting"

    def attendance_forms(self, data=None):
        """One form per seat held on the meeting's day, with the attendance recorded so far."""
        day = timezone.localdate(self.meeting.starts_at)
        recorded = {
            attendance.actor_id: attendance for attendance in self.meeting.attendances.all()
        }
        # One list of actors for every row's "represented by" (a query per row otherwise).
        actors = list(
            Actor.objects.filter(municipality=self.municipality, active=True).order_by("name")
        )
        forms = []
        for row in composition(self.meeting.core_group, day).rows:
            if row.holding is None:
                continue
            actor = row.holding.actor
            attendance = recorded.get(actor.pk)
            initial = (
                {"status": attendance.status, "represented_by": attendance.represented_by_id}
                if attendance
                else {}
            )
            forms.append(
                AttendanceForm(
                    data,
                    prefix=f"seat-{row.seat.pk}",
                    initial=initial,
                    actors=actors,
                    row={"seat": row.seat, "actor": actor, "attendance": attendance},
                )
            )
        return forms

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        decisions = list(meeting.decisions.all())
        mark_overdue([task for decision in decisions for task in decision.tasks.all()])
        may_record = self.may("coregroup.add_attendance")
        kwargs.setdefault("attendance_forms", self.attendance_forms() if may_record else None)
        return super().get_context_data(
            agenda_items=list(meeting.agenda_items.all()),
            attendances=list(meeting.attendances.all()),
            decisions=decisions,
            may_record_attendance=may_record,
            may_edit_minutes=self.may("coregroup.change_meeting"),
            may_attach=self.may("coregroup.add_meetingdocument"),
            may_decide=self.may("coregroup.add_decision"),
            may_add_task=self.may("coregroup.add_followuptask"),
            may_set_status=self.may("coregroup.change_followuptask"),
            may_delete=self.may("coregroup.delete_meeting") and not decisions,
            status_choices=TaskStatus.choices,
            **kwargs,
        )


class MeetingAttendanceView(MeetingDetailView):
    permission_required = "coregroup.add_attendance"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        forms = self.attendance_forms(request.POST)
        valid = [form.is_valid() for form in forms]  # every row, so each shows its errors
        if not all(valid):
            return self.render_to_response(self.get_context_data(attendance_forms=forms))
        rows = [
            {
                "seat": form.row["seat"],
                "actor": form.row["actor"],
                "status": form.cleaned_data["status"],
                "represented_by": form.cleaned_data["represented_by"],
            }
            for form in forms
        ]
        try:
            attendance_record(meeting=self.meeting, rows=rows, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The attendance has been recorded."))
        return redirect(self.meeting_url())


class MeetingMinutesView(MeetingPageMixin, MunicipalityMixin, FormView):
    template_name = "coregroup/meeting_minutes_form.html"
    permission_required = "coregroup.change_meeting"
    form_class = MinutesForm

    def get_initial(self):
        return {"minutes": self.meeting.minutes}

    def form_valid(self, form):
        try:
            meeting_update_minutes(meeting=self.meeting, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The minutes have been saved."))
        return redirect(self.meeting_url())


class MeetingDeleteView(MeetingPageMixin, MunicipalityMixin, View):
    permission_required = "coregroup.delete_meeting"

    def post(self, request, *args, **kwargs):
        try:
            meeting_delete(meeting=self.meeting, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.meeting_url())
        messages.success(request, _("The meeting has been deleted."))
        return redirect(_url("meeting-list", self.municipality))


class DecisionRecordView(MeetingPageMixin, MunicipalityMixin, FormView):
    template_name = "coregroup/meeting_decision_form.html"
    permission_required = "coregroup.add_decision"
    form_class = DecisionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def form_valid(self, form):
        try:
            decision_record(meeting=self.meeting, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The decision has been recorded."))
        return redirect(self.meeting_url() + "#decisions")


class DecisionPageMixin:
    @cached_property
    def decision(self):
        return self.get_scoped_object(
            Decision.objects.filter(meeting__core_group__isnull=False).select_related("meeting"),
            "coregroup.view_decision",
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(decision=self.decision, **kwargs)


class TaskAddView(DecisionPageMixin, MunicipalityMixin, FormView):
    template_name = "coregroup/meeting_task_form.html"
    permission_required = "coregroup.add_followuptask"
    form_class = TaskForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "municipality": self.municipality}

    def form_valid(self, form):
        try:
            task_add(decision=self.decision, by=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The follow-up task has been added."))
        return redirect(
            _url("meeting-detail", self.municipality, pk=self.decision.meeting_id) + "#decisions"
        )


class TaskStatusView(MunicipalityMixin, View):
    permission_required = "coregroup.change_followuptask"

    def post(self, request, *args, **kwargs):
        task = self.get_scoped_object(
            FollowUpTask.objects.select_related("decision"),
            "coregroup.change_followuptask",
            pk=kwargs["pk"],
        )
        form = TaskStatusForm(request.POST)
        if form.is_valid():
            task_set_status(task=task, status=form.cleaned_data["status"], by=request.user)
            messages.success(
                request, _("The status of “%(task)s” has been updated.") % {"task": task}
            )
        else:
            messages.error(request, _("Choose a valid status."))
        target = request.POST.get("next", "")
        if target == "tasks":
            return redirect(_url("meeting-tasks", self.municipality))
        return redirect(
            _url("meeting-detail", self.municipality, pk=task.decision.meeting_id) + "#decisions"
        )


class TaskListView(MunicipalityMixin, TemplateView):
    """The follow-up tasks of the kerngroep's decisions, with their status and what is overdue."""

    template_name = "coregroup/meeting_tasks.html"
    permission_required = "coregroup.view_followuptask"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = TaskFilterForm(self.request.GET or None)
        tasks = follow_up_tasks(self.municipality).filter(
            decision__meeting__core_group__isnull=False
        )
        if form.is_valid():
            if form.cleaned_data["status"]:
                tasks = tasks.filter(status=form.cleaned_data["status"])
            if form.cleaned_data["overdue"]:
                tasks = overdue(tasks)
        page = Paginator(tasks.order_by("due", "pk"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        context.update(
            form=form,
            page_obj=page,
            tasks=mark_overdue(list(page.object_list)),
            may_set_status=self.may("coregroup.change_followuptask"),
            status_choices=TaskStatus.choices,
        )
        return context


urlpatterns = [
    path("meetings/", MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", MeetingScheduleView.as_view(), name="meeting-schedule"),
    path("meetings/tasks/", TaskListView.as_view(), name="meeting-tasks"),
    path("meetings/<int:pk>/", MeetingDetailView.as_view(), name="meeting-detail"),
    path(
        "meetings/<int:pk>/attendance/", MeetingAttendanceView.as_view(), name="meeting-attendance"
    ),
    path("meetings/<int:pk>/minutes/", MeetingMinutesView.as_view(), name="meeting-minutes"),
    path("meetings/<int:pk>/delete/", MeetingDeleteView.as_view(), name="meeting-delete"),
    path("meetings/<int:pk>/decisions/new/", DecisionRecordView.as_view(), name="decision-add"),
    path("meetings/decisions/<int:pk>/tasks/new/", TaskAddView.as_view(), name="task-add"),
    path("meetings/tasks/<int:pk>/status/", TaskStatusView.as_view(), name="task-status"),
]
