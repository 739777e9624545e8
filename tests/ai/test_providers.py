"""The real OpenAI and Gemini SDKs against a fake server: valid output, bad output, failures, fallback."""

import time

import pytest

from sync_server.ai.breaker import RedisBreakerStore
from sync_server.ai.errors import AIUnavailable
from sync_server.ai.usage import MemoryUsageStore, RedisUsageStore
from sync_server.scoring.service import score_answer
from tests.support.fake_llm import Reply
from tests.support.transcripts import make_transcript

QUESTION = "Tell me about a time you improved the performance of a slow system."
KEY_POINTS = [
    "The system and how slow it was, with a number",
    "Measured or profiled to find the bottleneck",
    "The change made: caching, query fix or scaling",
    "The measured result after the change",
]
ANSWER = (
    "At my last job our checkout API had a p99 latency of about 900 milliseconds. "
    "I profiled it with py-spy and found that we ran one SQL query per cart item. "
    "I rewrote it as a single join and added a Redis cache for product prices. "
    "After the change p99 dropped to 180 milliseconds."
)


def rubric(quotes: dict[str, str] | None = None) -> dict[str, object]:
    quotes = quotes or {}
    default = {
        "relevance": "our checkout API had a p99 latency of about 900 milliseconds",
        "key_point_coverage": "I profiled it with py-spy",
        "specificity": "After the change p99 dropped to 180 milliseconds.",
        "clarity": "I rewrote it as a single join ... added a Redis cache",
    }
    default.update(quotes)
    return {
        "criteria": [
            {"criterion": name, "score": 4, "quote": quote, "reason": "Supported by the quote."}
            for name, quote in default.items()
        ],
        "feedback": "A specific, measured answer. It could say more about trade-offs.",
    }


def run(chain, local_scorer):  # type: ignore[no-untyped-def]
    return score_answer(
        chain=chain,
        local_scorer=local_scorer,
        organization_id="org-a",
        question=QUESTION,
        key_points=KEY_POINTS,
        transcript=make_transcript(ANSWER),
    )


def test_valid_openai_output_is_stored_with_verified_quotes_and_times(
    fake_llm, ai_settings, make_chain, local_scorer
):
    fake_llm.script("openai", Reply.json(rubric()))
    score = run(make_chain(ai_settings()), local_scorer)
    assert score.status == "scored"
    assert (score.provider, score.model, score.prompt_version) == ("openai", "gpt-4o-mini", "answer-score-v1")
    assert (score.input_tokens, score.output_tokens) == (120, 80)
    assert score.overall == 4.0
    starts = {c.criterion: c.start for c in score.criteria}
    # "I profiled ..." is word 16 of the transcript (0.5 s + 15 x 0.4 s); "our checkout" is word 5.
    assert starts["key_point_coverage"] == pytest.approx(0.5 + 15 * 0.4)
    assert starts["relevance"] == pytest.approx(0.5 + 4 * 0.4)
    request = fake_llm.calls("openai")[0]
    assert request.body["response_format"]["type"] == "json_schema"
    assert request.body["response_format"]["json_schema"]["schema"]["properties"]["criteria"]
    assert request.headers["authorization"] == "Bearer sk-test-not-a-real-key"
    assert ANSWER in request.body["messages"][1]["content"]


def test_gemini_is_called_with_its_key_header_and_json_schema(
    fake_llm, ai_settings, make_chain, local_scorer
):
    fake_llm.script("gemini", Reply.json(rubric()))
    score = run(make_chain(ai_settings(ai_providers="gemini,local")), local_scorer)
    assert (score.provider, score.model) == ("gemini", "gemini-2.0-flash")
    assert (score.input_tokens, score.output_tokens) == (110, 70)
    request = fake_llm.calls("gemini")[0]
    assert request.path == "/v1beta/models/gemini-2.0-flash:generateContent" or request.path.endswith(
        "/models/gemini-2.0-flash:generateContent"
    )
    assert request.headers["x-goog-api-key"] == "gm-test-not-a-real-key"
    config = request.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert "criteria" in config["responseJsonSchema"]["properties"]


def test_malformed_json_is_retried_then_the_next_provider_serves(
    fake_llm, ai_settings, make_chain, local_scorer
):
    fake_llm.script("openai", Reply.text("{not json"), Reply.text('{"criteria": []}'))
    fake_llm.script("gemini", Reply.json(rubric()))
    score = run(make_chain(ai_settings()), local_scorer)
    assert score.provider == "gemini"
    assert len(fake_llm.calls("openai")) == 2  # ai_max_attempts


