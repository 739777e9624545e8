"""Jobs, candidates, question sets, invites, stations and interviews through the API."""

import pytest

from tests.support.server import (
    enroll_station,
    make_answered_interview,
    make_candidate,
    make_invite,
    make_question_set,
    make_tenant,
    unique,
)


def test_invite_to_plan_to_completion(server_client):
    tenant = make_tenant(server_client)
    station = enroll_station(server_client, tenant)
    invite = make_invite(server_client, tenant.hr)
    code = invite["access_code"]
    assert len(code.replace("-", "")) >= 8
    assert not set(code) & set("01OIL")

    typed = code.lower().replace("-", " ")  # case, spaces and dashes do not matter
    plan = server_client.post(
        "/api/v1/station/sessions", json={"access_code": typed}, headers=station.headers
    )
    assert plan.status_code == 200, plan.text
    body = plan.json()
    assert body["interview_id"] == invite["interview_id"]
    assert body["candidate_display_name"] == "Ada"
    assert body["organization"]["name"] == tenant.name
    assert [q["text"] for q in body["questions"]] == ["Question 1?", "Question 2?"]

    again = server_client.post(
        "/api/v1/station/sessions", json={"access_code": code}, headers=station.headers
    )
    assert again.status_code == 409

    interview_url = f"/api/v1/interviews/{invite['interview_id']}"
    assert server_client.get(interview_url, headers=tenant.hr.headers).json()["status"] == "in_progress"

    progress_url = f"/api/v1/station/interviews/{invite['interview_id']}/progress"
    consent = server_client.post(
        progress_url, json={"status": "in_progress", "consent_version": "default-1"}, headers=station.headers
    )
    assert consent.status_code == 200
    assert consent.json()["consent_given_at"] is not None
    for _ in range(2):  # a retried report is harmless
        done = server_client.post(progress_url, json={"status": "completed"}, headers=station.headers)
        assert done.status_code == 200
        assert done.json()["status"] == "completed"
    back = server_client.post(progress_url, json={"status": "in_progress"}, headers=station.headers)
    assert back.status_code == 409
    cancel = server_client.post(
        f"{interview_url}/status", json={"status": "cancelled"}, headers=tenant.hr.headers
    )
    assert cancel.status_code == 409

    refetched = server_client.get(
        f"/api/v1/station/interviews/{invite['interview_id']}/plan", headers=station.headers
    )
    assert refetched.status_code == 200

    audit = server_client.get(
        "/api/v1/audit-log", params={"target_id": invite["interview_id"]}, headers=tenant.admin.headers
    ).json()
    assert {e["action"] for e in audit["items"]} >= {"interview.opened", "interview.progress"}
    assert code not in str(audit)


def test_a_station_only_sees_interviews_it_opened(server_client):
    tenant = make_tenant(server_client)
    station_a = enroll_station(server_client, tenant, "A")
    station_b = enroll_station(server_client, tenant, "B")
    invite = make_invite(server_client, tenant.hr)
    opened = server_client.post(
        "/api/v1/station/sessions", json={"access_code": invite["access_code"]}, headers=station_a.headers
    )
    assert opened.status_code == 200
    url = f"/api/v1/station/interviews/{invite['interview_id']}/plan"
    assert server_client.get(url, headers=station_b.headers).status_code == 404
    other = make_tenant(server_client)
    foreign_station = enroll_station(server_client, other)
    second = make_invite(server_client, tenant.hr)
    foreign = server_client.post(
        "/api/v1/station/sessions",
        json={"access_code": second["access_code"]},
        headers=foreign_station.headers,
    )
    assert foreign.status_code == 404  # another organization's code is simply unknown


def test_wrong_access_codes_are_limited_per_station(server_client):
    tenant = make_tenant(server_client)
    station = enroll_station(server_client, tenant)
    statuses = [
        server_client.post(
            "/api/v1/station/sessions", json={"access_code": "WRONG-CODE"}, headers=station.headers
        ).status_code
        for _ in range(11)
    ]
    assert statuses == [404] * 10 + [429]


def test_revoked_station_and_invite(server_client):
    tenant = make_tenant(server_client)
    station = enroll_station(server_client, tenant)
    invite = make_invite(server_client, tenant.hr)
    revoked = server_client.post(f"/api/v1/invites/{invite['id']}/revoke", headers=tenant.hr.headers)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    interview = server_client.get(f"/api/v1/interviews/{invite['interview_id']}", headers=tenant.hr.headers)
    assert interview.json()["status"] == "cancelled"
    response = server_client.post(
        "/api/v1/station/sessions", json={"access_code": invite["access_code"]}, headers=station.headers
    )
    assert response.status_code == 404
    assert (
        server_client.post(f"/api/v1/stations/{station.id}/revoke", headers=tenant.admin.headers).status_code
        == 200
    )
    beat = server_client.post("/api/v1/station/heartbeat", json={}, headers=station.headers)
    assert beat.status_code == 401


