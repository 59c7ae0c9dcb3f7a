"""Pages of the plans app."""

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from plans.selectors import follow_up_board, promotors
from safetynet.forms import query_text
from safetynet.mixins import MunicipalityMixin

PAGE_SIZE = 25


class FollowUpBoardView(MunicipalityMixin, TemplateView):
    """The kerngroep checks that promotors carry out their assignments: per promotor, what they
    lead and what is open or overdue. The plan workflow adds their action plans and progress."""

    template_name = "plans/follow_up_board.html"
    permission_required = "coregroup.view_followuptask"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = query_text(self.request.GET, "q")
        actors = promotors(self.municipality)
        if query:
            actors = actors.filter(name__icontains=query)
        page = Paginator(actors, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(page_obj=page, rows=follow_up_board(page.object_list), query=query)
        return context
