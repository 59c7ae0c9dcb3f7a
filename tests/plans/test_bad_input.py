"""Bad input on the plans' forms (the plan and its items, the decisions, the vote, the council,
the consultation, steering, the documents) and on the public consultation pages: never a 500, a
refusal says why and stores nothing, what is accepted is stored as typed and shown escaped
(tests/bad_input.py)."""

from django.urls import reverse

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from plans.constants import (
    Availability,
    IndicatorType,
    Objectivity,
    RemarkSource,
    ResourceKind,
    Verdict,
    VoteChoice,
)
from plans.decision_forms import ReasonForm, ReferenceForm
from plans.forms import PhenomenonForm
from plans.views.items import KINDS
from tests.bad_input import FormCase, assert_escaped, rolled_back, run_case
from tests.bad_input_world import World
from tests.strategies import (
    PDF_FILE,
    for_field,
    nasty_choice,
    nasty_file,
    nasty_id,
    odd_ids,
    queries,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(lindenberg, heidebeek, make_member, client):
    return World(lindenberg, heidebeek, make_member, client)


def page(name, plan=None, **kwargs):
    if plan is not None:
        kwargs["pk"] = plan.pk
    return reverse(f"plans:{name}", kwargs={"municipality": "lindenberg", **kwargs})


def plan_pages(plan):
    return [page("plan-detail", plan), page("plan-history", plan), page("plan-list")]


# --- The plan's items --------------------------------------------------------------------------

PARENT = {"result": "action-plan", "action": "action-plan", "resource": "action-plan"}
PARENT["indicator"] = "result"

NEW_ITEM = {
    "goal": lambda items: {"title": "Veilig naar school"},
    "action-plan": lambda items: {
        "goal": str(items["goal"].pk),
        "title": "Fietsstraten",
        "priority": "2",
    },
    "result": lambda items: {"text": "Minder ongevallen"},
    "action": lambda items: {"title": "Fietsbarometer", "priority": "2"},
    "resource": lambda items: {
        "kind": ResourceKind.BUDGET,
        "amount": "2500",
        "unit": "EUR",
        "availability": Availability.AVAILABLE,
    },
    "indicator": lambda items: {
        "name": "Aantal ongevallen",
        "type": IndicatorType.OUTCOME,
        "objectivity": Objectivity.OBJECTIVE,
    },
}


def add_url(world, kind):
    url = page("item-add", world.draft, kind=kind)
    if kind in PARENT:
        url += f"?parent={world.draft.items[PARENT[kind]].pk}"
    return url


def item_url(name, world, kind):
    return page(name, world.draft, kind=kind, item=world.draft.items[kind].pk)


def item_cases():
    for kind in KINDS:
        yield FormCase(
            f"item-add-{kind}",
            route="plans:item-add",
            url=lambda w, kind=kind: add_url(w, kind),
            user=lambda w: w.coordinator,
            form=lambda w, kind=kind: w.shown_form(add_url(w, kind)),
            accepted=lambda w, kind=kind: NEW_ITEM[kind](w.draft.items),
            shows=lambda w: plan_pages(w.draft),
        )
        yield FormCase(
            f"item-edit-{kind}",
            route="plans:item-edit",
            url=lambda w, kind=kind: item_url("item-edit", w, kind),
            user=lambda w: w.coordinator,
            form=lambda w, kind=kind: w.shown_form(item_url("item-edit", w, kind)),
            shows=lambda w: plan_pages(w.draft),
        )
        yield FormCase(
            f"item-remove-{kind}",
            route="plans:item-remove",
            url=lambda w, kind=kind: item_url("item-remove", w, kind),
            user=lambda w: w.coordinator,
        )
        yield FormCase(
            f"item-move-{kind}",
            route="plans:item-move",
            url=lambda w, kind=kind: item_url("item-move", w, kind),
            user=lambda w: w.coordinator,
            accepted=lambda w: {"direction": "down"},
            fields=lambda w: {"direction": nasty_choice(["up", "down"])},
        )


# --- Forms on pages with several forms ---------------------------------------------------------


def evaluation_forms(world):
    goals = world.shown_form(page("evaluation", world.steering), "goals")
    return [goal.form for goal in goals]


def prefixed_fields(forms_):
    return {
        form.add_prefix(name): for_field(field)
        for form in forms_
        for name, field in form.fields.items()
    }


def first_choice(form, name) -> str:
    return str(next(value for value, _label in form.fields[name].choices if value != ""))


def own(world):
    return world.steering.items["action-plan"]


def steering_page(name, world, **kwargs):
    return page(name, world.steering, action_plan=own(world).pk, **kwargs)


CASES = [
    FormCase(
        "plan-create",
        route="plans:plan-create",
        url=lambda w: page("plan-create"),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("plan-create")),
        accepted=lambda w: {"title": "Plan 2032", "period_start": "2032", "period_end": "2037"},
        shows=lambda w: [page("plan-list")],
    ),
    FormCase(
        "plan-edit",
        route="plans:plan-edit",
        url=lambda w: page("plan-edit", w.draft),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("plan-edit", w.draft)),
        shows=lambda w: plan_pages(w.draft),
    ),
    FormCase(
        "phenomena",
        route="plans:phenomena",
        url=lambda w: page("phenomena"),
        user=lambda w: w.coordinator,
        form=lambda w: PhenomenonForm(),
        accepted=lambda w: {"name_nl": "Winkeldiefstal"},
    ),
    *item_cases(),
    FormCase(
        "submit",
        route="plans:submit",
        url=lambda w: page("submit", w.draft),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("submit", w.draft)),
        shows=lambda w: [page("vote", w.draft), *plan_pages(w.draft)],
    ),
    FormCase(
        "withdraw",
        route="plans:withdraw",
        url=lambda w: page("withdraw", w.in_review),
        user=lambda w: w.coordinator,
        form=lambda w: ReasonForm(),
        accepted=lambda w: {"reason": "Het budget klopt niet."},
        shows=lambda w: plan_pages(w.in_review),
    ),
    FormCase(
        "close",
        route="plans:close",
        url=lambda w: page("close", w.evaluated),
        user=lambda w: w.coordinator,
        form=lambda w: ReasonForm(),
        accepted=lambda w: {"reason": "Het plan is uitgevoerd."},
        shows=lambda w: plan_pages(w.steering),
    ),
    FormCase(
        "consultation-dates",
        route="plans:consultation",
        url=lambda w: page("consultation", w.in_consultation),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("consultation", w.in_consultation), "dates_form"),
        accepted=lambda w: {"opens": "2026-03-01T09:00", "closes": "2026-04-01T17:00"},
    ),
    FormCase(
        "consultation-close",
        route="plans:consultation",
        url=lambda w: page("consultation", w.in_consultation),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("consultation", w.in_consultation), "close_form"),
        accepted=lambda w: {"reason": "Genoeg reacties."},
        fixed={"action": "close"},
        shows=lambda w: plan_pages(w.in_consultation),
    ),
    FormCase(
        "discussion",
        route="plans:discussion-add",
        url=lambda w: page("discussion-add", w.draft),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("discussion-add", w.draft)),
        accepted=lambda w: {
            "agenda_item": str(
                w.shown_form(page("discussion-add", w.draft)).fields["agenda_item"].queryset[0].pk
            )
        },
        shows=lambda w: plan_pages(w.draft),
    ),
    FormCase(
        "vote",
        route="plans:vote",
        url=lambda w: page("vote", w.in_review),
        user=lambda w: w.chair,
        form=lambda w: w.shown_form(page("vote", w.in_review)),
        accepted=lambda w: {"choice": VoteChoice.APPROVE, "comment": "Akkoord"},
    ),
    FormCase(
        "round-close",
        route="plans:round-close",
        url=lambda w: page("round-close", w.past_deadline),
        user=lambda w: w.chair,
    ),
    FormCase(
        "acting-chair",
        route="plans:acting-chair",
        url=lambda w: page("acting-chair", w.in_review),
        user=lambda w: w.coordinator,
        accepted=lambda w: {"user": str(w.college[1].pk)},
        fields=lambda w: {
            "user": nasty_id([u.pk for u in w.college], [w.coordinator.pk, w.foreign["user"].pk])
        },
    ),
    FormCase(
        "round-reference",
        route="plans:round-reference",
        url=lambda w: page("round-reference", w.in_consultation),
        user=lambda w: w.coordinator,
        form=lambda w: ReferenceForm(),
        accepted=lambda w: {"reference": "CBS/2026/4", "reference_url": "https://lindenberg.be"},
        shows=lambda w: [page("vote", w.in_consultation)],
    ),
    FormCase(
        "council-decision",
        route="plans:council-decision",
        url=lambda w: page("council-decision", w.in_council),
        user=lambda w: w.secretary,
        form=lambda w: w.shown_form(page("council-decision", w.in_council)),
        accepted=lambda w: {
            "date": "2026-06-01",
            "reference": "GR/2026/12",
            "votes_for": "20",
            "votes_against": "5",
            "votes_abstain": "2",
            "adopted": "1",
        },
        shows=lambda w: plan_pages(w.in_council),
        examples=10,
    ),
    FormCase(
        "remark-enter",
        route="plans:remark-enter",
        url=lambda w: page("remark-enter", w.in_consultation),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("remark-enter", w.in_consultation)),
        accepted=lambda w: {
            "text": "Meer verlichting in het park",
            "source": RemarkSource.LETTER,
            "received_on": "2026-03-02",
        },
        shows=lambda w: [page("remark-list", w.in_consultation)],
    ),
    FormCase(
        "remark-moderate",
        route="plans:remark-detail",
        url=lambda w: page("remark-detail", w.in_consultation, remark=w.remark.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(
            page("remark-detail", w.in_consultation, remark=w.remark.pk), "moderation_form"
        ),
        fixed={"action": "moderate"},
        shows=lambda w: [
            page("remark-list", w.in_consultation),
            page("antwoordnota", w.in_consultation),
        ],
    ),
    FormCase(
        "remark-respond",
        route="plans:remark-detail",
        url=lambda w: page("remark-detail", w.in_consultation, remark=w.remark.pk),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(
            page("remark-detail", w.in_consultation, remark=w.remark.pk), "response_form"
        ),
        accepted=lambda w: {"verdict": Verdict.PARTLY, "motivation": "Deels opgenomen."},
        fixed={"action": "respond"},
        shows=lambda w: [page("antwoordnota", w.in_consultation)],
    ),
    FormCase(
        "reporting",
        route="plans:reporting",
        url=lambda w: page("reporting", w.steering),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("reporting", w.steering)),
    ),
    FormCase(
        "escalation",
        route="plans:escalations",
        url=lambda w: page("escalations", w.steering),
        user=lambda w: w.coordinator,
        form=lambda w: w.shown_form(page("escalations", w.steering)),
        accepted=lambda w: {"text": "De politie heeft geen capaciteit."},
    ),
    FormCase(
        "escalation-answer",
        route="plans:escalation-answer",
        url=lambda w: page("escalation-answer", w.steering, escalation=w.escalation.pk),
        user=lambda w: w.chair,
        form=lambda w: w.shown_form(
            page("escalation-answer", w.steering, escalation=w.escalation.pk)
        ),
        accepted=lambda w: {"answer": "Ik bel de korpschef."},
        shows=lambda w: [page("escalations", w.steering)],
    ),
    FormCase(
        "evaluation",
        route="plans:evaluation",
        url=lambda w: page("evaluation", w.steering),
        user=lambda w: w.coordinator,
        accepted=lambda w: {evaluation_forms(w)[0].add_prefix("result"): "Grotendeels bereikt"},
        fields=lambda w: prefixed_fields(evaluation_forms(w)),
    ),
    FormCase(
        "report-add",
        route="plans:report-add",
        url=lambda w: steering_page("report-add", w),
        user=lambda w: w.promotor,
        form=lambda w: w.shown_form(steering_page("report-add", w)),
        accepted=lambda w: {
            "period_end": first_choice(w.shown_form(steering_page("report-add", w)), "period_end"),
            "status": "on_track",
            "percent": "40",
            "text": "Loopt",
        },
        shows=lambda w: [
            steering_page("steering", w),
            reverse("monitor:monitor", kwargs={"municipality": "lindenberg"}),
        ],
    ),
    FormCase(
        "report-edit",
        route="plans:report-edit",
        url=lambda w: steering_page("report-edit", w, report=w.report.pk),
        user=lambda w: w.promotor,
        form=lambda w: w.shown_form(steering_page("report-edit", w, report=w.report.pk)),
        shows=lambda w: [steering_page("steering", w)],
    ),
    FormCase(
        "measurement-add",
        route="plans:measurement-add",
        url=lambda w: steering_page(
            "measurement-add", w, indicator=w.steering.items["indicator"].pk
        ),
        user=lambda w: w.promotor,
        form=lambda w: w.shown_form(
            steering_page("measurement-add", w, indicator=w.steering.items["indicator"].pk)
        ),
        accepted=lambda w: {"date": "2026-06-30", "value": "12"},
        shows=lambda w: [
            steering_page("steering", w),
            reverse("monitor:indicators", kwargs={"municipality": "lindenberg"}),
        ],
    ),
    FormCase(
        "measurement-edit",
        route="plans:measurement-edit",
        url=lambda w: steering_page("measurement-edit", w, measurement=w.measurement.pk),
        user=lambda w: w.promotor,
        form=lambda w: w.shown_form(
            steering_page("measurement-edit", w, measurement=w.measurement.pk)
        ),
        shows=lambda w: [steering_page("steering", w)],
    ),
    # The documents' "try again" buttons: nothing to type, a PDF to render (few examples).
    FormCase(
        "plan-pdf",
        route="plans:plan-pdf",
        url=lambda w: page("plan-pdf", w.draft),
        user=lambda w: w.coordinator,
        success_redirects=False,
        examples=1,
    ),
    FormCase(
        "antwoordnota-pdf",
        route="plans:antwoordnota-pdf",
        url=lambda w: page("antwoordnota-pdf", w.in_consultation),
        user=lambda w: w.coordinator,
        success_redirects=False,
        examples=1,
    ),
    FormCase(
        "round-extract",
        route="plans:round-extract",
        url=lambda w: page(
            "round-extract", w.in_consultation, round=w.in_consultation.vote_rounds.first().pk
        ),
        user=lambda w: w.coordinator,
        success_redirects=False,
        examples=1,
    ),
    FormCase(
        "adoption-pdf",
        route="plans:adoption-pdf",
        url=lambda w: page("adoption-pdf", w.in_council),
        user=lambda w: w.coordinator,
        success_redirects=False,
        examples=1,
    ),
    FormCase(
        "monitor-report",
        route="monitor:report",
        url=lambda w: (
            w.steering,
            reverse("monitor:report", kwargs={"municipality": "lindenberg"}),
        )[1],
        user=lambda w: w.coordinator,
        success_redirects=False,
        examples=1,
    ),
]


