"""Hard filters asked for in refinements: provider or platform, credential type, universities only."""

from recommender.filters import CatalogColumns, filter_mask, is_university, platform_of, provider_key
from tests.fakes import credential


def _catalog():
    return [
        credential(id="g-it", provider="Google", url="https://www.coursera.org/professional-certificates/google-it"),
        credential(id="mit-py", provider="Massachusetts Institute of Technology", url="https://www.edx.org/course/py"),
        credential(id="aws-saa", provider="Amazon Web Services", url="https://aws.amazon.com/certification/x",
                   credential_type="certification"),
        credential(id="u-web", provider="Udemy", url="https://www.udemy.com/web-dev/"),
        credential(id="lf-k8s", provider="The Linux Foundation", url="https://training.linuxfoundation.org/k8s"),
    ]  # fmt: skip


def _ids(mask, creds) -> list[str]:
    return [c.id for c, keep in zip(creds, mask, strict=True) if keep]


def test_provider_or_platform_names_select_their_records() -> None:
    creds = _catalog()
    cols = CatalogColumns.of(creds)
    assert _ids(filter_mask(cols, providers=["edX"]), creds) == ["mit-py"]
    assert _ids(filter_mask(cols, providers=["coursera"]), creds) == ["g-it"]
    assert _ids(filter_mask(cols, providers=["Google"]), creds) == ["g-it"]
    assert _ids(filter_mask(cols, providers=["Linux Foundation"]), creds) == ["lf-k8s"]


def test_types_and_universities() -> None:
    creds = _catalog()
    cols = CatalogColumns.of(creds)
    assert _ids(filter_mask(cols, credential_types=["certification"]), creds) == ["aws-saa"]
    assert _ids(filter_mask(cols, university_only=True), creds) == ["mit-py"]


def test_keys() -> None:
    assert provider_key("The Linux Foundation") == provider_key("linux foundation")
    assert platform_of("https://www.coursera.org/learn/x") == "coursera"
    assert platform_of("https://training.linuxfoundation.org/x") == "linuxfoundation"
    assert is_university("University of Michigan") and is_university("Georgia Institute of Technology")
    assert not is_university("Google")