def test_enrollment_code_is_single_use(server_client):
    tenant = make_tenant(server_client)
    code = server_client.post(
        "/api/v1/stations/enrollment-codes", json={"station_name": "Lobby"}, headers=tenant.admin.headers
    ).json()["enrollment_code"]
    first = server_client.post(
        "/api/v1/stations/enroll", json={"enrollment_code": code, "app_version": "1.0"}
    )
    assert first.status_code == 201
    assert first.json()["credential"].startswith("ist_")
    second = server_client.post("/api/v1/stations/enroll", json={"enrollment_code": code})
    assert second.status_code == 409
    stations = server_client.get("/api/v1/stations", headers=tenant.admin.headers).json()
    assert [s["name"] for s in stations["items"]] == ["Lobby"]
    assert stations["items"][0]["last_seen_at"] is not None


def test_candidate_with_cv_is_stored_and_downloadable(server_client, server_settings):
    tenant = make_tenant(server_client)
    pdf = b"%PDF-1.4\n% a tiny pdf\n"
    response = server_client.post(
        "/api/v1/candidates",
        data={"full_name": "Grace Hopper", "email": "Grace@Example.org"},
        files={"cv": ("grace.pdf", pdf, "application/pdf")},
        headers=tenant.hr.headers,
    )
    assert response.status_code == 201, response.text
    candidate = response.json()
    assert candidate["email"] == "grace@example.org"
    assert candidate["cv_size"] == len(pdf)
    assert candidate["cv_status"] == "pending"
    download = server_client.get(f"/api/v1/candidates/{candidate['id']}/cv", headers=tenant.hr.headers)
    assert download.status_code == 200
    assert download.content == pdf


@pytest.mark.parametrize(
    ("filename", "content", "content_type", "status"),
    [
        ("cv.exe", b"MZ...", "application/x-msdownload", 422),
        ("fake.pdf", b"not a pdf", "application/pdf", 422),
        ("empty.txt", b"", "text/plain", 422),
    ],
)
def test_bad_cv_files_are_refused_and_nothing_is_kept(
    server_client, server_settings, filename, content, content_type, status
):
    tenant = make_tenant(server_client)
    response = server_client.post(
        "/api/v1/candidates",
        data={"full_name": "Bad File"},
        files={"cv": (filename, content, content_type)},
        headers=tenant.hr.headers,
    )
    assert response.status_code == status
    assert set(response.json()) == {"error", "detail"}
    listed = server_client.get(
        "/api/v1/candidates", params={"q": "Bad File"}, headers=tenant.hr.headers
    ).json()
    assert listed["total"] == 0


def test_oversized_bodies_get_413_in_the_error_shape(server_client, server_settings):
    tenant = make_tenant(server_client)
    big = "x" * (server_settings.max_request_bytes + 10)
    response = server_client.post(
        "/api/v1/jobs", json={"title": "t", "description": big}, headers=tenant.hr.headers
    )
    assert response.status_code == 413
    assert response.json()["error"] == "PayloadTooLarge"


def test_lists_paginate_filter_sort_and_cap(server_client):
    tenant = make_tenant(server_client)
    titles = [unique("Job") for _ in range(5)]
    for title in titles:
        assert (
            server_client.post("/api/v1/jobs", json={"title": title}, headers=tenant.hr.headers).status_code
            == 201
        )
    page = server_client.get(
        "/api/v1/jobs", params={"limit": 2, "sort": "title"}, headers=tenant.hr.headers
    ).json()
    assert page["total"] == 5
    assert [j["title"] for j in page["items"]] == sorted(titles)[:2]
    second = server_client.get(
        "/api/v1/jobs", params={"limit": 2, "offset": 2, "sort": "title"}, headers=tenant.hr.headers
    ).json()
    assert [j["title"] for j in second["items"]] == sorted(titles)[2:4]
    assert (
        server_client.get("/api/v1/jobs", params={"limit": 101}, headers=tenant.hr.headers).status_code == 422
    )
    bad_sort = server_client.get("/api/v1/jobs", params={"sort": "password"}, headers=tenant.hr.headers)
    assert bad_sort.status_code == 422
    assert "Cannot sort by" in bad_sort.json()["detail"]
    job_id = page["items"][0]["id"]
    closed = server_client.patch(
        f"/api/v1/jobs/{job_id}", json={"status": "closed"}, headers=tenant.hr.headers
    )
    assert closed.json()["status"] == "closed"
    only_closed = server_client.get(
        "/api/v1/jobs", params={"status": "closed"}, headers=tenant.hr.headers
    ).json()
    assert [j["id"] for j in only_closed["items"]] == [job_id]


