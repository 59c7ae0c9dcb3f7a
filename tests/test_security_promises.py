"""SECURITY.md names a test for every promise: each named test file and test must exist, so a
renamed or deleted test cannot leave a promise without its proof."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECURITY = (ROOT / "SECURITY.md").read_text()

# `tests/x/test_y.py::test_z`, `::test_w` (the same file as the last one named), `tests/x.py`
REFERENCE = re.compile(r"`(tests/[\w/]+\.py)?(?:::(test_\w+))?`")


def references() -> list[tuple[str, str | None]]:
    found, current = [], None
    for path, test in REFERENCE.findall(SECURITY):
        if not path and not test:
            continue
        current = path or current
        found.append((current, test or None))
    return found


def functions_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test")
    }


def test_security_md_names_tests():
    assert len(references()) > 40


def test_every_test_security_md_names_exists():
    missing = []
    for path, test in references():
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif test and test not in functions_in(file):
            missing.append(f"{path}::{test}")
    assert not missing, f"SECURITY.md names tests that do not exist: {missing}"


def test_every_promise_row_names_a_test():
    promises = SECURITY.split("## What the project promises")[1].split("\n## ")[0]
    rows = [
        line
        for line in promises.splitlines()
        if line.startswith("| ") and not line.startswith("| promise")
    ]
    promise_rows = [row for row in rows if row.count("|") == 3]
    assert promise_rows
    without = [row for row in promise_rows if "tests/" not in row and "`::test_" not in row]
    assert not without, f"promises without a test: {without}"
