"""Phase 2's pages: the public page of a plan per state (without an account), sending a remark
on it (thanks page with the reference, honeypot, rate limit, double submit, bad input, escaped
HTML, e-mail addresses never shown), and the coordinator's pages — the remark list, entering,
moderating and answering a remark, the antwoordnota — with who may open them; and the queries
these pages cost as the plan and its remarks grow."""

import datetime
from types import SimpleNamespace

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

import pytest

from plans.constants import PlanState, RemarkSource, RemarkStatus, Verdict
from plans.models import Goal, Plan, Remark, Response
from plans.services.consultation import (
    CLOSED,
    NOT_OPEN,
    TOO_MANY,
    UNANSWERED,
    address_hash,
    remark_moderate,
    response_write,
)
from safetynet.concurrency import latest_version
from safetynet.constants import Role
from tests.budget_support import count_of
from tests.plans.pages_support import (
    all_vote,
    person,
    plan_page,
    ready_plan,
    submit,
)
from tests.plans.test_consultation import (
    ADDRESS,
    advance,
    consulting_plan,
    ensure_college,
    publish_and_answer,
    send,
)
from tests.plans.test_query_counts import big_plan

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
EMAIL = "jan.peeters@example.org"
PERSON = "Jan Peeters"
SCRIPT = '<script>alert("x")</script><b>vet</b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;vet&lt;/b&gt;"


def nl(message):
    """A message as the (Dutch) page shows it."""
    with translation.override("nl"):
        return gettext(message)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def public_url(plan, municipality=None, pk=None):
    return reverse(
        "public-plan",
        kwargs={"municipality": municipality or plan.municipality.slug, "pk": pk or plan.pk},
    )


def received_url(plan, municipality=None):
    return reverse(
        "public-received",
        kwargs={"municipality": municipality or plan.municipality.slug, "pk": plan.pk},
    )


def remark_url(remark, municipality=None, plan=None):
    return plan_page("remark-detail", plan or remark.plan, municipality, remark=remark.pk)


def post_remark(client, plan, address=ADDRESS, **data):
    data = {"text": "Meer verlichting aan het station.", **data}
    return client.post(public_url(plan), data, REMOTE_ADDR=address)


# --- The scene ----------------------------------------------------------------------------------


@pytest.fixture
def college(lindenberg, make_member):
    return ensure_college(lindenberg, make_member)


@pytest.fixture
def secretary(make_member):
    return make_member(Role.COUNCIL_SECRETARY, username="secretaris")


@pytest.fixture
def plan(lindenberg, coordinator, college):
    """A plan of Lindenberg in consultation, open since yesterday, for ten more days."""
    return consulting_plan(lindenberg, coordinator)


def with_remarks(plan, coordinator):
    """Four remarks: one published and answered (a person's, with an e-mail address), one by an
    organisation that asks to be named (published, answered), one answered but not published,
    one spam."""
    goal = plan.items["goal"]
    person_remark = send(plan, text=f"Jan Peeters, {EMAIL}: {SCRIPT}", name=PERSON, email=EMAIL)
    publish_and_answer(person_remark, coordinator, redacted=f"Gepubliceerd {SCRIPT}")
    organisation = send(
        plan,
        text="Het BIN wil meedoen.",
        address="192.0.2.2",
        organisation="BIN Kerkwijk",
        name_public=True,
        email="bin@example.org",
        goal=goal,
    )
    publish_and_answer(organisation, coordinator, redacted="Het BIN wil graag meedoen.")
    private = send(plan, text="Niet gepubliceerde tekst", address="192.0.2.3", name="Piet Geheim")
    response_write(remark=private, by=coordinator, verdict=Verdict.NOT_ACCEPTED, motivation="Nee")
    spam = send(plan, text="CASINO BONUS", address="192.0.2.4")
    remark_moderate(remark=spam, by=coordinator, status=RemarkStatus.SPAM)
    return SimpleNamespace(person=person_remark, organisation=organisation, private=private)


def plan_in(state, lindenberg, coordinator, secretary):
    """A plan of Lindenberg in ``state``; from the consultation on with the remarks of
    :func:`with_remarks`."""
    if state == PlanState.DRAFT:
        return ready_plan(lindenberg, coordinator), None
    if state == PlanState.COLLEGE_REVIEW:
        plan = ready_plan(lindenberg, coordinator)
        submit(plan, coordinator)
        plan.refresh_from_db()
        return plan, None
    plan = consulting_plan(lindenberg, coordinator)
    remarks = with_remarks(plan, coordinator)
    return advance(plan, state, coordinator, secretary), remarks


# --- The public page per state ------------------------------------------------------------------


