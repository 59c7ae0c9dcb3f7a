"""Accessibility (EU Web Accessibility Directive: WCAG 2.1 AA), checked in the browser.

axe-core (bundled with axe-playwright-python, never downloaded) runs on every main page, at
desktop width and on a small phone, in Dutch and once in French, and must find no violation of
the WCAG 2.0/2.1 A and AA rules. Keyboard-only walkthroughs: a college member logs in and votes,
a resident sends a remark on a plan in public consultation, with the focus always visible. Charts
and diagrams carry an accessible name, and the table or list the page promises in their place.

The site allows no inline or injected script (Content-Security-Policy); only these tests' browser
contexts bypass it, to inject axe-core (PITFALLS.md, "Tests in a browser")."""

import re

from django.urls import reverse

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import expect

from actors.models import Actor, OrgUnit
from coregroup.models import Meeting
from plans.constants import PlanState, VoteChoice
from plans.models import ActionPlan, Plan, Remark, Vote
from safetynet.constants import TwoFactorPolicy
from safetynet.models import Municipality

from .conftest import DESKTOP, PHONE, TIMEOUT_MS
from .support import DEMO_PASSWORD, language_name, login_labels, tr

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Headings and landmarks (WCAG 1.3.1, 2.4.1, 2.4.6): axe files these rules as best practice, not
# under a WCAG tag, so they are switched on by name.
STRUCTURE_RULES = [
    "heading-order",
    "empty-heading",
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "region",
]

# Rules that truly cannot apply to a single element, each with its reason in a comment above it:
# {rule id: {the element's selector as axe reports it, …}}; the rule still runs on the rest of
# the page. None so far: every violation found was fixed in the templates and the stylesheet.
NOT_APPLICABLE: dict[str, set[str]] = {}


# --- axe-core ----------------------------------------------------------------------------------


AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "rules": {rule: {"enabled": True} for rule in STRUCTURE_RULES},
    "resultTypes": ["violations"],
}
# Closed <details> (the user menu, "the same as a table", …) hide their content from axe: they
# are opened for a second run over their content, then closed again.
OPEN_DETAILS = """() => document.querySelectorAll("details:not([open])").forEach(details => {
  details.open = true; details.dataset.axeOpened = "";
})"""
CLOSE_DETAILS = """() => document.querySelectorAll("details[data-axe-opened]").forEach(details => {
  details.open = false; delete details.dataset.axeOpened;
})"""


def axe_violations(page):
    """The WCAG 2.0/2.1 A and AA violations (and those of the structure rules) axe-core finds
    on ``page`` as it is now, and in the content of its closed ``<details>`` once opened."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    runs = [page.evaluate("(options) => axe.run(document, options)", AXE_OPTIONS)["violations"]]
    if page.locator("details:not([open])").count():
        page.evaluate(OPEN_DETAILS)
        try:
            runs.append(
                page.evaluate(
                    "(options) => axe.run({include: [['details[data-axe-opened]']]}, options)",
                    AXE_OPTIONS,
                )["violations"]
            )
        finally:
            page.evaluate(CLOSE_DETAILS)
    violations, seen = {}, set()
    for violation in (violation for run in runs for violation in run):
        for node in violation["nodes"]:
            key = (violation["id"], tuple(node["target"]))
            if key in seen or set(node["target"]) & NOT_APPLICABLE.get(violation["id"], set()):
                continue
            seen.add(key)
            violations.setdefault(violation["id"], {**violation, "nodes": []})["nodes"].append(node)
    return list(violations.values())


def describe(where, violations):
    """One readable line per element: page, rule id, impact, selector, help, and axe's reason."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            reason = " ".join((node.get("failureSummary") or "").split())
            lines.append(
                f"{where}: {violation['id']} ({violation['impact']}) at "
                f"{' '.join(node['target'])} — {violation['help']} [{reason}]"
            )
    return lines


def assert_no_violations(lines):
    assert not lines, f"{len(lines)} WCAG 2.1 A/AA violation(s):\n" + "\n".join(lines)


def assert_accessible(page, where):
    assert_no_violations(describe(where, axe_violations(page)))


