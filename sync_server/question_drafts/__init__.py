"""Interview question drafts from a job (and optionally a CV): by an LLM, or picked from the bank."""
