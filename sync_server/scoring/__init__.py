"""Evidence-based answer scoring: a rubric with quoted transcript spans, by an LLM or locally."""
