"""The image store named by ``settings.storage_url``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from lightrig.config import Settings
from lightrig.storage.base import ImageStorage
from lightrig.storage.local import LocalImageStorage

if TYPE_CHECKING:
    from lightrig.storage.s3 import S3ImageStorage

__all__ = ["STORAGE_URL_FORMS", "create_storage"]

#: What ``storage_url`` may be, for error messages and help.
STORAGE_URL_FORMS = (
    "a folder path, file:///folder, or s3://bucket[/prefix][?endpoint=URL&region=REGION]"
)

_S3_PARAMETERS = ("endpoint", "region")


def _local(url: str) -> LocalImageStorage:
    parts = urlsplit(url)
    if parts.netloc not in {"", "localhost"}:
        raise ValueError(
            f"a file: storage URL names a folder on this machine, not on {parts.netloc}"
        )
    if parts.query or parts.fragment:
        raise ValueError("a file: storage URL takes no query or fragment")
    if not parts.path:
        raise ValueError("a file: storage URL needs a folder: file:///folder")
    return LocalImageStorage(Path(unquote(parts.path)))


def _s3(url: str) -> S3ImageStorage:
    from lightrig.storage.s3 import S3ImageStorage  # noqa: PLC0415 - boto3: the s3 extra

    parts = urlsplit(url)
    if "@" in parts.netloc:
        raise ValueError(
            "an s3:// storage URL carries no credentials: they come from the AWS environment "
            "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE...)"
        )
    if not parts.netloc:
        raise ValueError(f"an s3:// storage URL needs a bucket: {STORAGE_URL_FORMS}")
    if parts.fragment:
        raise ValueError("an s3:// storage URL takes no fragment")
    query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
    unknown = sorted(set(query) - set(_S3_PARAMETERS))
    if unknown:
        raise ValueError(
            f"unknown s3:// storage URL parameters {unknown}; known: {list(_S3_PARAMETERS)}"
        )
    repeated = sorted(name for name, values in query.items() if len(values) > 1)
    if repeated:
        raise ValueError(f"s3:// storage URL parameters given more than once: {repeated}")
    endpoint = query.get("endpoint", [None])[0] or None
    region = query.get("region", [None])[0] or None
    if endpoint is not None:
        scheme = urlsplit(endpoint).scheme
        if scheme not in {"http", "https"} or not urlsplit(endpoint).netloc:
            raise ValueError("the s3:// storage URL's endpoint must be an http(s):// URL")
    return S3ImageStorage(
        unquote(parts.netloc),
        prefix=unquote(parts.path),
        endpoint_url=endpoint,
        region=region,
    )


def create_storage(settings: Settings) -> ImageStorage:
    """The image store ``settings.storage_url`` names.

    * unset: a folder, ``<data_dir>/images``;
    * a path (``~`` expanded) or ``file:///folder``: that folder;
    * ``s3://bucket[/prefix]?endpoint=URL&region=REGION``: an S3 bucket (``endpoint`` for an
      S3-compatible server such as MinIO, R2 or Supabase; both parameters optional).

    Anything else raises :class:`ValueError`. Nothing is contacted here: ``health()`` does that.
    """
    url = settings.storage_url
    if url is None or not url.strip():
        return LocalImageStorage(settings.data_dir / "images")
    url = url.strip()
    scheme = urlsplit(url).scheme.lower()
    if scheme == "s3":
        return _s3(url)
    if scheme == "file":
        return _local(url)
    if "://" not in url and (not scheme or len(scheme) == 1):  # a path (or a drive letter)
        return LocalImageStorage(Path(url).expanduser())
    raise ValueError(f"unsupported storage URL scheme {scheme!r}: expected {STORAGE_URL_FORMS}")
