"""The public page of a plan at ``/inspraak/<municipality>/<plan>/``: open to everyone, without
an account, from the consultation on (before it: 404). During the consultation it takes remarks;
afterwards it says the consultation has closed; once the plan is submitted for adoption it shows
the published remarks and their answers. No JavaScript; small pages."""

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.generic import FormView, TemplateView, View

from plans.constants import PlanState, RemarkStatus
from plans.consultation_forms import RemarkForm
from plans.documents import plan_document
from plans.models import CouncilDecision, Plan, Remark
from plans.selectors import plan_content
from plans.services.consultation import closed_message, consultation_is_open, remark_submit
from plans.versions import content_version
from plans.views.documents import adoption_document_of
from safetynet.audit import RefusalLogMixin, Refused
from safetynet.document_views import document_response
from safetynet.forms import add_service_error, query_text
from safetynet.models import Municipality
from safetynet.security import client_address
from safetynet.uploads import UploadLimitMixin, image_response

HIDDEN_STATES = (PlanState.DRAFT, PlanState.COLLEGE_REVIEW)
VERIFY_MAX_BYTES = 50 * 1024 * 1024
VERIFY_TOO_LARGE = gettext_noop("The file is too large to be an adopted plan.")
VERIFY_NOT_A_PDF = gettext_noop("This file is not a PDF: an adopted plan is one.")
ANSWERED_STATES = (
    PlanState.COLLEGE_ADOPTION,
    PlanState.COUNCIL_ADOPTION,
    PlanState.STEERING,
    PlanState.CLOSED,
)


class PublicPlanMixin(RefusalLogMixin):
    @cached_property
    def plan(self) -> Plan:
        plan = get_object_or_404(
            Plan.objects.select_related("municipality"),
            pk=self.kwargs["pk"],
            municipality__slug=self.kwargs["municipality"],
        )
        if plan.state in HIDDEN_STATES:
            # A plan that exists but is not public yet: a refusal (in the security log).
            raise Refused("not public before the consultation", obj=plan)
        return plan

    def public_url(self) -> str:
        return reverse(
            "public-plan",
            kwargs={"municipality": self.plan.municipality.slug, "pk": self.plan.pk},
        )


