"""Turn what a reviewer typed into an SQLite FTS5 MATCH expression, read the way PostgreSQL's
`websearch_to_tsquery` reads it: words must all occur, "quoted words" as a phrase, `or` between
alternatives, `-word` excluded. Punctuation never reaches FTS5's own query syntax (where it is an error):
every term is reduced to its letters and digits and quoted.
"""

import re

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer keeps: letters and digits


def _phrase(text: str) -> str | None:
    words = WORD.findall(text)
    return '"' + " ".join(words) + '"' if words else None


def fts5_query(text: str) -> str | None:
    """The MATCH expression, or None when nothing searchable is left (then nothing matches)."""
    groups: list[list[str]] = []  # every group must match; any term of a group will do
    excluded: list[str] = []
    alternative = False
    for match in _TOKEN.finditer(text):
        quoted, bare = match.groups()
        negated = False
        if bare is not None:
            if bare.lower() == "or":
                alternative = bool(groups)
                continue
            if bare.startswith("-") and len(bare) > 1:
                negated, bare = True, bare[1:]
        term = _phrase(quoted if quoted is not None else bare)
        if term is None:
            continue
        if negated:
            excluded.append(term)
        elif alternative:
            groups[-1].append(term)
        else:
            groups.append([term])
        alternative = False
    if not groups:
        return None
    expression = " AND ".join("(" + " OR ".join(group) + ")" for group in groups)
    if excluded:
        expression = f"({expression}) NOT ({' OR '.join(excluded)})"
    return expression
