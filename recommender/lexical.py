"""Lexical side of hybrid retrieval: TF-IDF over credential text so exact terms ("SQL", "Scrum") count."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


class LexicalIndex:
    def __init__(self, documents: Sequence[str]) -> None:
        self.vectorizer = TfidfVectorizer(
            sublinear_tf=True, ngram_range=(1, 2), min_df=1, stop_words="english", token_pattern=r"(?u)\b\w[\w+#]*\b"
        )
        self.matrix = self.vectorizer.fit_transform(list(documents)) if documents else None

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity (rows are L2-normalized by TfidfVectorizer) of the query to every document."""
        if self.matrix is None:
            return np.zeros(0, dtype=np.float32)
        q = self.vectorizer.transform([query])
        return np.asarray((self.matrix @ q.T).toarray().ravel(), dtype=np.float32)
