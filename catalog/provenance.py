"""Where each record's facts come from: the public snapshots the catalog is built from, named once.

A record's `source` is a URL; for imported records it points at the dataset row on GitHub, so the snapshot (and
its age) can be read back from the record itself for stats, search and the Details card.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.schema import Credential


@dataclass(frozen=True, slots=True)
class Snapshot:
    name: str  # short key: "coursera", "edx", ...
    label: str  # as shown to people
    repo: str
    path: str
    commit: str
    as_of: str  # the snapshot's date (its commit); the rows themselves may be older
    licence: str
    scraped: str  # what is known of when the rows were collected

    @property
    def prefix(self) -> str:
        return f"https://github.com/{self.repo}/blob/{self.commit}/{self.path}"

    def row_url(self, line: int) -> str:
        return f"{self.prefix}#L{line}"


SNAPSHOTS: tuple[Snapshot, ...] = (
    Snapshot(
        "coursera",
        "Coursera listing snapshot",
        "vikas8894/coursera_courses_data",
        "coursera_courses.csv",
        "fe5e3a13ec8c8cb7fc0db193aa1abaf694a44366",
        "2023-11-08",
        "public repository without a stated licence; facts only (title, organization, type, length, level, URL, "
        "skills) are used",
        "scraped from coursera.org in 2023",
    ),
    Snapshot(
        "coursera-records",
        "Coursera ratings list",
        "umertahir-dev/Coursera_records",
        "Coursera.csv",
        "4a96909f7414f8d3be1e3a7bdc9f672fce0b2b18",
        "2024-01-23",
        "public repository without a stated licence; used only to confirm Coursera listings",
        "a Kaggle scrape of coursera.org, about 2021",
    ),
    Snapshot(
        "edx",
        "edX course snapshot",
        "KopecT/udemy-vs-edx",
        "edx_courses.csv",
        "fb76bf4c2a3a4edd2901751246fa61f12e0e3b64",
        "2023-03-29",
        "public repository without a stated licence; facts only are used",
        "scraped from edx.org, about 2021",
    ),
    Snapshot(
        "udemy",
        "Udemy course snapshot",
        "KopecT/udemy-vs-edx",
        "udemy_courses.csv",
        "fb76bf4c2a3a4edd2901751246fa61f12e0e3b64",
        "2023-03-29",
        "public repository without a stated licence; facts only are used",
        "the Kaggle Udemy courses set: courses published 2011-2017",
    ),
)
ONET = Snapshot(
    "onet",
    "O*NET 29 database tables",
    "reen967/onet_data",
    "occupation_data.csv",
    "1e0b7371c125349f8997259ea630b70e3cfee520",
    "2025-05-18",
    "O*NET is licensed CC BY 4.0 by the U.S. Department of Labor, Employment and Training Administration",
    "O*NET database tables (task dates up to 2024)",
)
ESCO = Snapshot(
    "esco",
    "ESCO occupations (English)",
    "MohamedGouaouri/esco",
    "occupations_en.csv",
    "381d16fb6ae1c22f7c7b16a0631dbdc4bada5e8d",
    "2022-12-08",
    "ESCO is licensed CC BY 4.0 by the European Commission",
    "ESCO v1.1 occupations",
)
BY_NAME = {s.name: s for s in (*SNAPSHOTS, ONET, ESCO)}
CURATED = "curated"


def snapshot_of(credential: Credential) -> Snapshot | None:
    """The snapshot a record was imported from; None for hand-curated records (checked against a provider page)."""
    for snap in SNAPSHOTS:
        if credential.source.startswith(snap.prefix):
            return snap
    return None


def source_name(credential: Credential) -> str:
    snap = snapshot_of(credential)
    return snap.name if snap else CURATED


def source_line(credential: Credential) -> str:
    """One line for people: where the facts come from and how old they may be."""
    snap = snapshot_of(credential)
    if snap is None:
        return f"Facts from the provider's page, recorded {credential.as_of}."
    return f"Facts from a public {snap.label} dated {snap.as_of} ({snap.scraped}): they may be out of date."
