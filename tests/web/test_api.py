"""The REST API through a real app over a real store (see conftest for the fixture's facts)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import SCRIPT_TITLE, bearer

# Scores at the last as_of, 2026-11-30 (decay 2^(-days/90) for every event type):
#   a: role 10 (CEO) + fit 10 (every criterion) + engagement
#      12·2^(-20/90) + 10·2^(-18/90) + 5·2^(-5/90) = 10.2869 + 8.7055 + 4.8112 = 23.8036
#      total 43.8036; heat 23.80 ≥ 20 and profile 20 ≥ 14 -> A
#   e: role 0 (the title is markup, no role), fit 0 (small fits no criterion),
#      engagement 12·2^(-1/90) + 10·2^(-2/90) = 11.9079 + 9.8472 = 21.7551; profile 0 -> -
#   b: role 10 (CFO) + fit 10 = 20 -> B (profile ≥ 18)
#   d: role 2 (manager) + fit 10 = 12 -> - ;  c: role 7 (VP) + fit 0 = 7 -> C (role ≥ 7)
# At 2026-11-23 e had no events yet: a 40.04, b 20, d 12, c 7, e 0.
A_HEAT = 12 * 2 ** (-20 / 90) + 10 * 2 ** (-18 / 90) + 5 * 2 ** (-5 / 90)
E_HEAT = 12 * 2 ** (-1 / 90) + 10 * 2 ** (-2 / 90)
READS = [
    "/api/overview",
    "/api/queue/A",
    "/api/ranks",
    "/api/contacts/a",
    "/api/contacts/a/explanation",
    "/api/contacts/a/history",
    "/api/snapshots",
]


@pytest.mark.parametrize("path", READS)
def test_no_token_no_data(client: TestClient, path: str) -> None:
    missing = client.get(path)
    unknown = client.get(path, headers=bearer("not-a-token"))
    wrong_scheme = client.get(path, headers={"Authorization": "Basic YWxpY2U6eA=="})
    for response in (missing, unknown, wrong_scheme):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert set(response.json()) == {"detail"}


def test_overview_top_entrants_tiers_and_trend(client: TestClient, tokens: dict[str, str]) -> None:
    body = client.get("/api/overview", headers=bearer(tokens["manager"])).json()
    assert [c["contact_id"] for c in body["top"]] == ["a", "e", "b"]
    assert [c["total"] for c in body["top"]] == [
        pytest.approx(20 + A_HEAT, abs=1e-4),
        pytest.approx(E_HEAT, abs=1e-4),
        20.0,
    ]
    # the top 3 of 2026-11-23 was a, b, d: e is the one newcomer
    assert body["previous_snapshot"]["as_of"] == "2026-11-23T00:00:00"
    assert [c["contact_id"] for c in body["new_entrants"]] == ["e"]
    assert body["tier_counts"] == {"A": 1, "B": 1, "C": 1, "-": 2}
    # mean heat of the five contacts each week; only a and e have events:
    #   11-16: a 12·2^(-6/90) + 10·2^(-4/90) = 21.1548 -> 4.2310
    #   11-23: a 12·2^(-13/90) + 10·2^(-11/90) = 20.0443 -> 4.0089
    #   11-30: (23.8036 + 21.7551) / 5 = 9.1117
    expected = [
        (12 * 2 ** (-6 / 90) + 10 * 2 ** (-4 / 90)) / 5,
        (12 * 2 ** (-13 / 90) + 10 * 2 ** (-11 / 90)) / 5,
        (A_HEAT + E_HEAT) / 5,
    ]
    trend = body["heat_trend"]
    assert [p["as_of"][:10] for p in trend] == ["2026-11-16", "2026-11-23", "2026-11-30"]
    assert [p["mean_heat"] for p in trend] == [pytest.approx(v, abs=1e-4) for v in expected]
    assert [p["contacts"] for p in trend] == [5, 5, 5]


def test_a_rep_sees_only_own_contacts(client: TestClient, tokens: dict[str, str]) -> None:
    alice = bearer(tokens["alice"])
    body = client.get("/api/overview", headers=alice).json()
    # alice owns a, c and e; her top 3 a week earlier already held all three
    assert [c["contact_id"] for c in body["top"]] == ["a", "e", "c"]
    assert body["new_entrants"] == []
    assert body["tier_counts"] == {"A": 1, "B": 0, "C": 1, "-": 1}
    assert body["heat_trend"][-1]["mean_heat"] == pytest.approx((A_HEAT + E_HEAT) / 3, abs=1e-4)
    assert body["heat_trend"][-1]["contacts"] == 3
    # another owner's contact is not found (its existence is not revealed), even when asked for
    assert client.get("/api/contacts/b", headers=alice).status_code == 404
    assert client.get("/api/contacts/nobody", headers=alice).status_code == 404
    queue = client.get("/api/queue/B", params={"owner": "bob"}, headers=alice).json()
    assert queue["owner"] == "alice" and queue["contacts"] == []


def test_managers_see_every_queue_and_filter_by_owner(
    client: TestClient, tokens: dict[str, str]
) -> None:
    manager = bearer(tokens["manager"])
    everyone = client.get("/api/queue/B", headers=manager).json()
    assert [c["contact_id"] for c in everyone["contacts"]] == ["b"]
    bobs = client.get("/api/queue/C", params={"owner": "bob"}, headers=manager).json()
    assert bobs["owner"] == "bob" and bobs["contacts"] == []
    alices = client.get("/api/queue/C", params={"owner": "alice"}, headers=manager).json()
    assert [c["contact_id"] for c in alices["contacts"]] == ["c"]
    assert client.get("/api/queue/Z", headers=manager).status_code == 404


def test_contact_has_every_contribution_history_and_text_as_stored(
    client: TestClient, tokens: dict[str, str]
) -> None:
    body = client.get("/api/contacts/e", headers=bearer(tokens["alice"])).json()
    assert body["title"] == SCRIPT_TITLE and body["owner"] == "alice"
    assert (body["rank"], body["tier"]) == (2, "-")
    earning = {c["rule"]: c["points"] for c in body["contributions"] if c["points"]}
    assert earning == {
        "engagement.meeting": pytest.approx(12 * 2 ** (-1 / 90), abs=1e-4),
        "engagement.reply_to_sales": pytest.approx(10 * 2 ** (-2 / 90), abs=1e-4),
    }
    role = next(c for c in body["contributions"] if c["dimension"] == "role")
    assert SCRIPT_TITLE in role["evidence"]
    # one point per snapshot: 0 before the events, then the total of 2026-11-30
    assert [(p["as_of"][:10], p["total"]) for p in body["history"]] == [
        ("2026-11-16", 0.0),
        ("2026-11-23", 0.0),
        ("2026-11-30", pytest.approx(E_HEAT, abs=1e-4)),
    ]
    assert body["adjustments"] == []


def test_ranks_of_every_tier_and_of_one(client: TestClient, tokens: dict[str, str]) -> None:
    manager = bearer(tokens["manager"])
    body = client.get("/api/ranks", headers=manager).json()
    # totals at 2026-11-30: a 43.80, e 21.76, b 20, d 12, c 7 (see the table above)
    assert [(c["contact_id"], c["rank"], c["tier"]) for c in body["contacts"]] == [
        ("a", 1, "A"),
        ("e", 2, "-"),
        ("b", 3, "B"),
        ("d", 4, "-"),
        ("c", 5, "C"),
    ]
    assert body["snapshot"]["snapshot_id"] == 3 and body["tier"] is None
    untiered = client.get("/api/ranks", params={"tier": "-", "size": 1}, headers=manager).json()
    assert [c["contact_id"] for c in untiered["contacts"]] == ["e"]
    alices = client.get("/api/ranks", params={"owner": "bob"}, headers=bearer(tokens["alice"]))
    assert [c["contact_id"] for c in alices.json()["contacts"]] == ["a", "e", "c"]
    assert client.get("/api/ranks", params={"tier": "Z"}, headers=manager).status_code == 404
    too_many = client.get("/api/ranks", params={"size": 0}, headers=manager)
    assert too_many.status_code == 400 and "size 0 is not between 1" in too_many.json()["detail"]


def test_explanation_and_history_read_apart(client: TestClient, tokens: dict[str, str]) -> None:
    alice = bearer(tokens["alice"])
    contact = client.get("/api/contacts/a", headers=alice).json()
    explanation = client.get("/api/contacts/a/explanation", headers=alice).json()
    assert explanation["contributions"] == contact["contributions"]
    assert sum(c["points"] for c in explanation["contributions"]) == pytest.approx(
        explanation["total"], abs=1e-3
    )
    history = client.get("/api/contacts/a/history", headers=alice).json()
    assert history == contact["history"]
    assert [p["rank"] for p in history] == [1, 1, 1]
    for path in ("/api/contacts/b/explanation", "/api/contacts/b/history"):
        assert client.get(path, headers=alice).status_code == 404  # bob's contact


def test_snapshots_list_the_model(client: TestClient, tokens: dict[str, str]) -> None:
    body = client.get("/api/snapshots", headers=bearer(tokens["bob"])).json()
    assert [s["snapshot_id"] for s in body] == [3, 2, 1]
    assert {s["model_name"] for s in body} == {"default"}
    assert all(len(s["model_hash"]) == 12 for s in body)


def test_the_openapi_document_lists_the_api(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    named = {p.replace("/contacts/a", "/contacts/{contact_id}") for p in READS}
    assert {p.replace("/queue/A", "/queue/{tier}") for p in named} <= set(paths)
    assert {"/api/events", "/api/signals", "/api/rescore"} <= set(paths)
    page = client.get("/docs")
    assert page.status_code == 200 and "/api/contacts/{contact_id}" in page.text
    assert "cdn" not in page.text.lower()
