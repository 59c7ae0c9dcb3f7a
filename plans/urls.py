"""Pages of the app, mounted under ``/<municipality>/plans/``."""

from django.urls import path, register_converter

from .views import board, consultation, decisions, documents, history, items, plans, steering


class ItemKindConverter:
    """The kinds of item the item pages edit (``items.KINDS``): nothing else matches, so an
    item route can never swallow another page's address."""

    regex = "|".join(sorted(items.KINDS, key=len, reverse=True))

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ItemKindConverter, "kind")

app_name = "plans"
urlpatterns = [
    path("", plans.PlanListView.as_view(), name="plan-list"),
    path("new/", plans.PlanCreateView.as_view(), name="plan-create"),
    path("follow-up/", board.FollowUpBoardView.as_view(), name="follow-up"),
    path("phenomena/", plans.PhenomenaView.as_view(), name="phenomena"),
    path("<int:pk>/", plans.PlanDetailView.as_view(), name="plan-detail"),
    path("<int:pk>/edit/", plans.PlanEditView.as_view(), name="plan-edit"),
    path("<int:pk>/history/", history.PlanHistoryView.as_view(), name="plan-history"),
    path("<int:pk>/pdf/", documents.PlanPdfView.as_view(), name="plan-pdf"),
    path("<int:pk>/adoption.pdf", documents.AdoptionPdfView.as_view(), name="adoption-pdf"),
    path(
        "<int:pk>/antwoordnota.pdf",
        documents.AnswerNotePdfView.as_view(),
        name="antwoordnota-pdf",
    ),
    path(
        "<int:pk>/rounds/<int:round>/extract.pdf",
        documents.ExtractPdfView.as_view(),
        name="round-extract",
    ),
    path("<int:pk>/changes/", history.AdoptedDiffView.as_view(), name="adopted-diff"),
    path("<int:pk>/submit/", decisions.SubmitView.as_view(), name="submit"),
    path("<int:pk>/withdraw/", decisions.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/close/", decisions.ClosePlanView.as_view(), name="close"),
    path("<int:pk>/consultation/", decisions.ConsultationView.as_view(), name="consultation"),
    path("<int:pk>/discussions/new/", decisions.DiscussionAddView.as_view(), name="discussion-add"),
    path("<int:pk>/vote/", decisions.VoteView.as_view(), name="vote"),
    path("<int:pk>/vote/close/", decisions.RoundCloseView.as_view(), name="round-close"),
    path("<int:pk>/vote/acting-chair/", decisions.ActingChairView.as_view(), name="acting-chair"),
    path("<int:pk>/vote/reference/", decisions.ReferenceView.as_view(), name="round-reference"),
    path("<int:pk>/remarks/", consultation.RemarkListView.as_view(), name="remark-list"),
    path("<int:pk>/remarks/new/", consultation.RemarkEnterView.as_view(), name="remark-enter"),
    path(
        "<int:pk>/remarks/<int:remark>/",
        consultation.RemarkDetailView.as_view(),
        name="remark-detail",
    ),
    path("<int:pk>/antwoordnota/", consultation.AnswerNoteView.as_view(), name="antwoordnota"),
    path("<int:pk>/council/", decisions.CouncilDecisionView.as_view(), name="council-decision"),
    # Phase 4: steering and follow-up.
    path("<int:pk>/reporting/", steering.ReportingView.as_view(), name="reporting"),
    path("<int:pk>/obstacles/", steering.EscalationsView.as_view(), name="escalations"),
    path(
        "<int:pk>/obstacles/<int:escalation>/answer/",
        steering.EscalationAnswerView.as_view(),
        name="escalation-answer",
    ),
    path("<int:pk>/evaluation/", steering.EvaluationView.as_view(), name="evaluation"),
    path(
        "<int:pk>/steering/<int:action_plan>/",
        steering.ActionPlanSteeringView.as_view(),
        name="steering",
    ),
    path(
        "<int:pk>/steering/<int:action_plan>/report/",
        steering.ReportCreateView.as_view(),
        name="report-add",
    ),
    path(
        "<int:pk>/steering/<int:action_plan>/reports/<int:report>/",
        steering.ReportEditView.as_view(),
        name="report-edit",
    ),
    path(
        "<int:pk>/steering/<int:action_plan>/indicators/<int:indicator>/measure/",
        steering.MeasurementCreateView.as_view(),
        name="measurement-add",
    ),
    path(
        "<int:pk>/steering/<int:action_plan>/measurements/<int:measurement>/",
        steering.MeasurementEditView.as_view(),
        name="measurement-edit",
    ),
    path("<int:pk>/<kind:kind>/new/", items.ItemAddView.as_view(), name="item-add"),
    path("<int:pk>/<kind:kind>/<int:item>/", items.ItemEditView.as_view(), name="item-edit"),
    path(
        "<int:pk>/<kind:kind>/<int:item>/remove/",
        items.ItemRemoveView.as_view(),
        name="item-remove",
    ),
    path("<int:pk>/<kind:kind>/<int:item>/move/", items.ItemMoveView.as_view(), name="item-move"),
]
