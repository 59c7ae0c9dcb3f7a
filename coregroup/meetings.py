"""The kerngroep's meetings: agenda, attendance, minutes, decisions and their follow-up tasks.

Mounted under ``/<municipality>/coregroup/meetings/`` (names in the ``coregroup`` namespace).
Each page runs a fixed number of queries whatever the number of agenda items, decisions or
tasks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from actors.models import Actor
from safetynet.concurrency import EditConflict, conflict_response, latest_version
from safetynet.forms import add_service_error
from safetynet.history import HistorySource
from safetynet.mixins import MunicipalityMixin
from safetynet.views import HistoryView

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
from .models import (
    AgendaItem,
    Attendance,
    CoreGroup,
    Decision,
    FollowUpTask,
    Meeting,
    MeetingDocument,
    WorkingGroup,
)
from .selectors import (
    attendees,
    core_group_meetings,
    follow_up_tasks,
    mark_overdue,
    meeting_for_page,
    overdue,
)
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


# --- Pages -------------------------------------------------------------------------------------


def _url(name, municipality, **kwargs):
    return reverse(f"coregroup:{name}", kwargs={"municipality": municipality.slug, **kwargs})


def body_url(meeting) -> str:
    """The page of the body that met: the kerngroep's meetings, or the working group."""
    if meeting.working_group_id:
        return _url("working-group-detail", meeting.municipality, pk=meeting.working_group_id)
    return _url("meeting-list", meeting.municipality)


class MeetingPageMixin:
    """A page about one meeting, of the kerngroep or of a working group."""

    meeting_perm = "coregroup.view_meeting"

    @cached_property
    def meeting(self):
        return self.get_scoped_object(
            meeting_for_page(Meeting.objects.all()), self.meeting_perm, pk=self.kwargs["pk"]
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
    """Schedule a kerngroep meeting; :class:`WorkingGroupMeetingScheduleView` a working
    group's."""

    template_name = "coregroup/meeting_form.html"
    permission_required = "coregroup.add_meeting"
    form_class = MeetingScheduleForm

    def body(self) -> dict:
        core_group = CoreGroup.objects.filter(municipality=self.municipality).first()
        if core_group is None:
            raise PermissionDenied
        return {"core_group": core_group}

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.body(), **kwargs)

    def form_valid(self, form):
        try:
            meeting = meeting_schedule(by=self.request.user, **self.body(), **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request, _("The meeting has been scheduled and the invitations sent.")
        )
        return redirect(_url("meeting-detail", self.municipality, pk=meeting.pk))


class WorkingGroupMeetingScheduleView(MeetingScheduleView):
    @cached_property
    def working_group(self):
        return self.get_scoped_object(
            WorkingGroup.objects.filter(active=True),
            "coregroup.view_workinggroup",
            pk=self.kwargs["pk"],
        )

    def body(self) -> dict:
        return {"working_group": self.working_group}


