"""The network picture and its gaps: ``network/``, ``network/network.svg``, ``network/gaps/``."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from actors.constants import ActorCategory
from actors.models import SuggestionDismissal, SuggestionRule
from actors.network_svg import build_network, network_svg, structure_prefetches
from actors.selectors import actor_list, coverage, kinds_for, open_suggestions
from actors.services import suggestion_dismiss, suggestion_restore
from safetynet.mixins import MunicipalityMixin

# --- The network picture -----------------------------------------------------------------------


class NetworkMixin(MunicipalityMixin):
    permission_required = "actors.view_actor"

    def get_network(self):
        slug = self.municipality.slug
        actors = actor_list(
            user=self.request.user, municipality=self.municipality, active=True, sort="kind"
        ).prefetch_related(*structure_prefetches())
        return build_network(
            actors,
            kinds_for(self.municipality),
            lambda actor: reverse(
                "actors:actor-detail", kwargs={"municipality": slug, "pk": actor.pk}
            ),
        )

    def network_title(self) -> str:
        return _("The safety network of %(municipality)s") % {
            "municipality": self.municipality.name
        }


class NetworkView(NetworkMixin, TemplateView):
    template_name = "actors/network.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = self.get_network()
        context.update(
            network=network,
            # Every text in it is escaped by network_svg.
            svg=mark_safe(network_svg(network, title=self.network_title())),  # noqa: S308  # nosec B308 B703
            may_edit=self.may("actors.add_actor"),
        )
        return context


class NetworkSvgView(NetworkMixin, View):
    """The picture alone, to download or open full size."""

    def get(self, request, *args, **kwargs):
        svg = network_svg(self.get_network(), title=self.network_title(), standalone=True)
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="network-{self.municipality.slug}.svg"'
        # Opened on its own, the picture runs nothing and loads nothing.
        response["Content-Security-Policy"] = "default-src 'none'"
        return response


# --- Network gaps ------------------------------------------------------------------------------


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why does this suggestion not apply?"),
        max_length=300,
        help_text=gettext_lazy("Kept in the history."),
    )


class GapsView(MunicipalityMixin, TemplateView):
    template_name = "actors/gaps.html"
    permission_required = "actors.view_actor"

    def get_context_data(self, *, failed_rule=None, failed_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        municipality = self.municipality
        rows = coverage(municipality)
        categories = [
            {
                "value": category,
                "label": label,
                "rows": [row for row in rows if row.kind.category == category],
            }
            for category, label in ActorCategory.choices
        ]
        may_dismiss = self.may("actors.add_suggestiondismissal")
        suggestions = [
            {
                "rule": rule,
                "form": (
                    failed_form
                    if failed_rule is not None and rule.pk == failed_rule.pk
                    else DismissForm(auto_id=f"id_dismiss_{rule.pk}_%s")
                )
                if may_dismiss
                else None,
            }
            for rule in open_suggestions(municipality)
        ]
        dismissals = list(
            SuggestionDismissal.objects.filter(municipality=municipality)
            .select_related("rule", "rule__kind")
            .order_by("rule__infrastructure", "rule__name_nl")
        )
        _add_who_dismissed(dismissals)
        infrastructures = set(municipality.infrastructures or [])
        for dismissal in dismissals:
            dismissal.still_on_profile = dismissal.rule.infrastructure in infrastructures
        context.update(
            categories=categories,
            covered=sum(1 for row in rows if row.covered),
            kind_count=len(rows),
            suggestions=suggestions,
            dismissals=dismissals,
            may_add=self.may("actors.add_actor"),
            may_dismiss=may_dismiss,
            may_restore=self.may("actors.delete_suggestiondismissal"),
            has_infrastructures=bool(infrastructures),
        )
        if failed_form is not None:
            context["form"] = failed_form  # the page title starts with "Error:"
        return context


def _add_who_dismissed(dismissals: list[SuggestionDismissal]) -> None:
    """Who dismissed each suggestion and when, from history (one query)."""
    records = (
        SuggestionDismissal.history.filter(
            id__in=[dismissal.pk for dismissal in dismissals], history_type="+"
        )
        .select_related("history_user")
        .order_by("history_date")
    )
    latest = {record.id: record for record in records}
    for dismissal in dismissals:
        record = latest.get(dismissal.pk)
        dismissal.dismissed_at = record.history_date if record else None
        user = record.history_user if record else None
        dismissal.dismissed_by = (user.get_full_name() or user.username) if user else ""


class GapsDismissView(GapsView):
    """Set a suggestion aside, with a reason. On a missing reason the gaps page shows again, with
    the error at that suggestion."""

    permission_required = "actors.add_suggestiondismissal"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        rule = get_object_or_404(
            SuggestionRule.objects.filter(
                infrastructure__in=self.municipality.infrastructures or []
            ),
            pk=kwargs["rule_pk"],
        )
        gaps = redirect("actors:gaps", municipality=self.municipality.slug)
        if SuggestionDismissal.objects.filter(municipality=self.municipality, rule=rule).exists():
            messages.info(request, _("This suggestion had already been dismissed."))
            return gaps
        form = DismissForm(request.POST, auto_id=f"id_dismiss_{rule.pk}_%s")
        if form.is_valid():
            try:
                suggestion_dismiss(
                    municipality=self.municipality,
                    rule=rule,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(failed_rule=rule, failed_form=form)
            )
        messages.success(
            request,
            _("The suggestion “%(name)s” has been dismissed.") % {"name": rule.name},
        )
        return gaps


class GapsRestoreView(GapsView):
    permission_required = "actors.delete_suggestiondismissal"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        dismissal = self.get_scoped_object(
            SuggestionDismissal.objects.select_related("rule"),
            "actors.delete_suggestiondismissal",
            pk=kwargs["pk"],
        )
        suggestion_restore(dismissal=dismissal, by=request.user)
        messages.success(
            request,
            _("The suggestion “%(name)s” is open again.") % {"name": dismissal.rule.name},
        )
        return redirect("actors:gaps", municipality=self.municipality.slug)


urlpatterns = [
    path("network/", NetworkView.as_view(), name="network"),
    path("network/network.svg", NetworkSvgView.as_view(), name="network-svg"),
    path("network/gaps/", GapsView.as_view(), name="gaps"),
    path(
        "network/gaps/<int:rule_pk>/dismiss/",
        GapsDismissView.as_view(),
        name="gaps-dismiss",
    ),
    path(
        "network/gaps/dismissed/<int:pk>/restore/",
        GapsRestoreView.as_view(),
        name="gaps-restore",
    ),
]
