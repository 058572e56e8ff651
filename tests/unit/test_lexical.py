"""The lexical side of hybrid retrieval (recommender.lexical) against scikit-learn's own transform."""

import numpy as np
import pytest

from recommender.lexical import LexicalIndex

DOCS = [
    "SQL for data analysts: queries, joins and reporting",
    "Scrum master certification: sprints, backlog, agile teams",
    "Excel dashboards and pivot tables for reporting",
    "C++ and C# programming fundamentals",
    "Data visualization with Tableau dashboards",
]


@pytest.mark.parametrize(
    "query",
    ["sql reporting", "agile scrum sprints", "dashboards dashboards tableau", "c++ c#", "no match here", ""],
)
def test_scores_equal_scikit_learns_cosine(query: str) -> None:
    index = LexicalIndex(DOCS)
    reference = (index.vectorizer.transform(DOCS) @ index.vectorizer.transform([query]).T).toarray().ravel()
    assert index.scores(query) == pytest.approx(reference, abs=1e-6)


def test_exact_terms_rank_their_documents_first() -> None:
    scores = LexicalIndex(DOCS).scores("learn SQL")
    assert int(np.argmax(scores)) == 0
    assert scores[1] == 0.0


def test_empty_catalog_scores_nothing() -> None:
    assert LexicalIndex([]).scores("sql").shape == (0,)