class MeetingDetailView(MeetingPageMixin, MunicipalityMixin, TemplateView):
    template_name = "coregroup/meeting_detail.html"
    permission_required = "coregroup.view_meeting"

    def attendance_forms(self, data=None):
        """One form per person expected on the meeting's day (seat holder or working-group
        member), with the attendance recorded so far."""
        recorded = {
            attendance.actor_id: attendance for attendance in self.meeting.attendances.all()
        }
        # One list of actors for every row's "represented by" (a query per row otherwise).
        actors = list(
            Actor.objects.filter(municipality=self.municipality, active=True).order_by("name")
        )
        forms = []
        for row in attendees(self.meeting):
            actor = row.actor
            attendance = recorded.get(actor.pk)
            initial = (
                {"status": attendance.status, "represented_by": attendance.represented_by_id}
                if attendance
                else {}
            )
            forms.append(
                AttendanceForm(
                    data,
                    prefix=f"seat-{row.seat.pk}" if row.seat else f"actor-{actor.pk}",
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
            may_remove_document=self.may("coregroup.change_meetingdocument"),
            may_decide=self.may("coregroup.add_decision"),
            may_add_task=self.may("coregroup.add_followuptask"),
            may_set_status=self.may("coregroup.change_followuptask"),
            may_delete=self.may("coregroup.delete_meeting")
            and not decisions
            and not meeting.documents.all(),
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
        return {"minutes": self.meeting.minutes, "version": latest_version(self.meeting)}

    def form_valid(self, form):
        try:
            meeting_update_minutes(meeting=self.meeting, by=self.request.user, **form.cleaned_data)
        except EditConflict as conflict:
            return conflict_response(self, form, conflict, self.meeting)
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
        return redirect(body_url(self.meeting))


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
            Decision.objects.select_related("meeting"),
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
        tasks = follow_up_tasks(self.municipality)
        if form.is_valid():
            if query := form.cleaned_data["q"].strip():
                tasks = tasks.filter(
                    Q(description__icontains=query) | Q(assignee__name__icontains=query)
                )
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


class MeetingHistoryView(MeetingPageMixin, HistoryView):
    """Everything recorded about one meeting, newest first: the meeting, its agenda, attendance,
    decisions, follow-up tasks and documents on one page."""

    permission_required = "coregroup.view_meeting"
    title = gettext_lazy("History of the meeting")

    @cached_property
    def meeting(self):
        """The meeting alone: its history is read from the history tables, not from its page's
        agenda, documents, decisions and attendance."""
        meetings = Meeting.objects.select_related("core_group", "working_group")
        return self.get_scoped_object(meetings, self.meeting_perm, pk=self.kwargs["pk"])

    def get_back_url(self) -> str:
        return self.meeting_url()

    def get_known_objects(self) -> list:
        body = self.meeting.core_group or self.meeting.working_group
        return [*super().get_known_objects(), self.meeting, body]

    def get_sources(self):
        pk = self.meeting.pk
        decisions = Decision.objects.filter(meeting_id=pk).values("pk")

        def named(label, field):
            return lambda record, display: f"{label} · {Truncator(display(field)).chars(80)}"

        return [
            HistorySource(Meeting.history.filter(id=pk)),
            HistorySource(
                AgendaItem.history.filter(meeting_id=pk), named(_("Agenda item"), "title")
            ),
            HistorySource(
                Attendance.history.filter(meeting_id=pk), named(_("Attendance"), "actor")
            ),
            HistorySource(Decision.history.filter(meeting_id=pk), named(_("Decision"), "text")),
            HistorySource(
                FollowUpTask.history.filter(decision_id__in=decisions),
                named(_("Follow-up task"), "description"),
            ),
            HistorySource(
                MeetingDocument.history.filter(meeting_id=pk),
                named(_("Document"), "title"),
                hide=("file",),
            ),
        ]


urlpatterns = [
    path("meetings/", MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", MeetingScheduleView.as_view(), name="meeting-schedule"),
    path(
        "working-groups/<int:pk>/meetings/new/",
        WorkingGroupMeetingScheduleView.as_view(),
        name="working-group-meeting-schedule",
    ),
    path("meetings/tasks/", TaskListView.as_view(), name="meeting-tasks"),
    path("meetings/<int:pk>/", MeetingDetailView.as_view(), name="meeting-detail"),
    path(
        "meetings/<int:pk>/attendance/", MeetingAttendanceView.as_view(), name="meeting-attendance"
    ),
    path("meetings/<int:pk>/minutes/", MeetingMinutesView.as_view(), name="meeting-minutes"),
    path("meetings/<int:pk>/delete/", MeetingDeleteView.as_view(), name="meeting-delete"),
    path("meetings/<int:pk>/history/", MeetingHistoryView.as_view(), name="meeting-history"),
    path("meetings/<int:pk>/decisions/new/", DecisionRecordView.as_view(), name="decision-add"),
    path("meetings/decisions/<int:pk>/tasks/new/", TaskAddView.as_view(), name="task-add"),
    path("meetings/tasks/<int:pk>/status/", TaskStatusView.as_view(), name="task-status"),
]