@pytest.fixture
def axe_page(browser, live_server):
    """``axe_page(viewport)``: a page in a fresh context that bypasses the CSP (to inject axe)."""
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(
            viewport=viewport, base_url=live_server.url, locale="nl-BE", bypass_csp=True
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# --- helpers -----------------------------------------------------------------------------------


def lindenberg(name, **kwargs):
    return reverse(name, kwargs={"municipality": "lindenberg", **kwargs})


def log_in(page, live_server, username, landing="/"):
    """Log in with the login form (the keyboard walkthrough below does it without a mouse)."""
    page.goto("/accounts/login/")
    username_label, password_label = login_labels()
    page.get_by_label(username_label, exact=True).fill(username)
    page.get_by_label(password_label, exact=True).fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name=tr("Log in"), exact=True).click()
    expect(page).to_have_url(live_server.url + landing)


def plans_by_state():
    return {plan.state: plan for plan in Plan.objects.filter(municipality__slug="lindenberg")}


# --- every main page ---------------------------------------------------------------------------


def test_main_pages_have_no_wcag_violations_on_desktop_and_phone(demo, live_server, axe_page):
    plans = plans_by_state()
    actor = (
        Actor.objects.filter(municipality__slug="lindenberg", role_assignments__isnull=False)
        .order_by("pk")
        .first()
    )
    meeting = Meeting.objects.filter(municipality__slug="lindenberg").order_by("pk").first()
    steering = plans[PlanState.STEERING]
    action_plan = ActionPlan.objects.filter(goal__plan=steering).order_by("pk").first()
    public = reverse(
        "public-plan",
        kwargs={"municipality": "lindenberg", "pk": plans[PlanState.CONSULTATION].pk},
    )
    # Heidebeek requires a second factor of its coordinator, who has none yet.
    heidebeek = Municipality.objects.get(slug="heidebeek")
    heidebeek.two_factor = TwoFactorPolicy.PRIVILEGED
    heidebeek.save(update_fields=["two_factor"])

    found = []
    for viewport, size in [("desktop", DESKTOP), ("phone", PHONE)]:

        def check(page, where, viewport=viewport):
            found.extend(describe(f"{where} ({viewport})", axe_violations(page)))

        anonymous = axe_page(size)
        anonymous.goto("/accounts/login/")
        check(anonymous, "login")
        anonymous.locator("main").get_by_role("button", name=tr("Log in"), exact=True).click()
        expect(anonymous.locator("#form-errors")).to_be_visible()
        check(anonymous, "login with errors")
        anonymous.goto(public)
        check(anonymous, "public consultation")
        anonymous.locator("#remark").get_by_role("button", name=tr("Send"), exact=True).click()
        expect(anonymous.locator("#form-errors")).to_be_visible()
        check(anonymous, "public consultation, remark with errors")
        anonymous.goto("/inspraak/lindenberg/999999/")
        check(anonymous, "404 (anonymous)")
        anonymous.goto(reverse("password_reset"))
        check(anonymous, "password reset")

        newcomer = axe_page(size)
        log_in(newcomer, live_server, "coordinator-heidebeek", landing=reverse("two_factor:setup"))
        check(newcomer, "two-factor set-up, welcome")
        newcomer.locator("main").get_by_role("button", name=tr("Next"), exact=True).click()
        expect(newcomer.locator("main img")).to_be_visible()
        check(newcomer, "two-factor set-up, QR code")

        coordinator = axe_page(size)
        log_in(coordinator, live_server, "coordinator")
        check(coordinator, "dashboard (coordinator)")
        for where, path in [
            ("actor list", lindenberg("actors:actor-list")),
            ("actor detail", lindenberg("actors:actor-detail", pk=actor.pk)),
            ("organogram", lindenberg("actors:organogram")),
            ("network picture", lindenberg("actors:network")),
            ("kerngroep", lindenberg("coregroup:composition")),
            ("meeting", lindenberg("coregroup:meeting-detail", pk=meeting.pk)),
            ("new actor form", lindenberg("actors:actor-create")),
            ("plan list", lindenberg("plans:plan-list")),
            ("plan in steering", lindenberg("plans:plan-detail", pk=steering.pk)),
            ("plan in draft", lindenberg("plans:plan-detail", pk=plans[PlanState.DRAFT].pk)),
            ("plan history", lindenberg("plans:plan-history", pk=steering.pk)),
            (
                "action plan in steering",
                lindenberg("plans:steering", pk=steering.pk, action_plan=action_plan.pk),
            ),
            ("monitor", lindenberg("monitor:monitor")),
            ("indicators", lindenberg("monitor:indicators")),
            ("account security", reverse("two_factor:profile")),
            ("password change", reverse("password_change")),
            ("404", lindenberg("plans:plan-detail", pk=999999)),
        ]:
            coordinator.goto(path)
            check(coordinator, where)

        college = axe_page(size)
        log_in(college, live_server, "schepen3")
        check(college, "dashboard (college member)")
        vote = lindenberg("plans:vote", pk=plans[PlanState.COLLEGE_REVIEW].pk)
        college.goto(vote)
        check(college, "vote")

    # One page in French, chosen with the language switcher.
    college.get_by_role("banner").get_by_role(
        "button", name=language_name("fr"), exact=True
    ).click()
    expect(college.locator("html")).to_have_attribute("lang", "fr")
    expect(college.get_by_role("heading", level=1)).to_have_text(tr("College vote", "fr"))
    found.extend(describe("vote in French (phone)", axe_violations(college)))

    assert_no_violations(found)