# --- The public pages, without an account ------------------------------------------------------


def public(name, plan=None, **kwargs):
    if plan is not None:
        kwargs.update(municipality="lindenberg", pk=plan.pk)
    return reverse(name, kwargs=kwargs)


PUBLIC_CASES = [
    FormCase(
        "public-remark",
        route="public-plan",
        url=lambda w: public("public-plan", w.in_consultation),
        user=None,
        form=lambda w: w.shown_form(public("public-plan", w.in_consultation)),
        accepted=lambda w: {"text": "Meer licht in het park, graag.", "name": "An"},
        not_stored=("website",),
        shows=lambda w: [public("public-plan", w.in_consultation)],
    ),
    FormCase(
        "public-verify",
        route="public-verify",
        url=lambda w: public("public-verify"),
        user=None,
        form=lambda w: w.shown_form(public("public-verify")),
        accepted=lambda w: {"document": ("plan.pdf", PDF_FILE)},
        fields=lambda w: {"document": st.one_of(nasty_file(), st.just(("plan.pdf", PDF_FILE)))},
        success_redirects=False,
    ),
    FormCase(
        "public-pdf",
        route="public-pdf",
        url=lambda w: public("public-pdf", w.in_consultation),
        user=None,
        success_redirects=False,
        examples=1,
    ),
]


