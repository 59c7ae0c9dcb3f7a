"""Known vulnerabilities in the locked dependencies (SECURITY.md, "Dependencies").

``pip-audit`` checks each pinned package of a lock file against the Python Packaging Advisory
Database. The verdict (``judge``) is a pure function of its JSON report, so it is tested without
the network: a vulnerability with a fixed version fails the check (upgrade the lock file); one
without a fix is reported; a package that could not be audited (the advisory service was not
reachable) is reported, and fails the check only when ``strict``."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    package: str
    version: str
    advisory: str
    fixed_in: tuple[str, ...]


@dataclass
class Verdict:
    fixable: list[Finding] = field(default_factory=list)
    unfixed: list[Finding] = field(default_factory=list)
    not_audited: list[str] = field(default_factory=list)
    audited: int = 0

    def failed(self, *, strict: bool) -> bool:
        return bool(self.fixable) or (strict and bool(self.not_audited))

    def lines(self) -> list[str]:
        lines = [f"{self.audited} packages audited"]
        lines += [
            f"VULNERABLE {f.package} {f.version}: {f.advisory}, fixed in {', '.join(f.fixed_in)}"
            for f in self.fixable
        ]
        lines += [
            f"vulnerable, no fix released yet: {f.package} {f.version}: {f.advisory}"
            for f in self.unfixed
        ]
        if self.not_audited:
            lines.append(
                f"NOT AUDITED ({len(self.not_audited)}; the advisory service was not reachable?): "
                + ", ".join(self.not_audited)
            )
        return lines


def judge(report: dict) -> Verdict:
    """The verdict on one ``pip-audit --format json`` report."""
    verdict = Verdict()
    for dependency in report.get("dependencies", []):
        name = dependency.get("name", "?")
        if "skip_reason" in dependency:
            verdict.not_audited.append(name)
            continue
        verdict.audited += 1
        for vulnerability in dependency.get("vulns", []):
            finding = Finding(
                package=name,
                version=dependency.get("version", "?"),
                advisory=vulnerability.get("id", "?"),
                fixed_in=tuple(vulnerability.get("fix_versions") or ()),
            )
            (verdict.fixable if finding.fixed_in else verdict.unfixed).append(finding)
    return verdict