def test_question_sets_replace_questions_until_answered(server_client):
    tenant = make_tenant(server_client)
    qs = make_question_set(server_client, tenant.hr, questions=3)
    updated = server_client.patch(
        f"/api/v1/question-sets/{qs['id']}",
        json={"questions": [{"text": "Only one now?", "type": "technical", "max_attempts": 2}]},
        headers=tenant.hr.headers,
    )
    assert updated.status_code == 200
    assert [(q["text"], q["type"], q["max_attempts"]) for q in updated.json()["questions"]] == [
        ("Only one now?", "technical", 2)
    ]
    listed = server_client.get("/api/v1/question-sets", headers=tenant.hr.headers).json()
    assert listed["items"][0]["question_count"] == 1


def test_another_organizations_objects_are_not_found(server_client):
    mine = make_tenant(server_client)
    theirs = make_tenant(server_client)
    invite = make_invite(server_client, theirs.hr)
    candidate = make_candidate(server_client, theirs.hr)
    for url in (
        f"/api/v1/interviews/{invite['interview_id']}",
        f"/api/v1/invites/{invite['id']}",
        f"/api/v1/candidates/{candidate['id']}",
        f"/api/v1/users/{theirs.hr.id}",
    ):
        response = server_client.get(url, headers=mine.admin.headers)
        assert response.status_code == 404, url
    listed = server_client.get("/api/v1/candidates", headers=mine.hr.headers).json()
    assert candidate["id"] not in {c["id"] for c in listed["items"]}
    foreign_invite = server_client.post(
        "/api/v1/invites",
        json={"candidate_id": candidate["id"], "question_set_id": "x"},
        headers=mine.hr.headers,
    )
    assert foreign_invite.status_code == 404


def test_reviews_are_per_reviewer_with_reasoned_overrides(server_client):
    tenant = make_tenant(server_client)
    answered = make_answered_interview(server_client, tenant)
    url = f"/api/v1/responses/{answered['response_id']}/review"
    assert server_client.get(url, headers=tenant.hr.headers).status_code == 404
    no_reason = server_client.put(url, json={"rating": 4, "override_score": 2.5}, headers=tenant.hr.headers)
    assert no_reason.status_code == 422
    assert "reason" in no_reason.json()["detail"]
    saved = server_client.put(
        url,
        json={
            "rating": 4,
            "comment": "clear",
            "override_score": 2.5,
            "override_reason": "missed the key point",
            "decision": "shortlist",
            "decision_note": "second round",
        },
        headers=tenant.hr.headers,
    )
    assert saved.status_code == 200, saved.text
    changed = server_client.put(url, json={"rating": 5, "decision": "shortlist"}, headers=tenant.hr.headers)
    assert changed.json()["id"] == saved.json()["id"]  # one review per reviewer, changed in place
    assert changed.json()["override_score"] is None
    server_client.put(url, json={"rating": 2, "decision": "reject"}, headers=tenant.admin.headers)
    everyone = server_client.get(
        f"/api/v1/responses/{answered['response_id']}/reviews", headers=tenant.hr.headers
    )
    assert sorted(r["rating"] for r in everyone.json()) == [2, 5]
    other = make_tenant(server_client)
    assert server_client.put(url, json={"rating": 1}, headers=other.hr.headers).status_code == 404
    history = server_client.get(
        "/api/v1/audit-log", params={"action": "review.saved"}, headers=tenant.admin.headers
    ).json()
    assert history["total"] == 3
    assert any(e["details"].get("override_reason") == "missed the key point" for e in history["items"])


