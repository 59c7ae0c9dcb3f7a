"""The plan's PDF documents: the plan as it is now (any language the site speaks), rendered
off the request and stored once per content."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.generic import View

from plans.constants import RoundKind, RoundStatus
from plans.documents import LANGUAGES, answer_note_document, extract_document, plan_document
from plans.models import VoteRound
from safetynet.document_views import document_response
from safetynet.mixins import MunicipalityMixin
from safetynet.permissions import has_perm

from .plans import PlanPageMixin, plan_url


class LanguageMixin:
    """The document's language: ``?lang=`` when the site speaks it, else the page's."""

    def language(self) -> str:
        wanted = self.request.GET.get("lang", "")
        return wanted if wanted in LANGUAGES else self.request.LANGUAGE_CODE[:2]


class PlanPdfView(LanguageMixin, PlanPageMixin, MunicipalityMixin, View):
    """``/plans/<id>/pdf/`` (``?lang=fr`` for another language): the plan document."""

    permission_required = "plans.view_plan"

    def get(self, request, *args, **kwargs):
        document = plan_document(self.plan, language=self.language(), by=request.user)
        return document_response(request, document, back_url=plan_url(self.plan))

    def post(self, request, *args, **kwargs):
        """Try again after a failure (the document is queued again)."""
        return self.get(request, *args, **kwargs)


class AdoptionPdfView(PlanPageMixin, MunicipalityMixin, View):
    """``/plans/<id>/adoption.pdf``: the document the college votes on and the council adopts —
    the adopted version's once adopted, else the latest adoption round's. Always the exact
    stored bytes."""

    permission_required = "plans.view_plan"

    def get(self, request, *args, **kwargs):
        document = adoption_document_of(self.plan)
        if document is None:
            raise Http404
        return document_response(request, document, back_url=plan_url(self.plan), inline=False)

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)


def adoption_document_of(plan):
    """The adopted version's document, or the latest adoption round's (None without one)."""
    if plan.adopted_round_id:
        vote_round = plan.adopted_round
    else:
        vote_round = (
            VoteRound.objects.filter(plan=plan, kind=RoundKind.ADOPTION, document__isnull=False)
            .exclude(status=RoundStatus.WITHDRAWN)
            .order_by("-opened_at", "-pk")
            .first()
        )
    return vote_round.document if vote_round and vote_round.document_id else None


class AnswerNotePdfView(LanguageMixin, PlanPageMixin, MunicipalityMixin, View):
    """``/plans/<id>/antwoordnota.pdf``: the remarks and their answers."""

    permission_required = "plans.view_response"

    def get(self, request, *args, **kwargs):
        document = answer_note_document(self.plan, language=self.language(), by=request.user)
        return document_response(request, document, back_url=plan_url(self.plan))

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)


class ExtractPdfView(LanguageMixin, PlanPageMixin, MunicipalityMixin, View):
    """``/plans/<id>/rounds/<round>/extract.pdf``: a vote round's decision extract; with how
    each member voted for those who may see it, without for everyone else."""

    permission_required = "plans.view_voteround"

    def get(self, request, *args, **kwargs):
        vote_round = get_object_or_404(
            VoteRound.objects.select_related("plan__municipality", "document").defer("snapshot"),
            plan=self.plan,
            pk=kwargs["round"],
        )
        document = extract_document(
            vote_round,
            language=self.language(),
            with_votes=has_perm(request.user, "plans.view_votes", self.plan),
            by=request.user,
        )
        return document_response(request, document, back_url=plan_url(self.plan))

    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)