@pytest.mark.parametrize("case", CASES + PUBLIC_CASES, ids=lambda case: case.id)
def test_bad_input(client, world, case):
    run_case(client, case, world)


# --- The public pages' addresses ---------------------------------------------------------------


def test_odd_addresses_of_the_public_pages(client, world):
    """The consultation's pages, without an account, at odd municipality names, plan ids and
    query strings: never a 500, nothing unescaped."""
    plan = world.in_consultation
    hidden = world.draft  # not public: a 404 like an unknown id
    slugs = st.one_of(
        st.sampled_from(["lindenberg", "heidebeek", "LINDENBERG", "nowhere", "admin", "media"]),
        st.from_regex(r"\A[-a-zA-Z0-9_]{1,80}\Z"),
    )
    ids = st.one_of(st.sampled_from([plan.pk, hidden.pk, world.foreign["plan"].pk]), odd_ids())
    kinds = st.sampled_from(["plan", "received", "logo", "verify"])

    @hypothesis_settings(max_examples=4 * hypothesis_settings().max_examples)
    @given(kind=kinds, slug=slugs, pk=ids, query=queries)
    def examples(kind, slug, pk, query):
        path = {
            "plan": f"/inspraak/{slug}/{pk}/",
            "received": f"/inspraak/{slug}/{pk}/ontvangen/",
            "logo": f"/inspraak/{slug}/logo/",
            "verify": "/inspraak/verify/",
        }[kind]
        with rolled_back():
            response = client.get(path, query)
            assert response.status_code in (200, 404), (path, query, response.status_code)
            assert_escaped(response, path)
            if pk == hidden.pk and slug == "lindenberg" and kind != "verify":
                assert response.status_code == 404

    examples()


