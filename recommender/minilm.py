"""all-MiniLM-L6-v2's forward pass in numpy, for queries.

Why: `import sentence_transformers` pulls in torch and transformers, 6-9 s and ~450 MB on this machine, before the
first answer. A query is one short text; six BERT layers over ~20 tokens are a few small matrix products, so numpy
(with the `tokenizers` and `safetensors` packages, both light) gives the same vector in milliseconds with neither
import. Documents in bulk still go through sentence-transformers, which batches better. The two agree to float
rounding (tests/integration/test_recommender_model.py checks cosine >= 0.9999 on real texts).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np


@dataclass(frozen=True)
class BertConfig:
    layers: int
    heads: int
    hidden: int
    eps: float
    max_tokens: int

    @classmethod
    def read(cls, folder: Path) -> BertConfig:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        if config.get("model_type") != "bert" or config.get("hidden_act") != "gelu":
            raise ValueError(f"{folder}: not a BERT model with GELU ({config.get('model_type')})")
        try:
            sbert = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
            max_tokens = int(sbert.get("max_seq_length", 256))
        except (OSError, ValueError):
            max_tokens = 256
        return cls(
            layers=int(config["num_hidden_layers"]),
            heads=int(config["num_attention_heads"]),
            hidden=int(config["hidden_size"]),
            eps=float(config.get("layer_norm_eps", 1e-12)),
            max_tokens=min(max_tokens, int(config.get("max_position_embeddings", 512))),
        )


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU (with erf), not the tanh approximation: the vectors must match the shipped ones."""
    from scipy.special import erf

    return np.asarray(0.5 * x * (1.0 + erf(x / np.sqrt(2.0))), dtype=np.float32)


class NumpyMiniLM:
    """Mean-pooled, L2-normalized sentence vectors from a sentence-transformers BERT folder."""

    def __init__(self, folder: str | Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        folder = Path(folder)
        self.config = BertConfig.read(folder)
        weights = load_file(str(folder / "model.safetensors"))
        self.w: dict[str, np.ndarray] = {k.removeprefix("bert."): v.astype(np.float32) for k, v in weights.items()}
        self.tokenizer: Any = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=self.config.max_tokens)
        self.tokenizer.no_padding()
        self._layers: dict[int, dict[str, np.ndarray]] = {}
        for i in range(self.config.layers):  # prepared now, so the first query pays nothing extra
            self._layer(i)
        _gelu(np.zeros(1, np.float32))  # and scipy.special is imported

    def _layer(self, i: int) -> dict[str, np.ndarray]:
        """Layer i's weights, transposed once and contiguous, query/key/value fused into one product."""
        if i not in self._layers:
            w, p = self.w, f"encoder.layer.{i}."

            def t(name: str) -> np.ndarray:
                return np.ascontiguousarray(w[p + name + ".weight"].T)

            qkv = [f"attention.self.{m}" for m in ("query", "key", "value")]
            self._layers[i] = {
                "qkv": np.ascontiguousarray(np.concatenate([t(m) for m in qkv], axis=1)),
                "qkv_b": np.concatenate([w[p + m + ".bias"] for m in qkv]),
                "out": t("attention.output.dense"),
                "out_b": w[p + "attention.output.dense.bias"],
                "ln1_w": w[p + "attention.output.LayerNorm.weight"],
                "ln1_b": w[p + "attention.output.LayerNorm.bias"],
                "up": t("intermediate.dense"),
                "up_b": w[p + "intermediate.dense.bias"],
                "down": t("output.dense"),
                "down_b": w[p + "output.dense.bias"],
                "ln2_w": w[p + "output.LayerNorm.weight"],
                "ln2_b": w[p + "output.LayerNorm.bias"],
            }
        return self._layers[i]

    def _encode_one(self, ids: Sequence[int]) -> np.ndarray:
        w, c = self.w, self.config
        n = len(ids)
        x = (
            w["embeddings.word_embeddings.weight"][list(ids)]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], c.eps)
        size = c.hidden // c.heads
        for i in range(c.layers):
            lw = self._layer(i)
            qkv = (x @ lw["qkv"] + lw["qkv_b"]).reshape(n, 3, c.heads, size).transpose(1, 2, 0, 3)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = q @ k.transpose(0, 2, 1) / np.float32(np.sqrt(size))
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            attended = (scores / scores.sum(axis=-1, keepdims=True)) @ v
            merged = attended.transpose(1, 0, 2).reshape(n, c.hidden)
            x = _layer_norm(x + merged @ lw["out"] + lw["out_b"], lw["ln1_w"], lw["ln1_b"], c.eps)
            up = _gelu(x @ lw["up"] + lw["up_b"])
            x = _layer_norm(x + up @ lw["down"] + lw["down_b"], lw["ln2_w"], lw["ln2_b"], c.eps)
        pooled = x.mean(axis=0)
        return np.asarray(pooled / max(float(np.linalg.norm(pooled)), 1e-12), dtype=np.float32)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One text at a time: no padding, so no attention mask, and a query batch is one or two texts anyway."""
        if not texts:
            return np.zeros((0, self.config.hidden), np.float32)
        return np.stack([self._encode_one(e.ids) for e in self.tokenizer.encode_batch(list(texts))])