class PublicPlanView(PublicPlanMixin, FormView):
    template_name = "plans/public/plan.html"
    form_class = RemarkForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan}

    def get_context_data(self, **kwargs):
        plan, now = self.plan, timezone.now()
        is_open = consultation_is_open(plan, now)
        answered = []
        if plan.state in ANSWERED_STATES:
            answered = list(
                Remark.objects.filter(
                    plan=plan, status=RemarkStatus.PUBLISHED, response__isnull=False
                )
                .select_related("response", "goal")
                .order_by("goal__order", "pk")
            )
        return super().get_context_data(
            plan=plan,
            municipality=plan.municipality,
            # Read only when the cached fragments are missing (the template's {% cache %} is
            # keyed by content_version); no actions or indicators: the page shows none.
            content=SimpleLazyObject(lambda: plan_content(plan, detail=False)),
            content_version=content_version(plan),
            is_open=is_open,
            not_yet=plan.state == PlanState.CONSULTATION
            and plan.consultation_opens is not None
            and now < plan.consultation_opens,
            answered=answered,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not consultation_is_open(self.plan):
            messages.error(request, _(closed_message(self.plan)))
            return redirect(self.public_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.is_robot():  # the honeypot: thank the robot, store nothing
            return redirect(self.public_url() + "ontvangen/")
        data = {k: v for k, v in form.cleaned_data.items() if k != "website"}
        try:
            remark = remark_submit(
                plan=self.plan, address=client_address(self.request) or "", **data
            )
        except ValidationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        return redirect(self.public_url() + f"ontvangen/?referentie={remark.reference}")


class ReceivedView(PublicPlanMixin, TemplateView):
    """Thanks, with the remark's reference (it is not secret: it names nothing)."""

    template_name = "plans/public/received.html"

    def get_context_data(self, **kwargs):
        reference = query_text(self.request.GET, "referentie", max_length=12)
        known = Remark.objects.filter(plan=self.plan, reference=reference).exists()
        context = super().get_context_data(**kwargs)
        context.update(
            plan=self.plan,
            municipality=self.plan.municipality,  # the URL's slug, replaced by the object
            reference=reference if known else "",
            back_url=self.public_url(),
        )
        return context


class PublicLogoView(View):
    """The municipality's logo on its public plan pages: only for a municipality that has a
    plan shown publicly (others stay unknown, as their pages are)."""

    def get(self, request, municipality):
        place = get_object_or_404(Municipality, slug=municipality)
        shown = Plan.objects.filter(municipality=place).exclude(state__in=HIDDEN_STATES)
        if not place.logo or not shown.exists():
            raise Http404
        return image_response(place.logo, cache_control="public, max-age=3600")


class PublicPlanPdfView(PublicPlanMixin, View):
    """The plan's PDF for everyone: during the consultation the plan as it is consulted on,
    after the council's adoption the adopted document (its exact bytes); otherwise none."""

    def get(self, request, *args, **kwargs):
        plan = self.plan
        if plan.state == PlanState.CONSULTATION:
            language = request.LANGUAGE_CODE[:2]
            document = plan_document(plan, language=language)
        elif plan.state in (PlanState.STEERING, PlanState.CLOSED):
            document = adoption_document_of(plan)
        else:
            document = None
        if document is None:
            raise Http404
        return document_response(request, document, back_url=self.public_url(), inline=False)

    def post(self, request, *args, **kwargs):
        """Try a failed document again (the waiting page's button)."""
        return self.get(request, *args, **kwargs)


class VerifyForm(forms.Form):
    document = forms.FileField(label=gettext_lazy("The PDF to check"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = _("At most %(size)s MB.") % {
            "size": VERIFY_MAX_BYTES // (1024 * 1024)
        }


class VerifyView(UploadLimitMixin, FormView):
    """Anyone may check whether a PDF is a plan adopted through SafetyNet: its SHA-256 is
    compared with the adopted documents' (one changed byte gives another fingerprint). The file
    is read, never kept."""

    template_name = "plans/public/verify.html"
    form_class = VerifyForm
    upload_max_bytes = VERIFY_MAX_BYTES
    upload_field = "document"

    def upload_too_large_message(self) -> str:
        return _(VERIFY_TOO_LARGE)

    def form_valid(self, form):
        upload = form.cleaned_data["document"]
        if upload.size > VERIFY_MAX_BYTES:
            form.add_error("document", _(VERIFY_TOO_LARGE))
            return self.form_invalid(form)
        upload.seek(0)
        if not upload.read(5).startswith(b"%PDF-"):
            form.add_error("document", _(VERIFY_NOT_A_PDF))
            return self.form_invalid(form)
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        sha256 = digest.hexdigest()
        plan = (
            Plan.objects.filter(
                adopted_round__document__sha256=sha256,
                adopted_round__document__frozen=True,
            )
            .select_related("municipality", "adopted_round__document")
            .first()
        )
        decision = (
            CouncilDecision.objects.filter(plan=plan, adopted=True).order_by("-date").first()
            if plan
            else None
        )
        return self.render_to_response(
            self.get_context_data(form=VerifyForm(), sha256=sha256, found=plan, decision=decision)
        )


urlpatterns = [
    path("verify/", VerifyView.as_view(), name="public-verify"),
    path("<slug:municipality>/logo/", PublicLogoView.as_view(), name="public-logo"),
    path("<slug:municipality>/<int:pk>/plan.pdf", PublicPlanPdfView.as_view(), name="public-pdf"),
    path("<slug:municipality>/<int:pk>/", PublicPlanView.as_view(), name="public-plan"),
    path("<slug:municipality>/<int:pk>/ontvangen/", ReceivedView.as_view(), name="public-received"),
]