# --- Regressions found by the cases above -------------------------------------------------------


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "1.5", "²", str(2**64)])
def test_an_acting_chair_that_is_no_elector_is_refused_with_a_message(client, world, value):
    """A value that is no id made the page fail (ValueError); an id of nobody designated
    nobody without a word."""
    from django.contrib.messages import get_messages

    from tests.bad_input import changed_tables, db_state

    plan = world.in_review
    client.force_login(world.coordinator)
    before = db_state()
    response = client.post(page("acting-chair", plan), {"user": value})
    assert response.status_code == 302
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["error"]
    assert changed_tables(before, db_state()) == {}


@pytest.mark.parametrize("huge", [2**63, 2**64, -(2**63) - 1, 10**30])
def test_a_huge_id_among_several_is_refused_not_a_500(client, world, huge):
    """Ticked phenomena, partners or actions with an id no database integer holds: the
    ``__in`` lookup failed (OverflowError on SQLite)."""
    from tests.bad_input import changed_tables, db_state, error_texts, form_values

    client.force_login(world.coordinator)
    url = item_url("item-edit", world, "goal")
    data = {**form_values(world.shown_form(url)), "phenomena": [str(huge)]}
    before = db_state()
    response = client.post(url, data)
    assert response.status_code == 200
    assert any(str(huge) in error for error in error_texts(response))
    assert changed_tables(before, db_state()) == {}

    client.force_login(world.promotor)
    url = steering_page("report-add", world)
    form = world.shown_form(url)
    data = {**form_values(form), "period_end": first_choice(form, "period_end")}
    data.update(status="on_track", percent="10", actions_done=[str(huge)])
    before = db_state()
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["actions_done"]
    assert changed_tables(before, db_state()) == {}
