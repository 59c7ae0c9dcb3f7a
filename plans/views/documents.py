"""The plan's PDF documents: the plan as it is now (any language the site speaks), rendered
off the request and stored once per content."""

from django.conf import settings
from django.views.generic import View

from plans.documents import plan_document
from safetynet.document_views import document_response
from safetynet.mixins import MunicipalityMixin

from .plans import PlanPageMixin, plan_url

LANGUAGES = {code for code, _name in settings.LANGUAGES}


class PlanPdfView(PlanPageMixin, MunicipalityMixin, View):
    """``/plans/<id>/pdf/`` (``?lang=fr`` for another language): the plan document."""

    permission_required = "plans.view_plan"

    def language(self) -> str:
        wanted = self.request.GET.get("lang", "")
        return wanted if wanted in LANGUAGES else self.request.LANGUAGE_CODE[:2]

    def get(self, request, *args, **kwargs):
        document = plan_document(self.plan, language=self.language(), by=request.user)
        return document_response(request, document, back_url=plan_url(self.plan))

    def post(self, request, *args, **kwargs):
        """Try again after a failure (the document is queued again)."""
        return self.get(request, *args, **kwargs)
