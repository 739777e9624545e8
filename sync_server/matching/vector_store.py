"""CV vectors in a persistent ChromaDB: one pair of collections per organization.

Tenants are separated twice: each organization has its own collections, and every read also filters on
organization_id, so a mistake in one layer still cannot show one tenant another's CVs. Embeddings are
always passed in: chroma's default embedding function would download a model, and is never used.
"""

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.config import Settings

from sync_server.matching.embedder import DIMENSIONS, Vectors
from sync_server.matching.passages import Passage

_SAFE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,40}[A-Za-z0-9]$")


@dataclass(frozen=True)
class StoredPassage:
    candidate_id: str
    text: str
    section: str
    vector: Vectors


@dataclass(frozen=True)
class Neighbour:
    candidate_id: str
    similarity: float


def _collection_suffix(organization_id: str) -> str:
    if _SAFE_NAME_RE.match(organization_id):
        return organization_id
    return hashlib.sha256(organization_id.encode()).hexdigest()[:32]


def _check(vectors: Vectors, rows: int) -> list[list[float]]:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim != 2 or array.shape != (rows, DIMENSIONS):
        raise ValueError(f"expected {rows} embeddings of {DIMENSIONS} dimensions, got shape {array.shape}")
    return array.tolist()  # type: ignore[no-any-return]


class CVVectorStore:
    """CV vectors in a local persistent ChromaDB (`path`), or on a Chroma server (`url`).

    A local store belongs to one process: another process's writes reach its search index only after
    a restart. Deployments with separate worker processes or hosts use a Chroma server.
    """

    def __init__(self, path: Path | None = None, *, url: str | None = None) -> None:
        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        if url is not None:
            parsed = urlsplit(url)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise ValueError(f"not a Chroma server URL: {url!r}")
            self._client = chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        elif path is not None:
            path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(path), settings=settings)
        else:
            raise ValueError("a vector store needs a path or a Chroma server URL")
        self._lock = threading.Lock()

    def _collection(self, organization_id: str, kind: str) -> Any:
        # embedding_function=None: a call without explicit embeddings fails instead of downloading a model.
        return self._client.get_or_create_collection(
            f"{kind}-{_collection_suffix(organization_id)}",
            embedding_function=None,
            metadata={"hnsw:space": "cosine", "organization_id": organization_id},
        )

    def _where(self, organization_id: str, **conditions: Any) -> dict[str, Any]:
        clauses = [{"organization_id": organization_id}] + [{k: v} for k, v in conditions.items()]
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    # -- writing -----------------------------------------------------------------------------------
    def replace_cv(
        self,
        *,
        organization_id: str,
        candidate_id: str,
        cv_hash: str,
        passages: list[Passage],
        passage_vectors: Vectors,
        profile_vector: Vectors,
        years_experience: float | None = None,
    ) -> None:
        """Store a CV's passages and its profile vector, replacing whatever was stored for it."""
        passage_rows = _check(passage_vectors, len(passages))
        profile_row = _check(profile_vector.reshape(1, -1), 1)
        with self._lock:
            self.remove_cv(organization_id=organization_id, candidate_id=candidate_id)
            if passages:
                self._collection(organization_id, "passages").add(
                    ids=[f"{candidate_id}:{i}" for i in range(len(passages))],
                    embeddings=passage_rows,
                    documents=[p.text for p in passages],
                    metadatas=[
                        {
                            "organization_id": organization_id,
                            "candidate_id": candidate_id,
                            "section": p.section,
                            "cv_hash": cv_hash,
                        }
                        for p in passages
                    ],
                )
            self._collection(organization_id, "profiles").add(
                ids=[candidate_id],
                embeddings=profile_row,
                metadatas=[
                    {
                        "organization_id": organization_id,
                        "candidate_id": candidate_id,
                        "cv_hash": cv_hash,
                        "years_experience": -1.0 if years_experience is None else float(years_experience),
                    }
                ],
            )

    def remove_cv(self, *, organization_id: str, candidate_id: str) -> None:
        where = self._where(organization_id, candidate_id=candidate_id)
        self._collection(organization_id, "passages").delete(where=where)
        self._collection(organization_id, "profiles").delete(where=where)

    # -- reading -----------------------------------------------------------------------------------
    def cv_hash(self, *, organization_id: str, candidate_id: str) -> str | None:
        found = self._collection(organization_id, "profiles").get(
            where=self._where(organization_id, candidate_id=candidate_id), include=["metadatas"]
        )
        metadatas = found["metadatas"] or []
        return str(metadatas[0]["cv_hash"]) if metadatas else None

    def years_experience(self, *, organization_id: str, candidate_ids: list[str]) -> dict[str, float | None]:
        if not candidate_ids:
            return {}
        found = self._collection(organization_id, "profiles").get(
            where=self._where(organization_id, candidate_id={"$in": candidate_ids}), include=["metadatas"]
        )
        result: dict[str, float | None] = {}
        for meta in found["metadatas"] or []:
            years = float(meta.get("years_experience", -1.0))
            result[str(meta["candidate_id"])] = years if years >= 0 else None
        return result

    def passages(self, *, organization_id: str, candidate_ids: list[str]) -> dict[str, list[StoredPassage]]:
        if not candidate_ids:
            return {}
        found = self._collection(organization_id, "passages").get(
            where=self._where(organization_id, candidate_id={"$in": candidate_ids}),
            include=["embeddings", "documents", "metadatas"],
        )
        result: dict[str, list[StoredPassage]] = {cid: [] for cid in candidate_ids}
        embeddings = found["embeddings"] if found["embeddings"] is not None else []
        for doc, meta, vector in zip(
            found["documents"] or [], found["metadatas"] or [], embeddings, strict=True
        ):
            cid = str(meta["candidate_id"])
            result.setdefault(cid, []).append(
                StoredPassage(cid, doc, str(meta["section"]), np.asarray(vector, dtype=np.float32))
            )
        return result

    def profile_vector(self, *, organization_id: str, candidate_id: str) -> Vectors | None:
        found = self._collection(organization_id, "profiles").get(
            where=self._where(organization_id, candidate_id=candidate_id), include=["embeddings"]
        )
        embeddings = found["embeddings"]
        if embeddings is None or len(embeddings) == 0:
            return None
        return np.asarray(embeddings[0], dtype=np.float32)

    def nearest_profiles(self, *, organization_id: str, vector: Vectors, limit: int) -> list[Neighbour]:
        collection = self._collection(organization_id, "profiles")
        count = collection.count()
        if count == 0:
            return []
        found = collection.query(
            query_embeddings=_check(vector.reshape(1, -1), 1),
            n_results=min(limit, count),
            where=self._where(organization_id),
            include=["distances", "metadatas"],
        )
        return [
            Neighbour(str(meta["candidate_id"]), 1.0 - float(distance))
            for meta, distance in zip(found["metadatas"][0], found["distances"][0], strict=True)
        ]

    def nearest_passage_owners(self, *, organization_id: str, vectors: Vectors, per_query: int) -> set[str]:
        """Candidates owning any of the `per_query` nearest passages of each query vector."""
        collection = self._collection(organization_id, "passages")
        count = collection.count()
        if count == 0 or len(vectors) == 0:
            return set()
        found = collection.query(
            query_embeddings=_check(vectors, len(vectors)),
            n_results=min(per_query, count),
            where=self._where(organization_id),
            include=["metadatas"],
        )
        return {str(meta["candidate_id"]) for row in found["metadatas"] for meta in row}

    def count_cvs(self, *, organization_id: str) -> int:
        return int(self._collection(organization_id, "profiles").count())