# --- the keyboard only -------------------------------------------------------------------------

FOCUS_STYLE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    element: element.outerHTML.slice(0, 120),
    focusVisible: element.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
  };
}"""


def assert_focus_visible(page):
    """The focused element shows it: an outline or a box-shadow under :focus-visible."""
    focus = page.evaluate(FOCUS_STYLE)
    assert focus["focusVisible"], f"the keyboard focus is not :focus-visible: {focus['element']}"
    assert focus["outline"] or focus["shadow"], f"the focus is invisible on {focus['element']}"


def is_focused(locator):
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page, target, limit=120):
    """Press Tab until ``target`` has the focus, checking the focus is visible at every stop.
    Returns the outer HTML of the elements passed on the way."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert_focus_visible(page)
        if is_focused(target):
            return passed
        passed.append(page.evaluate("() => document.activeElement.outerHTML"))
    raise AssertionError(f"{target} not reached with {limit} presses of Tab")


def skip_to_main(page):
    """The skip link is the first Tab stop, visibly, and moves the focus to <main>."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=tr("Skip to content"), exact=True)
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_a_college_member_logs_in_and_votes_with_the_keyboard_only(demo, live_server, axe_page):
    plan = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.COLLEGE_REVIEW)
    vote_round = plan.vote_rounds.get(status="open")
    assert not Vote.objects.filter(vote_round=vote_round, member__username="schepen3").exists()
    page = axe_page(PHONE)

    # The login form puts the focus in its first field (autofocus): type, Tab, type, Enter.
    page.goto("/accounts/login/")
    username_label, password_label = login_labels()
    expect(page.get_by_label(username_label, exact=True)).to_be_focused()
    page.keyboard.type("schepen3")
    tab_to(page, page.get_by_label(password_label, exact=True))
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/")

    # From the dashboard's list of votes to the vote page.
    skip_to_main(page)
    votes = page.get_by_role("region", name=tr("Votes of the college"))
    tab_to(page, votes.get_by_role("link", name=plan.title, exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("College vote"))

    # The radio buttons: Tab reaches the group, the arrows choose, Space confirms.
    choices = page.locator("input[name=choice]")
    tab_to(page, choices.first)
    page.keyboard.press("Space")
    approve = page.locator(f"input[name=choice][value={VoteChoice.APPROVE}]")
    for _ in range(choices.count()):
        if approve.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(approve).to_be_checked()
    assert_focus_visible(page)
    tab_to(page, page.get_by_label(tr("Comment")))
    page.keyboard.type("Akkoord met het actieprogramma.")
    tab_to(page, page.get_by_role("button", name=tr("Vote"), exact=True))
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_be_visible()
    vote = Vote.objects.get(vote_round=vote_round, member__username="schepen3")
    assert vote.choice == VoteChoice.APPROVE
    assert vote.comment == "Akkoord met het actieprogramma."
    assert_accessible(page, "vote page after voting")


def test_a_resident_sends_a_remark_with_the_keyboard_only(demo, live_server, axe_page):
    plan = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.CONSULTATION)
    before = set(Remark.objects.filter(plan=plan).values_list("pk", flat=True))
    page = axe_page(PHONE)
    page.goto(reverse("public-plan", kwargs={"municipality": "lindenberg", "pk": plan.pk}))
    skip_to_main(page)

    # The status panel's link jumps to the form; the next Tab stop is the remark itself.
    status = page.locator(".consultation-status")
    tab_to(page, status.get_by_role("link", name=tr("Send a remark"), exact=True))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#remark$"))
    form = page.locator("#remark form")
    page.keyboard.press("Tab")
    expect(form.get_by_label(tr("Your remark"))).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.type("Graag een zebrapad aan de school in de Molenstraat.")

    goal = form.get_by_label(tr("About the goal"))
    tab_to(page, goal)
    page.keyboard.press("ArrowDown")  # a closed <select> takes the next option
    first_goal = form.locator("select[name=goal] option").nth(1).get_attribute("value")
    expect(goal).to_have_value(first_goal)
    tab_to(page, form.get_by_label(tr("Your name")))
    page.keyboard.type("Lies Vos")
    tab_to(page, form.get_by_label(tr("Your e-mail address")))
    page.keyboard.type("lies.vos@example.org")
    passed = tab_to(page, form.get_by_role("button", name=tr("Send"), exact=True))
    assert not [html for html in passed if 'name="website"' in html], "the honeypot takes focus"
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Thank you for your remark"))
    remark = Remark.objects.filter(plan=plan).exclude(pk__in=before).get()
    assert remark.text == "Graag een zebrapad aan de school in de Molenstraat."
    assert str(remark.goal_id) == first_goal
    assert remark.name == "Lies Vos"
    assert remark.email == "lies.vos@example.org"
    assert_accessible(page, "thanks for the remark")


# --- charts and diagrams -----------------------------------------------------------------------

NAMED_GRAPHIC = re.compile(r"\S")

# axe-core cannot tell the background of text drawn in SVG ("incomplete", never a violation), so
# the diagrams' texts are measured here: the text's fill against its halo (a stroke painted
# under it) or else the topmost filled shape under the middle of the text, or else white.
SVG_TEXT_CONTRAST = """svg => {
  const rgb = value => (value.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const ratio = (a, b) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  const painted = element => {
    const style = getComputedStyle(element);
    return style.fill !== "none" && !style.fill.startsWith("url") && style.fillOpacity !== "0";
  };
  const results = [];
  for (const text of svg.querySelectorAll("text")) {
    if (!text.textContent.trim()) continue;
    text.scrollIntoView({block: "center", inline: "center"});
    const style = getComputedStyle(text);
    const box = text.getBoundingClientRect();
    let background = [255, 255, 255];
    if (style.stroke !== "none" && parseFloat(style.strokeWidth) >= 2) {
      background = rgb(style.stroke);
    } else {
      const under = document.elementsFromPoint(box.x + box.width / 2, box.y + box.height / 2)
        .find(element => element !== text && !text.contains(element) && svg.contains(element)
          && ["rect", "circle", "ellipse", "polygon", "path"].includes(element.localName)
          && painted(element));
      if (under) background = rgb(getComputedStyle(under).fill);
    }
    results.push({
      text: text.textContent.trim(), fill: style.fill, background: background.join(","),
      ratio: ratio(rgb(style.fill), background),
    });
  }
  return results;
}"""


def assert_svg_text_contrast(svg, where):
    """Every text of a diagram has at least 4.5:1 against what it is drawn on (WCAG 1.4.3)."""
    measured = svg.evaluate(SVG_TEXT_CONTRAST)
    assert measured, f"{where}: no text measured"
    low = [m for m in measured if m["ratio"] < 4.5]
    assert not low, f"{where}: text below 4.5:1: " + "; ".join(
        f"{m['text']!r} {m['fill']} on rgb({m['background']}) {m['ratio']:.2f}:1" for m in low
    )


def assert_named_graphic(svg, roles=("img",), described=False):
    """An SVG has a role assistive technology knows and a name to read (a chart's name is its
    title and its data; a diagram has a title as its name and a description)."""
    assert svg.get_attribute("role") in roles, svg.evaluate("e => e.outerHTML.slice(0, 200)")
    expect(svg).to_have_accessible_name(NAMED_GRAPHIC)
    if described:
        expect(svg).to_have_accessible_description(NAMED_GRAPHIC)


CHART_LABELS = """svg => [...svg.querySelectorAll("g.chart-label")].map(
  label => (label.querySelector("title") || label.querySelector("text")).textContent.trim()
)"""


def assert_table_alternative(figure):
    """The chart's figure is followed by the same data as a table, captioned, with column
    headers and a row for every label of the chart."""
    labels = figure.locator("svg").evaluate(CHART_LABELS)
    assert labels, "a chart without labels"
    details = figure.locator("xpath=following-sibling::details[1]")
    expect(details.locator("summary")).to_have_text(tr("The same as a table"))
    table = details.locator("table")
    expect(table.locator("caption")).not_to_be_empty()
    expect(table.locator("thead th[scope=col]").first).to_be_attached()
    cells = [
        text.removeprefix("— ").strip()
        for text in table.locator("tbody tr > :first-child").all_text_contents()
    ]
    for label in labels:
        assert label.removeprefix("— ") in cells, f"{label!r} is not in the table {cells}"


def assert_indicator_charts(page, where):
    """Each indicator's line chart is named, legible, and followed by its measurements as a
    table: the baseline, one row per point of the chart, the target."""
    sections = page.locator("main section.indicator")
    assert sections.count() > 0, f"{where}: no indicator"
    for index in range(sections.count()):
        section = sections.nth(index)
        chart = section.locator("svg")
        assert_named_graphic(chart)
        assert_svg_text_contrast(chart, f"{where}, indicator chart {index + 1}")
        section.locator("details > summary").press("Enter")  # opened with the keyboard
        table = section.locator("details table")
        expect(table.locator("caption")).not_to_be_empty()
        expect(table.locator("thead th[scope=col]")).to_have_count(2)
        expect(table.locator("tbody tr")).to_have_count(chart.locator(".chart-point").count() + 2)


def test_charts_and_diagrams_have_text_alternatives(demo, live_server, axe_page):
    plan = Plan.objects.get(municipality__slug="lindenberg", state=PlanState.STEERING)
    page = axe_page(DESKTOP)
    log_in(page, live_server, "coordinator")

    # The monitor: three charts, each followed by the same data as a table.
    page.goto(lindenberg("monitor:monitor") + f"?plan={plan.pk}")
    charts = page.locator("main svg")
    expect(charts).to_have_count(3)
    for index in range(3):
        assert_named_graphic(charts.nth(index))
        assert_svg_text_contrast(charts.nth(index), f"monitor chart {index + 1}")
    for section in ["monitor-goals", "monitor-budget", "monitor-timeline"]:
        figure = page.locator(f"section[aria-labelledby={section}] figure")
        expect(figure.locator("svg[role=img]")).to_have_count(1)
        assert_table_alternative(figure)

    # The indicators: one chart each, with its measurements as a table.
    page.goto(lindenberg("monitor:indicators") + f"?plan={plan.pk}")
    assert_indicator_charts(page, "indicators page")

    # An action plan in steering: its indicators' charts, with their measurements as tables.
    action_plan = ActionPlan.objects.filter(goal__plan=plan).order_by("pk").first()
    page.goto(lindenberg("plans:steering", pk=plan.pk, action_plan=action_plan.pk))
    assert_indicator_charts(page, "action plan in steering")

    # The organogram: a described image, and the list of its units as text.
    page.goto(lindenberg("actors:organogram"))
    drawing = page.locator("main svg.organogram")
    assert_named_graphic(drawing, described=True)
    assert_svg_text_contrast(drawing, "organogram")
    units = OrgUnit.objects.filter(municipality__slug="lindenberg")
    caption_link = page.locator("figure figcaption a")
    list_heading = page.locator(caption_link.get_attribute("href"))
    expect(list_heading).to_be_attached()
    listed = page.locator(".org-tree .org-tree-name strong").all_text_contents()
    assert sorted(listed) == sorted(unit.name for unit in units)

    # The network picture: named and described; its links are also in the list under it.
    page.goto(lindenberg("actors:network"))
    picture = page.locator("main svg.network-svg")
    # A group, not an image: it holds links, and an image's content is presentational.
    assert_named_graphic(picture, roles=("group",), described=True)
    assert_svg_text_contrast(picture, "network picture")
    in_picture = {link.get_attribute("href") for link in picture.locator("a").all()}
    listed = {
        link.get_attribute("href")
        for link in page.locator(".network-list .network-list-actors a").all()
    }
    assert in_picture, "the network picture has no links"
    assert in_picture <= listed, f"not in the list: {in_picture - listed}"
