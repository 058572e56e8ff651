"""Shipped vectors: used only for the same model, key and text; rebuilt byte for byte; a changed text re-encodes."""

import zipfile
from pathlib import Path

import numpy as np
import pytest
from sqlite_utils import Database

from recommender.index import EmbeddingCache
from recommender.shipped import ShippedVectors, write_shipped
from tests.fakes import FakeEncoder


def _items(texts: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(k, f"h-{t}", t) for k, t in texts.items()]


def _ship(tmp_path: Path, items: list[tuple[str, str, str]], name: str = "v.npz") -> Path:
    enc = FakeEncoder()
    vecs = enc.encode_documents([t for _, _, t in items])
    path = tmp_path / name
    write_shipped(path, enc.model_id, [(k, d, vecs[i]) for i, (k, d, _) in enumerate(items)])
    return path


def test_a_fresh_database_encodes_nothing_that_was_shipped(tmp_path: Path) -> None:
    items = _items({"cred:a": "sql for analysts", "cred:b": "python basics", "skill:sql": "sql"})
    shipped = ShippedVectors.load(_ship(tmp_path, items))
    enc = FakeEncoder()
    reports = []
    out = EmbeddingCache(Database(memory=True), shipped=shipped).vectors(enc, items, on_report=reports.append)
    assert enc.documents_encoded == 0
    assert reports[0].shipped == 3 and reports[0].encoded == 0
    expected = FakeEncoder().encode_documents([t for _, _, t in items])
    assert np.allclose(out, expected, atol=2e-3)  # float16 in the file


def test_a_changed_text_or_another_model_falls_back_to_encoding(tmp_path: Path) -> None:
    items = _items({"cred:a": "sql for analysts", "cred:b": "python basics"})
    shipped = ShippedVectors.load(_ship(tmp_path, items))
    changed = [items[0], ("cred:b", "h-python advanced", "python advanced")]
    enc = FakeEncoder()
    EmbeddingCache(Database(memory=True), shipped=shipped).vectors(enc, changed)
    assert enc.documents_encoded == 1
    other = FakeEncoder()
    other.model_id = "another-model"
    EmbeddingCache(Database(memory=True), shipped=shipped).vectors(other, items)
    assert other.documents_encoded == 2


def test_equal_inputs_write_equal_bytes_whatever_their_order(tmp_path: Path) -> None:
    items = _items({"cred:a": "sql for analysts", "cred:b": "python basics", "occ:x": "data analyst"})
    first = _ship(tmp_path, items, "one.npz").read_bytes()
    second = _ship(tmp_path, list(reversed(items)), "two.npz").read_bytes()
    assert first == second


def test_a_broken_file_is_refused_and_an_empty_layer_encodes_everything(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises((zipfile.BadZipFile, ValueError, OSError)):
        ShippedVectors.load(bad)
    enc = FakeEncoder()
    items = _items({"cred:a": "sql for analysts"})
    EmbeddingCache(Database(memory=True), shipped=ShippedVectors.empty()).vectors(enc, items)
    assert enc.documents_encoded == 1


def test_the_bundled_file_covers_the_bundled_catalog() -> None:
    """What `credbot catalog build` shipped: every text a Recommender over the bundled data embeds."""
    from catalog.occupations import load_occupations
    from catalog.repository import load_bundled
    from recommender.encoder import MODEL_ID
    from recommender.engine import corpus_items

    shipped = ShippedVectors.bundled()
    assert shipped.model_id == MODEL_ID
    items = corpus_items(load_bundled().credentials, load_occupations())
    missing = [k for k, d, _ in items if shipped.get(k, d) is None]
    assert missing == [], f"{len(missing)} texts without a shipped vector; run `credbot catalog build`"
