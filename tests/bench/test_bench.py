"""The benchmark's own parts, so that ``make bench`` does not rot between runs: the addresses it
measures answer on the scale data, the floor's bare views and admin changelists show the rows
they stand for, and the report states each target met or not from the numbers."""

import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, modify_settings, override_settings

import pytest

from bench import run
from bench.floor.defaults import MIDDLEWARE as FLOOR_MIDDLEWARE
from bench.targets import resolve
from safetynet.constants import Role, TwoFactorPolicy
from safetynet.models import Membership, Municipality, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def scale_001():
    call_command("seed_scale", municipalities=1, size="small", password="pw", stdout=io.StringIO())
    municipality = Municipality.objects.get(slug="scale-001")
    municipality.two_factor = TwoFactorPolicy.OFF  # the benchmark verifies a device instead
    municipality.save()
    return municipality


def member(municipality, role):
    return Membership.objects.filter(municipality=municipality, role=role).first().user


def test_every_target_answers_its_user_with_200(client, scale_001):
    targets = resolve("scale-001")
    users = {
        "coordinator": member(scale_001, Role.COORDINATOR),
        "college": member(scale_001, Role.COLLEGE),
    }

    assert [t.key for t in targets] == [
        "dashboard", "actor-list", "network", "kerngroep", "plan", "vote", "public", "monitor",
        "history",
    ]  # fmt: skip
    for target in targets:
        client.logout()
        if target.role != "anonymous":
            client.force_login(users[target.role])
        response = client.get(target.path)
        assert response.status_code == 200, target
        assert target.rows > 0


@pytest.fixture
def targets(scale_001):
    """The addresses, resolved with SafetyNet's URLconf; then the floor's site is served."""
    found = resolve("scale-001")
    with (
        modify_settings(INSTALLED_APPS={"append": "bench.floor"}),
        override_settings(ROOT_URLCONF="bench.floor.urls", MIDDLEWARE=FLOOR_MIDDLEWARE),
    ):
        yield found


def test_the_floor_shows_the_rows_of_each_target_in_a_few_queries(client, targets):
    for target in targets:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(target.floor)
        assert response.status_code == 200, target
        assert response.content.count(b"<tr>") == target.rows, target
        assert len(queries) <= 2, target  # the municipality, the rows with their joins


def test_the_admin_changelists_list_the_same_rows(client, targets):
    client.force_login(User.objects.create_superuser("bench-admin", "a@example.invalid", "pw"))
    for target in targets:
        if not target.admin:
            continue
        response = client.get(target.admin)
        assert response.status_code == 200, target
        assert len(response.context["cl"].result_list) == target.rows, target


def measured(rps, p50):
    return {"rps": rps, "p50_ms": p50, "p99_ms": p50 * 2, "kb": 10}


def page(key, me, floor, admin=None):
    found = {"key": key, "label": key, "rows": 200, "queries": 7, "page": me, "floor": floor}
    if admin:
        found["admin"] = admin
        found["p50_vs_admin"] = run.ratio(me["p50_ms"], admin["p50_ms"])
    found["p50_vs_floor"] = run.ratio(me["p50_ms"], floor["p50_ms"])
    found["rps_vs_floor"] = run.ratio(me["rps"], floor["rps"])
    return found


def test_the_targets_are_judged_from_the_numbers():
    near = page("plan", measured(50, 40), measured(90, 21), measured(30, 60))
    far = page("monitor", measured(20, 100), measured(90, 21))
    public = page("public", measured(70, 25), measured(90, 21))

    assert {v["target"]: v["met"] for v in run.verdicts(near)} == {
        "p50 ≤ 2× floor": True,
        "requests/s ≥ 0.5× floor": True,
        "p50 ≤ admin's": True,
    }
    assert {v["target"]: v["met"] for v in run.verdicts(far)} == {
        "p50 ≤ 2× floor": False,
        "requests/s ≥ 0.5× floor": False,
    }
    assert [v["met"] for v in run.verdicts(public)] == [False]  # 70 < 0.8 × 90


def test_the_report_has_a_row_per_page_and_per_target():
    pages = [page("plan", measured(50, 40), measured(90, 21), measured(30, 60))]
    for each in pages:
        each["verdicts"] = run.verdicts(each)
    pdf = {
        "pages": 90, "bytes": 1000, "seconds": 8.1, "seconds_per_page": 0.09,
        "peak_memory_mb": 250.0, "served": measured(200, 5),
        "verdicts": [{"target": "≤ 0.12 s per page", "value": 0.09, "met": True}],
    }  # fmt: skip
    text = run.markdown(
        {"date": "2026-11-29", "machine": "2 cores", "municipalities": 50,
         "municipality": "scale-001", "seconds": 10, "pages": pages, "pdf": pdf}
    )  # fmt: skip

    assert "| plan | 200 | 7 | 10 | 50 | 40 | 80 | 90 | 21 | 30 | 60 | 1.9 | 0.56 | 0.67 |" in text
    assert "| plan | p50 ≤ 2× floor | 1.9 | yes |" in text
    assert "| PDF | ≤ 0.12 s per page | 0.09 | yes |" in text
