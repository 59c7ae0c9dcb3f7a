"""Every user-facing string is translated: nl (the default), fr and en."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

import polib
import pytest

LANGUAGES = [code for code, _name in settings.LANGUAGES]
LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\{\s*\w+\s*\}\}|%[sd]")


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def test_every_language_has_a_catalogue():
    assert set(LANGUAGES) == {"nl", "fr", "en"}
    for language in LANGUAGES:
        assert (LOCALE / language / "LC_MESSAGES" / "django.po").is_file()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete(language):
    po = catalogue(language)
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert len(po) > 100
    assert untranslated == [], f"untranslated in {language}: {untranslated[:10]}"
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy[:10]}"
    assert "fuzzy" not in po.metadata_as_entry().flags


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    broken = []
    for entry in catalogue(language).translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if sorted(set(PLACEHOLDER.findall(text))) != sorted(set(wanted)):
                broken.append((entry.msgid, text))
    assert broken == []


def test_catalogues_hold_every_string_of_the_code(tmp_path):
    """A fresh ``makemessages`` over a copy of the code finds no string the catalogues lack."""
    if shutil.which("xgettext") is None:
        pytest.skip("needs GNU gettext's xgettext (Debian: gettext) to extract the strings")
    copy = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            "var",
            ".git",
            "node_modules",
            "__pycache__",
            ".pytest_cache",
            ".ruff_cache",
            "*.mo",
        ),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "safetynet.settings.dev"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "nl",
            "--ignore=.venv",
            "--ignore=var",
            "--ignore=node_modules",
            "-v",
            "0",
        ],
        cwd=copy,
        env={**env, "SAFETYNET_VAR_DIR": str(tmp_path / "var")},
        check=True,
    )
    fresh = {
        (e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po"))
    }
    for language in LANGUAGES:
        known = {(e.msgctxt, e.msgid) for e in catalogue(language).translated_entries()}
        missing = sorted(m for _ctx, m in fresh - known)
        assert missing == [], f"run `make messages` and translate ({language}): {missing[:10]}"
