"""Management commands and settings behaviour."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from attributions.models import Source, SourceAlias

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_load_sources_is_idempotent_and_complete():
    call_command("load_sources", stdout=io.StringIO())
    first = (Source.objects.count(), SourceAlias.objects.count())
    call_command("load_sources", stdout=io.StringIO())
    assert (Source.objects.count(), SourceAlias.objects.count()) == first
    mfa = Source.objects.get(slug="syrian-mfa")
    assert mfa.parent.slug == "government-of-syria"
    assert mfa.kind == "government" and mfa.country == "SY" and mfa.state_affiliated
    for slug in [
        "amnesty-international",
        "tass",
        "press-tv",
        "donald-trump",
        "united-nations",
        "un-security-council",
        "reuters",
        "associated-press",
        "afp",
        "bbc",
        "sana",
        "rt",
        "sputnik",
        "al-jazeera",
        "human-rights-watch",
        "syrian-observatory-for-human-rights",
        "airwars",
        "us-department-of-defense",
        "centcom",
        "uk-ministry-of-defence",
    ]:
        assert Source.objects.filter(slug=slug).exists(), slug
    aliases = set(SourceAlias.objects.values_list("normalised", flat=True))
    assert {"tass", "presstv", "press tv", "syrian foreign ministry", "syrian mfa"} <= aliases


@pytest.mark.django_db
def test_editor_alias_survives_reload():
    call_command("load_sources", stdout=io.StringIO())
    SourceAlias.objects.create(source=Source.objects.get(slug="tass"), text="the Moscow wire")
    call_command("load_sources", stdout=io.StringIO())
    assert SourceAlias.objects.filter(text="the Moscow wire").exists()


def test_suggest_attributions_writes_scorer_format(tmp_path):
    text = (ROOT / "articles" / "fixtures" / "raqqa-coalition.txt").read_text(encoding="utf-8")
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"doc_id": "raqqa", "text": text}) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    call_command("suggest_attributions", jsonl=str(docs), out=str(out), stderr=io.StringIO())
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    prediction = json.loads(lines[0])
    assert prediction["doc_id"] == "raqqa"
    statements = prediction["statements"]
    assert statements and all(
        set(s) >= {"start", "end", "source", "via", "cue", "confidence"} for s in statements
    )
    by_text = {text[s["start"] : s["end"]][:30]: s for s in statements}
    press = next(s for t, s in by_text.items() if t.startswith("According to PressTV"))
    assert press["via"]["name"] == "Press TV"
    assert text[press["via"]["start"] : press["via"]["end"]] == "PressTV"
    assert press["source"]["name"] == "Syrian Ministry of Foreign Affairs and Expatriates"
    own = next(s for t, s in by_text.items() if t.startswith("The coalition’s carpet"))
    assert own["source"] is None and own["via"] is None


def test_suggest_attributions_rejects_bad_input(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "no id"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.jsonl:1"):
        call_command("suggest_attributions", jsonl=str(bad), out=str(tmp_path / "o.jsonl"))
    with pytest.raises(CommandError, match="No such file"):
        call_command("suggest_attributions", jsonl=str(tmp_path / "missing"), out="-")


@pytest.mark.django_db
def test_load_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo", stdout=io.StringIO())
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_load_demo_loads_everything_and_prints_passwords(settings):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    call_command("load_demo", stdout=io.StringIO())  # runs again without harm
    text = out.getvalue()
    assert "Sample article: imported." in text
    password = text.split("username 'admin', password '")[1].split("'")[0]
    login = RequestFactory().post("/accounts/login/")  # django-axes checks logins per request
    assert authenticate(login, username="admin", password=password) is None  # replaced by the 2nd run
    from articles.models import Article

    assert Article.objects.count() == 1
    from django.contrib.auth.models import User

    assert User.objects.get(username="editor").groups.filter(name="Editors").exists()
    assert User.objects.get(username="admin").is_superuser


def run_settings(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_secret_key_required_when_debug_off():
    result = run_settings({}, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_check_deploy_has_no_warnings_with_production_variables():
    result = run_settings(
        {
            "DJANGO_SECRET_KEY": "kq8#Zp2!vL0m@Xr5^Tn7&Wc3*Hb9(Jd4)Fs6_Gy1+Ue" * 2,
            "DJANGO_ALLOWED_HOSTS": "attribution.example.org",
            "DATABASE_URL": "sqlite:///:memory:",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