ANSWERED = [
    PlanState.COLLEGE_ADOPTION,
    PlanState.COUNCIL_ADOPTION,
    PlanState.STEERING,
    PlanState.CLOSED,
]


@pytest.mark.parametrize("state", [PlanState.DRAFT, PlanState.COLLEGE_REVIEW])
def test_the_public_page_does_not_exist_before_the_consultation(
    client, lindenberg, coordinator, college, secretary, state
):
    plan, _ = plan_in(state, lindenberg, coordinator, secretary)
    assert client.get(public_url(plan)).status_code == 404
    assert client.get(received_url(plan)).status_code == 404
    assert post_remark(client, plan).status_code == 404
    assert not Remark.objects.exists()


def test_the_open_consultation_shows_the_plan_and_the_form_without_an_account(client, plan):
    response = client.get(public_url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["is_open"]
    assert nl("The consultation is open.") in html
    assert plan.title in html
    assert plan.items["goal"].title in html
    assert plan.items["action-plan"].title in html
    assert 'name="text"' in html
    assert 'id="remark"' in html
    assert 'name="website"' in html  # the honeypot
    assert response.context["answered"] == []


def test_before_its_opening_the_page_says_when_it_opens(client, lindenberg, coordinator, college):
    plan = consulting_plan(lindenberg, coordinator, opens=2, closes=10)
    response = client.get(public_url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["not_yet"]
    assert not response.context["is_open"]
    assert 'name="text"' not in html
    assert nl("The consultation is open.") not in html
    assert nl("The consultation has closed.") not in html


@pytest.mark.parametrize("how", ["by-date", "revision"])
def test_after_its_closing_the_page_says_so_without_a_form(
    client, lindenberg, coordinator, college, secretary, how
):
    if how == "by-date":
        plan = consulting_plan(lindenberg, coordinator, opens=-10, closes=-1)
    else:
        plan, _ = plan_in(PlanState.REVISION, lindenberg, coordinator, secretary)
    response = client.get(public_url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert nl("The consultation has closed.") in html
    assert 'name="text"' not in html
    revision_note = nl(
        "The municipality is adapting the plan to the remarks; the answers are published with "
        "the adapted plan."
    )
    assert (revision_note in html) == (how == "revision")
    assert response.context["answered"] == []
    assert 'id="answers"' not in html


@pytest.mark.parametrize("state", ANSWERED)
def test_once_submitted_for_adoption_the_page_shows_the_published_remarks_and_answers(
    client, lindenberg, coordinator, college, secretary, state
):
    plan, remarks = plan_in(state, lindenberg, coordinator, secretary)
    response = client.get(public_url(plan))
    assert response.status_code == 200
    html = response.content.decode()
    assert {r.pk for r in response.context["answered"]} == {
        remarks.person.pk,
        remarks.organisation.pk,
    }
    assert 'id="answers"' in html
    assert nl("The consultation has closed.") in html
    assert 'name="text"' not in html
    assert "Gepubliceerd " + ESCAPED in html
    assert "Het BIN wil graag meedoen." in html
    assert "BIN Kerkwijk" in html  # the organisation asked to be named
    assert remarks.person.reference in html
    assert "Staat in het actieplan." in html  # the answer
    with translation.override("nl"):
        assert str(Verdict.ACCEPTED.label) in html
    # Never: the original texts, an unpublished or spam remark, a person's name, an address.
    assert "Niet gepubliceerde tekst" not in html
    assert remarks.private.reference not in html
    assert "CASINO" not in html
    assert SCRIPT not in html
    for secret in (PERSON, "Piet Geheim", EMAIL, "bin@example.org", "@example.org", ADDRESS):
        assert secret not in html
    adopted = nl("The municipal council has adopted the plan.") in html
    assert adopted == (state in (PlanState.STEERING, PlanState.CLOSED))


def test_an_organisation_not_asking_to_be_named_is_not_named(
    client, lindenberg, coordinator, college, secretary
):
    plan = consulting_plan(lindenberg, coordinator)
    remark = send(plan, organisation="Stille Vereniging", name_public=False)
    publish_and_answer(remark, coordinator)
    advance(plan, PlanState.COLLEGE_ADOPTION, coordinator)
    html = client.get(public_url(plan)).content.decode()
    assert remark.reference in html
    assert "Stille Vereniging" not in html


# --- Wrong addresses ----------------------------------------------------------------------------


def test_a_wrong_plan_or_another_municipality_is_404(client, plan, heidebeek):
    missing = Plan.objects.order_by("-pk").first().pk + 1
    assert client.get(public_url(plan, pk=missing)).status_code == 404
    assert client.get(public_url(plan, municipality="heidebeek")).status_code == 404
    assert client.get(public_url(plan, municipality="nergens")).status_code == 404
    assert client.get(received_url(plan, municipality="heidebeek")).status_code == 404
    response = client.post(
        public_url(plan, municipality="heidebeek"), {"text": "Hallo"}, REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 404
    assert client.post(public_url(plan, pk=missing), {"text": "Hallo"}).status_code == 404
    assert not Remark.objects.exists()


# --- Sending a remark ---------------------------------------------------------------------------


def test_a_resident_sends_a_remark_and_sees_its_reference(client, plan, mailoutbox):
    goal = plan.items["goal"]
    response = post_remark(
        client,
        plan,
        text="Meer verlichting aan het station.",
        name=PERSON,
        goal=goal.pk,
        action_plan=plan.items["action-plan"].pk,
    )
    remark = Remark.objects.get()
    assert response.status_code == 302
    assert response.url == received_url(plan) + f"?referentie={remark.reference}"
    assert remark.plan == plan
    assert remark.goal == goal
    assert remark.action_plan == plan.items["action-plan"]
    assert remark.name == PERSON
    assert remark.source == RemarkSource.ONLINE
    assert remark.address_hash == address_hash(ADDRESS)
    assert remark.status == RemarkStatus.NEW

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<strong>{remark.reference}</strong>" in html
    assert public_url(plan) in html  # back to the plan
    assert PERSON not in html
    assert mailoutbox == []  # no address, no confirmation


def test_the_thanks_page_names_only_a_reference_of_this_plan(client, plan, lindenberg, coordinator):
    other = consulting_plan(lindenberg, coordinator, title="Ander plan")
    theirs = send(other)
    mine = send(plan, address="192.0.2.8")
    response = client.get(received_url(plan) + f"?referentie={theirs.reference}")
    assert response.context["reference"] == ""
    html = response.content.decode()
    assert f"<strong>{theirs.reference}</strong>" not in html
    assert nl("Your remark has been received.") in html
    response = client.get(received_url(plan) + "?referentie=<b>R-FAKE</b>")
    assert response.context["reference"] == ""
    assert "<b>R-FAKE" not in response.content.decode()
    response = client.get(received_url(plan) + f"?referentie={mine.reference}")
    assert response.context["reference"] == mine.reference
    assert f"<strong>{mine.reference}</strong>" in response.content.decode()


def test_a_confirmation_is_mailed_when_an_address_is_given(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_remark(client, plan, email=EMAIL)
    remark = Remark.objects.get()
    assert remark.email == EMAIL
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [EMAIL]
    assert remark.reference in mailoutbox[0].subject
    html = client.get(response.url).content.decode()
    assert EMAIL not in html


def test_the_honeypot_thanks_the_robot_and_stores_nothing(
    client, plan, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_remark(client, plan, website="http://spam.example", email=EMAIL)
    assert response.status_code == 302
    assert response.url == received_url(plan)
    assert not Remark.objects.exists()
    assert mailoutbox == []
    html = client.get(response.url).content.decode()
    assert nl("Your remark has been received.") in html


def test_a_double_submit_stores_one_remark(client, plan):
    first = post_remark(client, plan)
    second = post_remark(client, plan)
    assert Remark.objects.count() == 1
    assert first.url == second.url
    post_remark(client, plan, address="198.51.100.2")  # another connection: another remark
    assert Remark.objects.count() == 2


def test_the_rate_limit_refuses_with_a_message_and_keeps_the_text(client, plan, settings):
    settings.SAFETYNET_REMARKS_PER_HOUR = 2
    for i in range(2):
        assert post_remark(client, plan, text=f"Opmerking {i}").status_code == 302
    response = post_remark(client, plan, text="De derde opmerking")
    assert response.status_code == 200
    html = response.content.decode()
    assert nl(TOO_MANY) in html
    assert "De derde opmerking" in html  # what was typed stays in the form
    assert Remark.objects.count() == 2
    assert post_remark(client, plan, address="198.51.100.3").status_code == 302
    assert Remark.objects.count() == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 6000}, "text"),
        ({"email": "geen-adres"}, "email"),
        ({"name": "n" * 151}, "name"),
    ],
    ids=["empty", "blank", "6000-characters", "bad-e-mail", "long-name"],
)
def test_bad_input_is_refused_with_the_form_again(client, plan, data, field):
    response = post_remark(client, plan, **data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert not Remark.objects.exists()


def test_a_text_of_5000_characters_is_accepted(client, plan):
    assert post_remark(client, plan, text="x" * 5000).status_code == 302
    assert len(Remark.objects.get().text) == 5000


def test_a_goal_or_action_plan_of_another_plan_is_refused(client, plan, lindenberg, coordinator):
    other = ready_plan(lindenberg, coordinator, title="Ander plan")
    response = post_remark(client, plan, goal=other.items["goal"].pk)
    assert response.status_code == 200
    assert "goal" in response.context["form"].errors
    response = post_remark(client, plan, action_plan=other.items["action-plan"].pk)
    assert "action_plan" in response.context["form"].errors
    response = post_remark(client, plan, goal="999999")
    assert "goal" in response.context["form"].errors
    assert not Remark.objects.exists()


def test_html_stays_escaped_on_every_page(client, plan, coordinator, viewer):
    response = post_remark(client, plan, text=SCRIPT, organisation=SCRIPT, name_public="on")
    html = client.get(response.url).content.decode()
    assert "<script>alert" not in html
    remark = Remark.objects.get()
    assert remark.text == SCRIPT  # stored as sent, escaped when shown
    # The form sent back with an error escapes what was typed.
    html = post_remark(client, plan, text=SCRIPT, email="fout").content.decode()
    assert SCRIPT not in html
    assert ESCAPED in html

    client.force_login(coordinator)
    for url in (plan_page("remark-list", plan), remark_url(remark)):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert "&lt;script&gt;" in html, url
    publish_and_answer(remark, coordinator, redacted=SCRIPT)
    client.force_login(viewer)
    html = client.get(plan_page("antwoordnota", plan)).content.decode()
    assert SCRIPT not in html
    assert ESCAPED in html
    advance(plan, PlanState.COLLEGE_ADOPTION, coordinator)
    client.logout()
    html = client.get(public_url(plan)).content.decode()
    assert "<script>alert" not in html
    assert "<b>vet" not in html
    assert ESCAPED in html


def test_e_mail_addresses_never_on_the_public_pages(client, plan, coordinator):
    response = post_remark(client, plan, email=EMAIL, name=PERSON)
    for url in (public_url(plan), response.url):
        html = client.get(url).content.decode()
        assert EMAIL not in html
        assert PERSON not in html
    remark = Remark.objects.get()
    publish_and_answer(remark, coordinator)
    advance(plan, PlanState.COLLEGE_ADOPTION, coordinator)
    html = client.get(public_url(plan)).content.decode()
    assert remark.reference in html
    assert EMAIL not in html
    assert PERSON not in html


@pytest.mark.parametrize(
    ("when", "message"),
    [("closed-by-date", CLOSED), ("revision", CLOSED), ("not-yet-open", NOT_OPEN)],
    ids=["closed-by-date", "revision", "not-yet-open"],
)
def test_a_remark_sent_outside_the_consultation_is_refused_with_a_message(
    client, lindenberg, coordinator, college, when, message
):
    opens, closes = {"closed-by-date": (-10, -1), "not-yet-open": (2, 10)}.get(when, (-1, 10))
    plan = consulting_plan(lindenberg, coordinator, opens=opens, closes=closes)
    if when == "revision":
        advance(plan, PlanState.REVISION, coordinator)
    response = post_remark(client, plan)
    assert response.status_code == 302
    assert response.url == public_url(plan)
    assert not Remark.objects.exists()
    assert messages_of(response) == [nl(message)]


def test_a_consultation_without_dates_is_open_from_the_approval(
    client, lindenberg, coordinator, college
):
    plan = ready_plan(lindenberg, coordinator)
    all_vote(submit(plan, coordinator), college)
    plan.refresh_from_db()
    assert plan.state == PlanState.CONSULTATION
    assert plan.consultation_opens is None
    response = client.get(public_url(plan))
    html = response.content.decode()
    assert response.context["is_open"]
    assert nl("The consultation has closed.") not in html
    assert 'name="text"' in html
    assert post_remark(client, plan).status_code == 302
    assert Remark.objects.filter(plan=plan).count() == 1


def test_the_consultation_closing_between_page_and_post_stores_nothing(client, plan):
    """The page was loaded while open; the closing moment passed before the resident sent."""
    assert 'name="text"' in client.get(public_url(plan)).content.decode()
    Plan.objects.filter(pk=plan.pk).update(
        consultation_opens=timezone.now() - 10 * DAY,
        consultation_closes=timezone.now() - datetime.timedelta(seconds=1),
    )
    response = post_remark(client, plan)
    assert response.status_code == 302
    assert not Remark.objects.exists()
    page = client.get(response.url)
    assert nl(CLOSED) in page.content.decode()


# --- Who may open the coordinator's pages -------------------------------------------------------


@pytest.fixture
def scene(lindenberg, role_users, make_member, other_coordinator):
    coordinator = role_users[Role.COORDINATOR]
    ensure_college(lindenberg, make_member)
    plan = consulting_plan(lindenberg, coordinator)
    remark = send(plan, name=PERSON, email=EMAIL)
    return SimpleNamespace(
        plan=plan,
        remark=remark,
        users=role_users,
        coordinator=coordinator,
        stranger=other_coordinator,
    )


COORDINATOR_PAGES = ["remark-list", "remark-enter", "remark-detail"]


def coordinator_urls(scene, municipality="lindenberg"):
    return {
        "remark-list": plan_page("remark-list", scene.plan, municipality),
        "remark-enter": plan_page("remark-enter", scene.plan, municipality),
        "remark-detail": remark_url(scene.remark, municipality),
        "antwoordnota": plan_page("antwoordnota", scene.plan, municipality),
    }


def test_only_the_coordinator_opens_the_remark_pages(client, scene):
    urls = coordinator_urls(scene)
    got, expected = {}, {}
    for role, user in scene.users.items():
        client.force_login(user)
        for name in COORDINATOR_PAGES:
            got[role, name] = client.get(urls[name]).status_code
            expected[role, name] = 200 if role == Role.COORDINATOR else 403
        got[role, "antwoordnota"] = client.get(urls["antwoordnota"]).status_code
        expected[role, "antwoordnota"] = 200
    assert got == expected


def test_no_one_but_the_coordinator_moderates_answers_or_enters(client, scene):
    urls = coordinator_urls(scene)
    moderate = {"action": "moderate", "status": "published", "redacted_text": "Gepubliceerd"}
    respond = {"action": "respond", "verdict": "accepted", "motivation": "Ja"}
    enter = {"text": "Brief", "source": "letter", "received_on": "2026-11-01"}
    for role, user in scene.users.items():
        if role == Role.COORDINATOR:
            continue
        client.force_login(user)
        assert client.post(urls["remark-detail"], moderate).status_code == 403, role
        assert client.post(urls["remark-detail"], respond).status_code == 403, role
        assert client.post(urls["remark-enter"], enter).status_code == 403, role
    scene.remark.refresh_from_db()
    assert scene.remark.status == RemarkStatus.NEW
    assert not Response.objects.exists()
    assert Remark.objects.count() == 1


def test_another_municipality_gets_404_under_either_slug(client, scene, heidebeek):
    client.force_login(scene.stranger)
    for name, url in coordinator_urls(scene).items():
        assert client.get(url).status_code == 404, name
    for name, url in coordinator_urls(scene, "heidebeek").items():
        assert client.get(url).status_code == 404, name
    moderate = {"action": "moderate", "status": "spam"}
    assert client.post(coordinator_urls(scene)["remark-detail"], moderate).status_code == 404
    assert (
        client.post(coordinator_urls(scene, "heidebeek")["remark-detail"], moderate).status_code
        == 404
    )
    scene.remark.refresh_from_db()
    assert scene.remark.status == RemarkStatus.NEW
    # Lindenberg's coordinator under Heidebeek's slug: not a member there.
    client.force_login(scene.coordinator)
    for name, url in coordinator_urls(scene, "heidebeek").items():
        assert client.get(url).status_code == 404, name


def test_a_remark_of_another_plan_is_404_under_this_plan(client, scene, lindenberg):
    other = consulting_plan(lindenberg, scene.coordinator, title="Ander plan")
    theirs = send(other, address="192.0.2.50")
    client.force_login(scene.coordinator)
    assert client.get(remark_url(theirs, plan=scene.plan)).status_code == 404
    response = client.post(
        remark_url(theirs, plan=scene.plan), {"action": "moderate", "status": "spam"}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == RemarkStatus.NEW


def test_anonymous_is_sent_to_the_login(client, scene):
    for name, url in coordinator_urls(scene).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("login") + "?next="), name
    response = client.post(coordinator_urls(scene)["remark-detail"], {"action": "moderate"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_plan_page_links_the_remarks_for_the_coordinator_only(client, scene):
    list_url = plan_page("remark-list", scene.plan)
    client.force_login(scene.coordinator)
    assert list_url in client.get(plan_page("plan-detail", scene.plan)).content.decode()
    client.force_login(scene.users[Role.VIEWER])
    assert list_url not in client.get(plan_page("plan-detail", scene.plan)).content.decode()


# --- The coordinator's pages --------------------------------------------------------------------


def test_the_remark_list_filters_and_pages(client, lindenberg, coordinator, college):
    plan = consulting_plan(lindenberg, coordinator, goals=["Veilig uitgaan"])
    goal, other_goal = plan.items["goal"], plan.items["goals"][0]
    other_plan = consulting_plan(lindenberg, coordinator, title="Ander plan")
    send(other_plan, text="Opmerking bij een ander plan", address="192.0.2.99")
    remarks = []
    for i in range(28):
        remarks.append(
            send(
                plan,
                text=f"Opmerking nummer {i:02}",
                address=f"198.51.100.{i}",
                goal=goal if i % 2 else other_goal,
                name="Greet Janssens" if i == 3 else "",
                organisation="Jeugdhuis Kwadraat" if i == 4 else "",
            )
        )
    remark_moderate(remark=remarks[5], by=coordinator, status=RemarkStatus.SPAM)
    remark_moderate(
        remark=remarks[6], by=coordinator, status=RemarkStatus.PUBLISHED, redacted_text="Tekst"
    )
    response_write(remark=remarks[7], by=coordinator, verdict=Verdict.PARTLY, motivation="Deels")
    client.force_login(coordinator)
    url = plan_page("remark-list", plan)

    def shown(query=""):
        response = client.get(url + query)
        assert response.status_code == 200
        return response

    response = shown()
    assert response.context["page_obj"].paginator.count == 28
    assert len(response.context["remarks"]) == 25
    assert response.context["remarks"][0] == remarks[-1]  # newest first
    assert response.context["unanswered_count"] == 26  # spam and the answered one aside
    assert "Opmerking bij een ander plan" not in response.content.decode()
    second = shown("?page=2")
    assert [r.pk for r in second.context["remarks"]] == [r.pk for r in remarks[2::-1]]

    def found(query):
        return {r.pk for r in shown(query).context["page_obj"].paginator.object_list}

    assert found("?q=nummer+07") == {remarks[7].pk}
    assert found(f"?q={remarks[9].reference}") == {remarks[9].pk}
    assert found("?q=janssens") == {remarks[3].pk}
    assert found("?q=kwadraat") == {remarks[4].pk}
    assert found("?status=spam") == {remarks[5].pk}
    assert found("?status=published") == {remarks[6].pk}
    assert found(f"?goal={goal.pk}") == {r.pk for r in remarks[1::2]}
    unanswered = found("?unanswered=on")
    assert remarks[5].pk not in unanswered
    assert remarks[7].pk not in unanswered
    assert len(unanswered) == 26
    assert found(f"?goal={goal.pk}&unanswered=on&q=nummer") == {
        r.pk for r in remarks[1::2] if r not in (remarks[5], remarks[7])
    }
    # A goal of another plan is no filter choice.
    theirs = Goal.objects.filter(plan=other_plan).first()
    response = shown(f"?goal={theirs.pk}")
    assert response.context["form"].errors


def test_the_coordinator_enters_a_remark_received_by_letter(client, plan, coordinator):
    client.force_login(coordinator)
    url = plan_page("remark-enter", plan)
    page = client.get(url)
    sources = [value for value, _label in page.context["form"].fields["source"].choices]
    assert RemarkSource.ONLINE not in sources
    response = client.post(
        url,
        {
            "text": "Brief van mevrouw Claes over de verlichting.",
            "source": RemarkSource.LETTER,
            "received_on": "2026-11-20",
            "goal": plan.items["goal"].pk,
            "name": "Mevrouw Claes",
            "email": "claes@example.org",
        },
    )
    remark = Remark.objects.get()
    assert response.status_code == 302
    assert response.url == remark_url(remark)
    assert remark.source == RemarkSource.LETTER
    assert remark.received_on == datetime.date(2026, 11, 20)
    assert remark.goal == plan.items["goal"]
    assert remark.address_hash == ""
    assert remark.history.get().history_user == coordinator
    detail = client.get(response.url).content.decode()
    assert "claes@example.org" in detail  # the coordinator sees the sender
    assert "Brief van mevrouw Claes" in detail
    # Online is not a source the coordinator enters; a missing date neither.
    response = client.post(url, {"text": "x", "source": RemarkSource.ONLINE, "received_on": ""})
    assert {"source", "received_on"} <= set(response.context["form"].errors)
    assert Remark.objects.count() == 1


def test_no_remark_is_entered_on_a_draft(client, lindenberg, coordinator):
    plan = ready_plan(lindenberg, coordinator)
    client.force_login(coordinator)
    response = client.post(
        plan_page("remark-enter", plan),
        {"text": "Te vroeg", "source": RemarkSource.LETTER, "received_on": "2026-11-20"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Remark.objects.exists()


def test_the_coordinator_publishes_a_redacted_remark_and_answers_it(client, plan, coordinator):
    remark = send(plan, text="Jan van nr. 5 rijdt te snel.", name=PERSON, email=EMAIL)
    client.force_login(coordinator)
    url = remark_url(remark)
    page = client.get(url)
    html = page.content.decode()
    assert "Jan van nr. 5 rijdt te snel." in html
    assert EMAIL in html
    form = page.context["moderation_form"]
    assert form.initial["redacted_text"] == remark.text  # a start for the redaction

    # Published without a text: refused.
    response = client.post(url, {"action": "moderate", "status": "published", "redacted_text": ""})
    assert response.status_code == 200
    assert "redacted_text" in response.context["moderation_form"].errors
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.NEW

    response = client.post(
        url,
        {
            "action": "moderate",
            "status": "published",
            "redacted_text": "Een buur rijdt te snel.",
            "version": form.initial["version"],
        },
    )
    assert response.status_code == 302
    assert response.url == url
    assert messages_of(response) == [nl("The remark's publication has been saved.")]
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.PUBLISHED
    assert remark.redacted_text == "Een buur rijdt te snel."
    assert remark.text == "Jan van nr. 5 rijdt te snel."

    # The answer: a changed goal of another plan is no choice.
    other = ready_plan(plan.municipality, coordinator, title="Ander plan")
    response = client.post(
        url,
        {
            "action": "respond",
            "verdict": "partly",
            "motivation": "Deels",
            "changed_goal": other.items["goal"].pk,
        },
    )
    assert response.status_code == 200
    assert "changed_goal" in response.context["response_form"].errors
    assert not Response.objects.exists()
    response = client.post(
        url,
        {
            "action": "respond",
            "verdict": "partly",
            "motivation": "Er komt een snelheidscontrole.",
            "changed_action_plan": plan.items["action-plan"].pk,
        },
    )
    assert response.status_code == 302
    assert messages_of(response) == [nl("The response has been saved.")]
    answer = Response.objects.get(remark=remark)
    assert answer.verdict == Verdict.PARTLY
    assert answer.changed_action_plan == plan.items["action-plan"]

    rows = list(
        remark.history.order_by("history_id").values_list(
            "history_user__username", "history_change_reason", "status"
        )
    )
    assert rows == [
        (None, "Remark received", "new"),
        ("coordinator", "Remark published", "published"),
    ]
    assert list(answer.history.values_list("history_user__username", "history_change_reason")) == [
        ("coordinator", "Response written")
    ]
    # The page shows the answer in its form, to be changed with its version.
    page = client.get(url)
    assert page.context["response_form"].initial["verdict"] == "partly"
    assert page.context["response_form"].initial["version"] == latest_version(answer)


def test_the_coordinator_marks_spam_and_takes_it_back(client, plan, coordinator):
    remark = send(plan, text="CASINO")
    client.force_login(coordinator)
    url = remark_url(remark)
    client.post(url, {"action": "moderate", "status": "spam", "redacted_text": ""})
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.SPAM
    client.post(url, {"action": "moderate", "status": "new", "redacted_text": ""})
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.NEW
    reasons = list(
        remark.history.order_by("history_id").values_list(
            "history_user__username", "history_change_reason"
        )
    )
    assert reasons[1:] == [
        ("coordinator", "Remark marked as spam"),
        ("coordinator", "Remark taken back"),
    ]


def test_a_moderation_over_a_newer_change_shows_the_conflict(
    client, plan, coordinator, make_member
):
    second = make_member(Role.COORDINATOR, username="coordinator-2")
    remark = send(plan)
    client.force_login(coordinator)
    url = remark_url(remark)
    version = client.get(url).context["moderation_form"].initial["version"]
    remark_moderate(remark=remark, by=second, status=RemarkStatus.SPAM)
    response = client.post(
        url,
        {
            "action": "moderate",
            "status": "published",
            "redacted_text": "Mijn versie",
            "version": version,
        },
    )
    assert response.status_code == 200
    assert response.context["conflict"]
    assert "Mijn versie" in response.content.decode()
    remark.refresh_from_db()
    assert remark.status == RemarkStatus.SPAM


def test_the_antwoordnota_lists_every_remark_but_spam_by_goal(
    client, lindenberg, coordinator, college, viewer
):
    plan = consulting_plan(lindenberg, coordinator, goals=["Veilig uitgaan"])
    goal, second_goal = plan.items["goal"], plan.items["goals"][0]
    about_plan = send(plan, text="Over het geheel", address="192.0.2.1")
    about_goal = send(plan, text="Over het doel", address="192.0.2.2", goal=second_goal)
    about_action_plan = send(
        plan, text="Over het actieplan", address="192.0.2.3", action_plan=plan.items["action-plan"]
    )
    spam = send(plan, text="CASINO", address="192.0.2.4")
    remark_moderate(remark=spam, by=coordinator, status=RemarkStatus.SPAM)
    publish_and_answer(about_goal, coordinator, redacted="Gepubliceerd over het doel")
    client.force_login(viewer)
    response = client.get(plan_page("antwoordnota", plan))
    assert response.status_code == 200
    groups = [(g, [r.pk for r in remarks]) for g, remarks in response.context["groups"]]
    assert groups == [
        (goal, [about_action_plan.pk]),
        (second_goal, [about_goal.pk]),
        (None, [about_plan.pk]),
    ]
    html = response.content.decode()
    assert "Gepubliceerd over het doel" in html
    assert "Staat in het actieplan." in html
    assert "CASINO" not in html
    assert "Over het geheel" not in html  # the original, unpublished text stays private
    assert nl("no response yet") in html


def test_the_submit_page_says_remarks_wait_for_an_answer(client, plan, coordinator):
    send(plan)
    advance(plan, PlanState.REVISION, coordinator)
    client.force_login(coordinator)
    html = client.get(plan_page("submit", plan)).content.decode()
    assert nl(UNANSWERED) % {"count": 1} in html
    client.post(plan_page("submit", plan), {})
    plan.refresh_from_db()
    assert plan.state == PlanState.REVISION


# --- Queries ------------------------------------------------------------------------------------


@pytest.fixture
def cast(lindenberg):
    return {
        "promotors": [person(lindenberg, f"Promotor {i}") for i in range(3)],
        "partners": [person(lindenberg, f"Partner {i}") for i in range(4)],
    }


def open_consultation(plan, state=PlanState.CONSULTATION):
    now = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(
        state=state, consultation_opens=now - DAY, consultation_closes=now + 10 * DAY
    )


def test_the_public_page_costs_the_same_for_20_and_200_action_plans(
    client, lindenberg, coordinator, cast, django_assert_num_queries
):
    small = big_plan(lindenberg, coordinator, 20, cast["promotors"], cast["partners"], "Klein")
    large = big_plan(lindenberg, coordinator, 200, cast["promotors"], cast["partners"], "Groot")
    for plan in (small, large):
        open_consultation(plan)
    queries = count_of(client, public_url(small))
    url = public_url(large)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.context["is_open"]
    html = response.content.decode()
    assert "Actieplan 199" in html
    assert "Partner 3" in html


def answered_remarks(plan, count, coordinator):
    """``count`` published remarks with answers, bulk-made, spread over the plan's goals."""
    goals = list(Goal.objects.filter(plan=plan))
    today = timezone.localdate()
    remarks = Remark.objects.bulk_create(
        [
            Remark(
                plan=plan,
                reference=f"R-{plan.pk:02}{i:04}",
                text=f"Opmerking {i}",
                redacted_text=f"Gepubliceerde opmerking {i}",
                status=RemarkStatus.PUBLISHED,
                organisation="BIN" if i % 3 == 0 else "",
                name_public=i % 3 == 0,
                goal=goals[i % len(goals)] if i % 4 else None,
                received_on=today,
            )
            for i in range(count)
        ]
    )
    Response.objects.bulk_create(
        [
            Response(remark=remark, verdict=Verdict.ACCEPTED, motivation=f"Antwoord {remark.pk}")
            for remark in remarks
        ]
    )
    return remarks


def test_the_public_page_costs_the_same_for_5_and_50_answered_remarks(
    client, lindenberg, coordinator, cast, django_assert_num_queries
):
    small = big_plan(lindenberg, coordinator, 20, cast["promotors"], cast["partners"], "Klein")
    large = big_plan(lindenberg, coordinator, 20, cast["promotors"], cast["partners"], "Groot")
    answered_remarks(small, 5, coordinator)
    remarks = answered_remarks(large, 50, coordinator)
    for plan in (small, large):
        open_consultation(plan, PlanState.STEERING)
    queries = count_of(client, public_url(small))
    url = public_url(large)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert len(response.context["answered"]) == 50
    html = response.content.decode()
    assert "Gepubliceerde opmerking 49" in html
    assert f"Antwoord {remarks[-1].pk}" in html


def test_the_remark_list_costs_the_same_for_3_and_30_remarks(
    client, plan, coordinator, django_assert_num_queries
):
    def add(start, stop):
        for i in range(start, stop):
            remark = send(
                plan,
                text=f"Opmerking {i}",
                address=f"198.51.100.{i}",
                goal=plan.items["goal"] if i % 2 else None,
                action_plan=plan.items["action-plan"] if i % 2 == 0 else None,
                organisation="BIN" if i % 3 else "",
            )
            if i % 2:
                response_write(remark=remark, by=coordinator, verdict="accepted", motivation="Ja")

    add(0, 3)
    client.force_login(coordinator)
    url = plan_page("remark-list", plan)
    queries = count_of(client, url)
    add(3, 30)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 30
    assert len(response.context["remarks"]) == 25