def test_an_invented_quote_is_never_stored(fake_llm, ai_settings, make_chain, local_scorer):
    invented = rubric({"specificity": "I cut the cloud bill by forty percent"})
    fake_llm.script("openai", Reply.json(invented), Reply.json(invented))
    fake_llm.script("gemini", Reply.json(invented), Reply.json(invented))
    score = run(make_chain(ai_settings()), local_scorer)
    assert score.provider == "local"
    assert score.prompt_version == "local-rubric-v2"
    transcript_text = ANSWER.lower()
    for criterion in score.criteria:
        assert criterion.quote.lower() in transcript_text
        assert criterion.start is not None


def test_429_is_retried_with_backoff_and_then_succeeds(fake_llm, ai_settings, make_chain, local_scorer):
    fake_llm.script("openai", Reply.status(429), Reply.json(rubric()))
    score = run(make_chain(ai_settings()), local_scorer)
    assert score.provider == "openai"
    assert len(fake_llm.calls("openai")) == 2
    assert not fake_llm.calls("gemini")


def test_500_everywhere_falls_back_to_the_local_scorer(fake_llm, ai_settings, make_chain, local_scorer):
    score = run(make_chain(ai_settings()), local_scorer)  # the fake's default reply is 500
    assert score.provider == "local"
    assert len(fake_llm.calls("openai")) == 2
    assert len(fake_llm.calls("gemini")) == 2


def test_a_400_is_not_retried(fake_llm, ai_settings, make_chain, local_scorer):
    fake_llm.script("openai", Reply.status(400))
    fake_llm.script("gemini", Reply.json(rubric()))
    score = run(make_chain(ai_settings()), local_scorer)
    assert score.provider == "gemini"
    assert len(fake_llm.calls("openai")) == 1


def test_a_slow_provider_times_out_and_the_next_one_serves(fake_llm, ai_settings, make_chain, local_scorer):
    fake_llm.script("openai", Reply.delay(1.5, Reply.json(rubric())))
    fake_llm.script("gemini", Reply.delay(1.5, Reply.json(rubric())), Reply.json(rubric()))
    settings = ai_settings(ai_timeout_seconds=0.4, ai_max_attempts=2, ai_providers="openai,gemini")
    fake_llm.script("openai", Reply.delay(1.5, Reply.json(rubric())))
    score = run(make_chain(settings), local_scorer)
    assert score.provider == "gemini"  # its second attempt answered in time


def test_without_any_working_provider_the_error_names_each_failure(
    fake_llm, ai_settings, make_chain, local_scorer
):
    with pytest.raises(AIUnavailable) as caught:
        run(make_chain(ai_settings(ai_providers="openai,gemini")), local_scorer)
    assert caught.value.status_code == 503
    assert "openai: HTTP 500" in caught.value.detail and "gemini: HTTP 500" in caught.value.detail
    assert "sk-test" not in caught.value.detail


@pytest.mark.redis
def test_breaker_state_in_redis_is_shared_across_chains(
    fake_llm, ai_settings, make_chain, local_scorer, redis_config
):
    import redis

    url, prefix = redis_config
    client = redis.Redis.from_url(url)
    settings = ai_settings(ai_providers="openai,local", ai_breaker_failures=2, ai_breaker_cooldown_seconds=30)
    first = make_chain(settings, breaker_store=RedisBreakerStore(client, prefix=prefix + "b1:"))
    run(first, local_scorer)
    run(first, local_scorer)
    assert len(fake_llm.calls("openai")) == 4  # two calls x two attempts, then the breaker opens
    # Another process (another chain, same Redis) sees the open breaker and does not call OpenAI.
    second = make_chain(settings, breaker_store=RedisBreakerStore(client, prefix=prefix + "b1:"))
    score = run(second, local_scorer)
    assert score.provider == "local"
    assert len(fake_llm.calls("openai")) == 4
    assert second.breaker.state("openai") == "open"
    client.close()


def test_breaker_half_opens_after_cooldown_and_closes_on_success(
    fake_llm, ai_settings, make_chain, local_scorer
):
    settings = ai_settings(
        ai_providers="openai", ai_breaker_failures=1, ai_breaker_cooldown_seconds=1.0, ai_max_attempts=1
    )
    chain = make_chain(settings)
    with pytest.raises(AIUnavailable):
        run(chain, local_scorer)
    assert chain.breaker.state("openai") == "open"
    with pytest.raises(AIUnavailable, match="circuit open"):
        run(chain, local_scorer)
    assert len(fake_llm.calls("openai")) == 1
    time.sleep(1.05)
    assert chain.breaker.state("openai") == "half-open"
    fake_llm.script("openai", Reply.json(rubric()))
    assert run(chain, local_scorer).provider == "openai"
    assert chain.breaker.state("openai") == "closed"


