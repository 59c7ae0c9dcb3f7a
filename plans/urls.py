"""Pages of the app, mounted under ``/<municipality>/plans/``."""

from django.urls import path

from .views import board, decisions, history, items, plans

app_name = "plans"
urlpatterns = [
    path("", plans.PlanListView.as_view(), name="plan-list"),
    path("new/", plans.PlanCreateView.as_view(), name="plan-create"),
    path("follow-up/", board.FollowUpBoardView.as_view(), name="follow-up"),
    path("phenomena/", plans.PhenomenaView.as_view(), name="phenomena"),
    path("<int:pk>/", plans.PlanDetailView.as_view(), name="plan-detail"),
    path("<int:pk>/edit/", plans.PlanEditView.as_view(), name="plan-edit"),
    path("<int:pk>/history/", history.PlanHistoryView.as_view(), name="plan-history"),
    path("<int:pk>/changes/", history.AdoptedDiffView.as_view(), name="adopted-diff"),
    path("<int:pk>/<slug:kind>/new/", items.ItemAddView.as_view(), name="item-add"),
    path("<int:pk>/<slug:kind>/<int:item>/", items.ItemEditView.as_view(), name="item-edit"),
    path(
        "<int:pk>/<slug:kind>/<int:item>/remove/",
        items.ItemRemoveView.as_view(),
        name="item-remove",
    ),
    path("<int:pk>/<slug:kind>/<int:item>/move/", items.ItemMoveView.as_view(), name="item-move"),
    path("<int:pk>/submit/", decisions.SubmitView.as_view(), name="submit"),
    path("<int:pk>/withdraw/", decisions.WithdrawView.as_view(), name="withdraw"),
    path("<int:pk>/close/", decisions.ClosePlanView.as_view(), name="close"),
    path("<int:pk>/consultation/", decisions.ConsultationView.as_view(), name="consultation"),
    path("<int:pk>/discussions/new/", decisions.DiscussionAddView.as_view(), name="discussion-add"),
    path("<int:pk>/vote/", decisions.VoteView.as_view(), name="vote"),
    path("<int:pk>/vote/close/", decisions.RoundCloseView.as_view(), name="round-close"),
    path("<int:pk>/vote/acting-chair/", decisions.ActingChairView.as_view(), name="acting-chair"),
    path("<int:pk>/vote/reference/", decisions.ReferenceView.as_view(), name="round-reference"),
    path("<int:pk>/council/", decisions.CouncilDecisionView.as_view(), name="council-decision"),
]
