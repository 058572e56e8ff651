"""all-MiniLM-L6-v2 fine-tuned on the project's own judgements: opt-in, built locally, never downloaded.

The small model reads paraphrased goals loosely ("stop running out of bestsellers" is demand forecasting). The tune
split of eval/profiles.jsonl says, goal by goal, which records serve it; training on those pairs (in-batch negatives
plus one record judged off-goal per pair) teaches the model that vocabulary. Only the tune split is read, so the
held-out splits still measure the result. `credbot model tune` writes the model; CREDBOT_MODEL_DIR selects it.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from catalog.schema import Credential
from recommender.encoder import TUNED_MANIFEST, quiet_offline
from recommender.evaluation import LabelledProfile
from recommender.profile import goal_topic

RECIPE = 2  # the training loop's version, part of the model id: change it whenever the loop changes


@dataclass(frozen=True, slots=True)
class Pair:
    query: str
    positive: str
    negative: str | None = None


def training_pairs(
    items: Iterable[LabelledProfile], credentials: Mapping[str, Credential], *, seed: int = 0
) -> list[Pair]:
    """Goal -> each record judged relevant (a strong pick twice), tune split only, with a judged off-goal record as
    the hard negative; the goal is read as the recommender reads it (`goal_topic`)."""
    rng = random.Random(seed)
    pairs = []
    for item in items:
        if item.split != "tune" or not item.profile.goal:
            continue
        query = goal_topic(item.profile.goal)
        negatives = sorted(c for c in item.not_relevant if c in credentials)
        for cid, grade in sorted(item.relevant.items()):
            if cid not in credentials:
                continue
            for _ in range(grade):
                negative = credentials[rng.choice(negatives)].document_text() if negatives else None
                pairs.append(Pair(query, credentials[cid].document_text(), negative))
    return pairs


def data_digest(pairs: Sequence[Pair], settings: Mapping[str, object]) -> str:
    """Names the tuned model in the embedding cache: other data or settings, other vectors."""
    h = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    for p in pairs:
        h.update(f"{p.query}\0{p.positive}\0{p.negative or ''}\n".encode())
    return h.hexdigest()[:16]


def not_negatives(batch: Sequence[Pair], columns: int) -> np.ndarray:
    """Batch x documents: True where a document must not count against a goal although it is not the goal's own
    pair: another record judged relevant to the same goal (a goal has several), or the same record again."""
    mask = np.zeros((len(batch), columns), dtype=bool)
    for i, a in enumerate(batch):
        for j, b in enumerate(batch):
            if i != j and (a.query == b.query or a.positive == b.positive):
                mask[i, j] = True
    return mask


def fine_tune(
    base_path: str,
    pairs: Sequence[Pair],
    out_dir: Path,
    *,
    base_id: str,
    epochs: int = 1,
    lr: float = 2e-5,
    batch_size: int = 16,
    seed: int = 0,
    on_step: Callable[[int, int, float], None] | None = None,
) -> str:
    """Train with a multiple-negatives ranking loss (scale 20, as sentence-transformers uses) and save to out_dir.

    Returns the tuned model's id. Deterministic for a given machine: fixed seeds, fixed batch order."""
    quiet_offline()
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()

    if not pairs:
        raise ValueError("no training pairs: the tune split has no judged-relevant records")
    torch.manual_seed(seed)
    order = list(range(len(pairs)))
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / TUNED_MANIFEST).unlink(missing_ok=True)  # a half-written model must never pass for a finished one
    model = SentenceTransformer(base_path, device="cpu")
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)

    prepare = getattr(model, "preprocess", None) or model.tokenize  # `tokenize` before sentence-transformers 5.2

    def embed(texts: list[str]) -> torch.Tensor:
        features = prepare(texts)
        return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)

    steps = epochs * ((len(pairs) + batch_size - 1) // batch_size)
    step = 0
    shuffle = random.Random(seed)
    for _ in range(epochs):
        shuffle.shuffle(order)
        for start in range(0, len(order), batch_size):
            batch = [pairs[i] for i in order[start : start + batch_size]]
            queries = embed([p.query for p in batch])
            documents = embed([p.positive for p in batch] + [p.negative for p in batch if p.negative])
            logits = (queries @ documents.T * 20.0).masked_fill(
                torch.from_numpy(not_negatives(batch, documents.shape[0])), float("-inf")
            )
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step += 1
            if on_step:
                on_step(step, steps, float(loss.detach()))
    model.eval()
    model.save(str(out_dir))
    settings = {"base": base_id, "recipe": RECIPE, "epochs": epochs, "lr": lr, "batch_size": batch_size, "seed": seed}
    model_id = f"{base_id}+tuned-{data_digest(pairs, settings)}"
    manifest = {"model_id": model_id, "pairs": len(pairs), **settings}
    (out_dir / TUNED_MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return model_id
