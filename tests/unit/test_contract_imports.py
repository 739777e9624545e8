import subprocess
import sys


def test_importing_the_wire_contract_pulls_in_no_server_stack():
    code = (
        "import sys, sync_server.contract as c; "
        "heavy = [m for m in ('fastapi', 'sqlalchemy', 'torch', 'chromadb', 'PySide6', 'httpx') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_plan_with_only_questions_gets_defaults():
    from sync_server.contract import InterviewPlan

    plan = InterviewPlan.model_validate(
        {
            "questions": [
                {"id": "q1", "text": "Why us?", "think_seconds": 5, "answer_seconds": 30, "max_attempts": 2}
            ]
        }
    )
    assert plan.accommodations.time_multiplier == 1.0
    assert plan.consent.text
    assert plan.questions[0].type == "behavioral"
