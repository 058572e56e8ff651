"""Vectors built by `credbot catalog build` and shipped inside the package, so a fresh install answers at once.

A read-only layer under the SQLite embedding cache: a vector is used only when the model id, the key and the hash
of the embedded text all match, so a changed record or another model falls back to encoding just what changed.
Stored as float16 (half the size; cosine error ~1e-3, far below any ranking margin), sorted by key so a rebuild
of unchanged inputs writes the same bytes.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

BUNDLED_NAME = "data/vectors.npz"


@dataclass(frozen=True)
class ShippedVectors:
    model_id: str
    index: dict[str, int]
    hashes: np.ndarray
    matrix: np.ndarray  # (n, dim) float16

    def get(self, key: str, digest: str) -> np.ndarray | None:
        row = self.index.get(key)
        if row is None or self.hashes[row] != digest:
            return None
        return self.matrix[row].astype(np.float32)

    def __len__(self) -> int:
        return len(self.index)

    @classmethod
    def empty(cls) -> ShippedVectors:
        return cls("", {}, np.zeros(0, dtype="<U40"), np.zeros((0, 0), dtype=np.float16))

    @classmethod
    def load(cls, source: Path | bytes) -> ShippedVectors:
        data = np.load(io.BytesIO(source) if isinstance(source, bytes) else source, allow_pickle=False)
        keys = data["keys"]
        return cls(
            model_id=str(np.asarray(data["model_id"]).reshape(-1)[0]),
            index={str(k): i for i, k in enumerate(keys.tolist())},
            hashes=data["hashes"],
            matrix=data["vectors"],
        )

    @classmethod
    def bundled(cls) -> ShippedVectors:
        """The package's own file; empty (everything encodes, as before) when it is missing or unreadable."""
        try:
            blob = resources.files("catalog").joinpath(BUNDLED_NAME).read_bytes()
            return cls.load(blob)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            return cls.empty()


def write_shipped(path: Path, model_id: str, rows: Iterable[tuple[str, str, np.ndarray]]) -> int:
    """rows = (key, content hash, vector); written sorted by key, float16, with fixed zip timestamps."""
    ordered = sorted(rows, key=lambda r: r[0])
    keys = np.array([r[0] for r in ordered], dtype=str)
    hashes = np.array([r[1] for r in ordered], dtype=str)
    dim = len(ordered[0][2]) if ordered else 0
    matrix = np.zeros((len(ordered), dim), dtype=np.float16)
    for i, (_, _, vec) in enumerate(ordered):
        matrix[i] = np.asarray(vec, dtype=np.float32).astype(np.float16)
    arrays = {"model_id": np.array([model_id]), "keys": keys, "hashes": hashes, "vectors": matrix}
    # np.savez stamps each member with the current time; write the zip ourselves so equal inputs give equal bytes
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, buf.getvalue())
    return len(ordered)
