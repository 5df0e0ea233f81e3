"""The server-rendered pages through a real app: login, escaping, languages, catalogs, charts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from execrank.model import DIMENSIONS
from execrank.web import Role
from execrank.web._i18n import LANGUAGES, catalog
from tests.web.conftest import MARKUP_NAME, SCRIPT_TITLE, bearer

TEMPLATES = Path(__file__).resolve().parents[2] / "execrank" / "web" / "templates"
PAGES = ["/", "/queue/A", "/contacts/e", "/snapshots"]


def logged_in(client: TestClient, token: str) -> TestClient:
    response = client.post("/login", data={"token": token}, follow_redirects=False)
    assert response.status_code == 303
    return client


@pytest.mark.parametrize("path", PAGES)
def test_pages_need_a_token(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert 'name="token"' in response.text and "Ada Lin" not in response.text


def test_a_wrong_token_is_refused_at_login(client: TestClient) -> None:
    response = client.post("/login", data={"token": "guess"})
    assert response.status_code == 401 and "unknown token" in response.text
    assert "execrank_token" not in response.cookies


def test_a_token_in_the_address_is_kept_in_a_cookie_and_removed(
    client: TestClient, tokens: dict[str, str]
) -> None:
    response = client.get(f"/queue/C?owner=alice&token={tokens['manager']}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/queue/C?owner=alice"
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and "Cy Park" in page.text


def test_contact_text_is_escaped(client: TestClient, tokens: dict[str, str]) -> None:
    for path in ("/", "/contacts/e"):
        html = logged_in(client, tokens["alice"]).get(path).text
        assert SCRIPT_TITLE not in html and "<b>Eve</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;b&gt;Eve&lt;/b&gt; &amp; Co" in html
    assert MARKUP_NAME == "<b>Eve</b> & Co"  # the stored text the pages escape


def test_overview_page_shows_the_json_numbers(client: TestClient, tokens: dict[str, str]) -> None:
    body = client.get("/api/overview", headers=bearer(tokens["manager"])).json()
    html = logged_in(client, tokens["manager"]).get("/").text
    top = re.search(r'<table class="ranked" id="top">(.*?)</table>', html, re.S)
    assert top is not None
    shown = re.findall(
        r'data-contact="([^"]+)">\s*<td class="rank">(\d+)</td>.*?'
        r'<td class="total">([\d.]+)</td>',
        top.group(1),
        re.S,
    )
    assert shown == [(c["contact_id"], str(c["rank"]), f"{c['total']:.2f}") for c in body["top"]]
    counts = dict(
        re.findall(r'data-tier="([^"]+)">.*?<span class="count">(\d+)</span>', html, re.S)
    )
    assert {tier: int(n) for tier, n in counts.items()} == body["tier_counts"]
    # the heat trend is an inline SVG with one dot per week
    chart = re.search(r'<figure id="heat-trend">(.*?)</figure>', html, re.S)
    assert chart is not None and chart.group(1).count('<circle class="dot"') == 3


def test_the_language_is_chosen_remembered_and_switched(
    client: TestClient, tokens: dict[str, str]
) -> None:
    logged_in(client, tokens["manager"])
    zh, en = catalog("zh"), catalog("en")
    assert f"<h1>{escape(en['overview.title'])}</h1>" in client.get("/").text
    switched = client.get("/?lang=zh")
    assert f"<h1>{zh['overview.title']}</h1>" in switched.text
    assert '<html lang="zh-CN">' in switched.text
    assert f"<h1>{zh['snapshots.title']}</h1>" in client.get("/snapshots").text  # cookie
    client.cookies.delete("execrank_lang")
    accepted = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert f"<h1>{zh['overview.title']}</h1>" in accepted.text


def test_both_catalogs_hold_the_same_keys() -> None:
    keys = {language: set(catalog(language)) for language in LANGUAGES}
    assert keys["zh"] == keys["en"]
    assert all(catalog("zh")[k] for k in keys["zh"])


def test_every_message_the_templates_name_exists() -> None:
    named = set()
    for template in TEMPLATES.glob("*.html"):
        named |= set(re.findall(r'\bt\("([^"]+)"', template.read_text(encoding="utf-8")))
    # keys built from a prefix in the templates: tiers, roles, dimensions, languages
    named -= {"tier.", "role.", "dimension.", "language."}
    named |= {f"tier.{t}" for t in ("A", "B", "C", "-")}
    named |= {f"role.{r.value}" for r in Role} | {f"dimension.{d}" for d in DIMENSIONS}
    named |= {f"language.{code}" for code in LANGUAGES}
    for language in LANGUAGES:
        assert named - set(catalog(language)) == set()


def test_no_page_loads_anything_from_elsewhere(client: TestClient, tokens: dict[str, str]) -> None:
    logged_in(client, tokens["manager"])
    for path in [*PAGES, "/docs"]:
        html = client.get(path).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert [s for s in sources if re.match(r"(https?:)?//", s)] == []