@pytest.mark.redis
def test_usage_is_counted_per_organization_and_the_cap_hands_over_to_local(
    fake_llm, ai_settings, make_chain, local_scorer, redis_config
):
    import redis

    url, prefix = redis_config
    client = redis.Redis.from_url(url)
    store = RedisUsageStore(client, prefix=prefix + "u1:")
    chain = make_chain(ai_settings(ai_monthly_token_cap=300), usage_store=store)
    fake_llm.script("openai", Reply.json(rubric()), Reply.json(rubric()))
    assert run(chain, local_scorer).provider == "openai"
    assert run(chain, local_scorer).provider == "openai"
    snapshot = chain.meter.snapshot("org-a")
    assert (snapshot.requests, snapshot.tokens) == (2, 400)
    assert chain.meter.snapshot("org-b").requests == 0
    third = run(chain, local_scorer)  # 400 >= 300: metered providers are skipped this month
    assert third.provider == "local"
    assert len(fake_llm.calls("openai")) == 2
    client.close()


def test_in_process_usage_store_counts_too(fake_llm, ai_settings, make_chain, local_scorer):
    store = MemoryUsageStore()
    chain = make_chain(ai_settings(), usage_store=store)
    fake_llm.script("openai", Reply.json(rubric()))
    run(chain, local_scorer)
    assert chain.meter.snapshot("org-a").input_tokens == 120


def draft_task(embedder):  # type: ignore[no-untyped-def]
    from sync_server.question_drafts.local_generator import DraftRequest, LocalQuestionGenerator
    from sync_server.question_drafts.task import DraftQuestionsTask

    return DraftQuestionsTask(
        request=DraftRequest(
            job_title="Registered Nurse",
            requirements=["Acute patient care", "Medication administration"],
            job_skills=["Nursing"],
            cv_skills=["Nursing", "Triage"],
            count=2,
        ),
        job_description="Nurse for an acute ward.",
        cv_titles=["Staff Nurse"],
        generator=LocalQuestionGenerator(embedder),
    )


def llm_questions(texts: list[str]) -> dict[str, object]:
    return {
        "questions": [
            {
                "text": t,
                "type": "behavioral",
                "key_points": ["Escalated early", "Used SBAR"],
                "rationale": "Acute care.",
            }
            for t in texts
        ]
    }


def test_question_drafts_come_from_the_llm_and_fall_back_to_the_bank(
    fake_llm, ai_settings, make_chain, embedder
):
    chain = make_chain(ai_settings(ai_providers="openai,local"))
    fake_llm.script(
        "openai",
        Reply.json(
            llm_questions(
                ["Tell me about a patient who deteriorated on your shift.", "How do you check a dose?"]
            )
        ),
    )
    drafted = chain.run(draft_task(embedder), organization_id="org-a")
    assert drafted.provider == "openai" and drafted.prompt_version == "question-draft-v1"
    assert [q.source for q in drafted.value.questions] == ["llm", "llm"]
    prompt = fake_llm.calls("openai")[0].body["messages"][1]["content"]
    assert "Registered Nurse" in prompt and "Triage" in prompt and "exactly 2 questions" in prompt
    # A draft that repeats a question is invalid: retried, then the bank serves.
    repeated = Reply.json(llm_questions(["Same question twice here?", "Same question twice here?"]))
    fake_llm.script("openai", repeated, repeated)
    fallback = chain.run(draft_task(embedder), organization_id="org-a")
    assert fallback.provider == "local" and fallback.prompt_version == "bank-ranking-v1"
    assert all(
        q.source.startswith("bank:nurse") or q.source.startswith("bank:") for q in fallback.value.questions
    )
    assert len(fallback.value.questions) == 2


@pytest.mark.parametrize(
    "first", [Reply.status(429), Reply.status(503), Reply.text("{not json"), Reply.json({"criteria": "nope"})]
)
def test_gemini_retries_transient_and_malformed_replies(
    fake_llm, ai_settings, make_chain, local_scorer, first
):
    fake_llm.script("gemini", first, Reply.json(rubric()))
    score = run(make_chain(ai_settings(ai_providers="gemini,local")), local_scorer)
    assert score.provider == "gemini"
    assert len(fake_llm.calls("gemini")) == 2
