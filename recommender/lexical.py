"""Lexical side of hybrid retrieval: TF-IDF over credential text so exact terms ("SQL", "Scrum") count."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


class LexicalIndex:
    """Fit once with scikit-learn; score a query by hand against a column-major copy (a few hundred µs at 100k)."""

    def __init__(self, documents: Sequence[str]) -> None:
        self.vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            ngram_range=(1, 2),
            min_df=1,
            stop_words="english",
            token_pattern=r"(?u)\b\w[\w+#]*\b",
            dtype=np.float32,
        )
        self.size = len(documents)
        if documents:
            matrix = self.vectorizer.fit_transform(list(documents))
            self.columns = matrix.tocsc()
            self.analyze = self.vectorizer.build_analyzer()
            self.vocabulary: dict[str, int] = self.vectorizer.vocabulary_
            self.idf = self.vectorizer.idf_.astype(np.float32)

    def query_vector(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """(term indices, weights) exactly as TfidfVectorizer.transform would give: sublinear tf x idf, L2."""
        counts = Counter(t for t in self.analyze(query) if t in self.vocabulary)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter((self.vocabulary[t] for t in counts), dtype=np.int64, count=len(counts))
        tf = np.fromiter((1.0 + math.log(c) for c in counts.values()), dtype=np.float32, count=len(counts))
        w = tf * self.idf[idx]
        return idx, w / (np.linalg.norm(w) or 1.0)

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query to every document (rows are L2-normalized by the vectorizer)."""
        if self.size == 0:
            return np.zeros(0, dtype=np.float32)
        idx, weights = self.query_vector(query)
        out = np.zeros(self.size, dtype=np.float32)
        # a query has a handful of terms: adding their columns directly skips scipy's per-call indexing checks
        indptr, rows, data = self.columns.indptr, self.columns.indices, self.columns.data
        for term, weight in zip(idx.tolist(), weights.tolist(), strict=True):
            start, end = indptr[term], indptr[term + 1]
            out[rows[start:end]] += data[start:end] * np.float32(weight)
        return out
