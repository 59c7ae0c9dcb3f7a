"""The dependency audit's verdict (``safetynet.supply_chain``), from pip-audit's JSON report."""

import pytest

from safetynet.supply_chain import judge

REPORT = {
    "dependencies": [
        {"name": "django", "version": "5.2.1", "vulns": []},
        {
            "name": "pillow",
            "version": "11.0.0",
            "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["11.1.0"], "aliases": []}],
        },
        {
            "name": "weasyprint",
            "version": "70.0",
            "vulns": [{"id": "GHSA-xxxx", "fix_versions": [], "aliases": []}],
        },
        {"name": "qrcode", "skip_reason": "Dependency not found on PyPI"},
    ],
    "fixes": [],
}


def test_a_vulnerability_with_a_fix_fails_the_check():
    verdict = judge(REPORT)

    assert [(f.package, f.advisory, f.fixed_in) for f in verdict.fixable] == [
        ("pillow", "PYSEC-2025-1", ("11.1.0",))
    ]
    assert verdict.failed(strict=False)
    assert any("VULNERABLE pillow 11.0.0" in line for line in verdict.lines())


def test_a_vulnerability_without_a_fix_is_reported_but_does_not_fail():
    report = {"dependencies": [REPORT["dependencies"][2]]}

    verdict = judge(report)

    assert not verdict.failed(strict=False)
    assert [f.package for f in verdict.unfixed] == ["weasyprint"]
    assert "no fix released yet: weasyprint" in verdict.lines()[1]


@pytest.mark.parametrize(("strict", "fails"), [(False, False), (True, True)])
def test_a_package_not_audited_fails_only_a_strict_check(strict, fails):
    report = {"dependencies": [REPORT["dependencies"][0], REPORT["dependencies"][3]]}

    verdict = judge(report)

    assert verdict.audited == 1
    assert verdict.not_audited == ["qrcode"]
    assert verdict.failed(strict=strict) is fails
    assert "NOT AUDITED (1" in verdict.lines()[-1]


def test_a_clean_report_passes_even_strict():
    verdict = judge({"dependencies": [REPORT["dependencies"][0]], "fixes": []})
    assert not verdict.failed(strict=True)
    assert verdict.lines() == ["1 packages audited"]
