"""The credential catalog: schema, validation, import/export formats and SQLite storage.

Never imports telegram or the embedding model; everything above builds on it.
"""

from catalog.schema import Credential, CredentialType, EarnBy, Format, Level

__all__ = ["Credential", "CredentialType", "EarnBy", "Format", "Level"]
