"""MunicipalityMixin's object helpers: another municipality's ids are a 404, whatever the page."""

from django.http import Http404
from django.views import View

import pytest

from safetynet.constants import Role
from safetynet.mixins import MunicipalityMixin
from safetynet.permissions import grant_personal
from tests.factories import NoteFactory
from tests.testapp.models import Note


class _Page(MunicipalityMixin, View):
    pass


def _page(rf, user, municipality):
    page = _Page()
    page.request = rf.get("/")
    page.request.user = user
    page.municipality = municipality
    return page


@pytest.fixture
def notes(lindenberg, heidebeek):
    return {
        "here": NoteFactory(folder__municipality=lindenberg),
        "other": NoteFactory(folder__municipality=lindenberg),
        "elsewhere": NoteFactory(folder__municipality=heidebeek),
    }


@pytest.mark.django_db
def test_scoped_keeps_this_municipality_s_rows_only(rf, coordinator, lindenberg, notes):
    page = _page(rf, coordinator, lindenberg)
    assert set(page.scoped(Note.objects.all())) == {notes["here"], notes["other"]}


@pytest.mark.django_db
def test_an_id_of_another_municipality_is_a_404(rf, coordinator, lindenberg, notes):
    page = _page(rf, coordinator, lindenberg)
    assert page.get_scoped_object(Note.objects, "testapp.view_note", pk=notes["here"].pk)
    with pytest.raises(Http404):
        page.get_scoped_object(Note.objects, "testapp.view_note", pk=notes["elsewhere"].pk)


@pytest.mark.django_db
def test_a_personal_grant_opens_that_object_only(rf, make_member, lindenberg, notes):
    promotor = make_member(Role.PROMOTOR)  # promotors hold no testapp permission by role
    grant_personal(user=promotor, perm="testapp.change_note", obj=notes["here"])
    page = _page(rf, promotor, lindenberg)

    assert page.get_scoped_object(Note.objects, "testapp.change_note", pk=notes["here"].pk)
    for other in ("other", "elsewhere"):
        with pytest.raises(Http404):
            page.get_scoped_object(Note.objects, "testapp.change_note", pk=notes[other].pk)
