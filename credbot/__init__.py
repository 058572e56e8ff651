"""credbot: pick micro-credentials by skill fit and time, plan a path, keep going with nudges.

Importing this package is cheap on purpose: no model, no database, no token, no torch.
"""

__version__ = "0.1.0"
