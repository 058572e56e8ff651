"""Profile -> ranked, explained picks: embeddings, skill gap, time fit, learning paths, evaluation.

Importing this package never imports torch or sentence-transformers; the model loads on first use.
"""
