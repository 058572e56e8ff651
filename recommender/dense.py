"""Dot products of one query against every credential vector, the one step that grows with the catalog.

Small catalogs use numpy. Large ones (>= 5k records), when torch is already loaded (documents were encoded in this
process; queries alone never load it), keep a bfloat16 copy and let torch do the product: at 100k x 384 the
float32 product is memory-bound (~150 MB read per query), and half the bytes on torch's own threads is about 3x
faster here without waking numpy's BLAS threads, which would then spin against the next query encode. bfloat16's
~3 significant digits are plenty to rank by cosine.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

LARGE = 5_000


class DenseScores:
    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors: np.ndarray | None = vectors
        self._tensor: Any = None
        if len(vectors) >= LARGE and "torch" in sys.modules:
            import torch

            self._tensor = torch.from_numpy(vectors).to(torch.bfloat16)
            self.vectors = None  # only the bfloat16 copy is read from here on

    def dot(self, query: np.ndarray) -> np.ndarray:
        if self._tensor is None:
            assert self.vectors is not None
            return np.asarray(self.vectors @ query, dtype=np.float32)
        import torch

        q = torch.from_numpy(np.ascontiguousarray(query, dtype=np.float32)).to(torch.bfloat16)
        return (self._tensor @ q).float().numpy()