def test_a_declined_consent_closes_the_interview_for_good(server_client):
    tenant = make_tenant(server_client)
    station = enroll_station(server_client, tenant)
    invite = make_invite(server_client, tenant.hr)
    code = invite["access_code"]
    opened = server_client.post(
        "/api/v1/station/sessions", json={"access_code": code}, headers=station.headers
    )
    assert opened.status_code == 200
    progress_url = f"/api/v1/station/interviews/{invite['interview_id']}/progress"

    contradictory = server_client.post(
        progress_url, json={"status": "declined", "people_only": True}, headers=station.headers
    )
    assert contradictory.status_code == 422 and contradictory.json()["error"]
    # A station clock far off (or a naive time) is refused, not stored as sent.
    for implausible in ("0001-01-01T00:00:00Z", "2026-11-25T20:00:00", "2999-01-01T00:00:00Z"):
        refused = server_client.post(
            progress_url, json={"status": "declined", "declined_at": implausible}, headers=station.headers
        )
        assert refused.status_code == 422 and "declined_at" in refused.json()["detail"], refused.text
    untouched = server_client.get(f"/api/v1/interviews/{invite['interview_id']}", headers=tenant.hr.headers)
    assert untouched.json()["declined_at"] is None and untouched.json()["status"] != "declined"
    for _ in range(2):  # the outbox may deliver it twice
        declined = server_client.post(
            progress_url,
            json={"status": "declined", "declined_at": "2026-11-25T20:00:00Z"},
            headers=station.headers,
        )
        assert declined.status_code == 200, declined.text
        assert declined.json()["status"] == "declined"
        assert declined.json()["declined_at"].startswith("2026-11-25T20:00:00")
        assert declined.json()["consent_given_at"] is None

    # terminal: the station cannot start it, the reviewer cannot cancel it, the code opens nothing
    for body in ({"status": "in_progress", "consent_version": "default-1"}, {"status": "completed"}):
        assert server_client.post(progress_url, json=body, headers=station.headers).status_code == 409
    interview_url = f"/api/v1/interviews/{invite['interview_id']}"
    cancel = server_client.post(
        f"{interview_url}/status", json={"status": "cancelled"}, headers=tenant.hr.headers
    )
    assert cancel.status_code == 409
    again = server_client.post(
        "/api/v1/station/sessions", json={"access_code": code}, headers=station.headers
    )
    assert again.status_code == 409 and "used already" in again.json()["detail"]

    shown = server_client.get(interview_url, headers=tenant.hr.headers).json()
    assert shown["status"] == "declined" and shown["declined_at"] is not None
    listed = server_client.get(
        "/api/v1/interviews", params={"status": "declined"}, headers=tenant.hr.headers
    ).json()
    assert [i["id"] for i in listed["items"]] == [invite["interview_id"]]
    audit = server_client.get(
        "/api/v1/audit-log", params={"target_id": invite["interview_id"]}, headers=tenant.admin.headers
    ).json()
    assert [e["action"] for e in audit["items"]].count("interview.consent_declined") == 1


def test_consent_once_given_cannot_be_declined(server_client):
    tenant = make_tenant(server_client)
    station = enroll_station(server_client, tenant)
    invite = make_invite(server_client, tenant.hr)
    server_client.post(
        "/api/v1/station/sessions", json={"access_code": invite["access_code"]}, headers=station.headers
    )
    progress_url = f"/api/v1/station/interviews/{invite['interview_id']}/progress"
    given = server_client.post(
        progress_url, json={"status": "in_progress", "consent_version": "default-1"}, headers=station.headers
    )
    assert given.status_code == 200 and given.json()["people_only"] is False
    declined = server_client.post(progress_url, json={"status": "declined"}, headers=station.headers)
    assert declined.status_code == 409
    assert declined.json() == {
        "error": "Conflict",
        "detail": "The candidate consented to this interview already; it cannot be declined now.",
    }


def test_heartbeat_reports_answers_waiting_and_admins_see_them(server_client):
    tenant = make_tenant(server_client)
    station = enroll_station(server_client, tenant)

    def listed() -> dict[str, object]:
        page = server_client.get("/api/v1/stations", headers=tenant.admin.headers).json()
        row: dict[str, object] = next(s for s in page["items"] if s["id"] == station.id)
        return row

    assert (listed()["pending_uploads"], listed()["pending_uploads_reported_at"]) == (None, None)
    beat = server_client.post(
        "/api/v1/station/heartbeat",
        json={"app_version": "1.2.3", "pending_uploads": 4},
        headers=station.headers,
    )
    assert beat.status_code == 200, beat.text
    row = listed()
    assert (row["pending_uploads"], row["app_version"]) == (4, "1.2.3")
    assert row["pending_uploads_reported_at"] is not None
    one = server_client.get(f"/api/v1/stations/{station.id}", headers=tenant.admin.headers).json()
    assert one["pending_uploads"] == 4
    assert (
        server_client.post(
            "/api/v1/station/heartbeat", json={"pending_uploads": 0}, headers=station.headers
        ).status_code
        == 200
    )
    assert listed()["pending_uploads"] == 0
    refused = server_client.post(
        "/api/v1/station/heartbeat", json={"pending_uploads": -1}, headers=station.headers
    )
    assert refused.status_code == 422 and refused.json()["error"] == "ValidationError"
    assert listed()["pending_uploads"] == 0
