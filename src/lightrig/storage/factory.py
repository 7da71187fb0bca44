"""The image stores by name — the scheme of ``settings.storage_url`` — in one
``{name: lazy factory}`` registry.

* ``file``: a folder — ``<data_dir>/images`` when the URL is unset, else a path (``~``
  expanded) or ``file:///folder``;
* ``s3``: an S3 bucket, ``s3://bucket[/prefix]?endpoint=URL&region=REGION`` (``endpoint`` for an
  S3-compatible server such as MinIO, R2 or Supabase; both parameters optional; boto3, the
  ``s3`` extra, is imported only then).

The names are :data:`lightrig.config.STORAGES`; a test holds the registry to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from lightrig.config import STORAGE_BY_URL, Settings
from lightrig.extras import needs_extra
from lightrig.registry import choose, url_scheme
from lightrig.storage.base import ImageStorage

__all__ = ["STORAGE_FACTORIES", "StorageFactory", "create_storage", "storage_name"]

#: Makes an image store from the settings.
StorageFactory = Callable[[Settings], ImageStorage]

_S3_PARAMETERS = ("endpoint", "region")


def _file(settings: Settings) -> ImageStorage:
    from lightrig.storage.local import LocalImageStorage  # noqa: PLC0415 - by need

    url = (settings.storage_url or "").strip()
    if not url:
        return LocalImageStorage(settings.data_dir / "images")
    if url_scheme(url) is None:  # a path (or a drive letter)
        return LocalImageStorage(Path(url).expanduser())
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


def _s3(settings: Settings) -> ImageStorage:
    parts = urlsplit((settings.storage_url or "").strip())
    if "@" in parts.netloc:
        raise ValueError(
            "an s3:// storage URL carries no credentials: they come from the AWS environment "
            "(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE...)"
        )
    if not parts.netloc:
        raise ValueError("an s3:// storage URL needs a bucket: s3://bucket[/prefix]")
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
    with needs_extra("the s3 image store", "s3"):
        from lightrig.storage.s3 import S3ImageStorage  # noqa: PLC0415 - boto3: the s3 extra

    return S3ImageStorage(
        unquote(parts.netloc),
        prefix=unquote(parts.path),
        endpoint_url=endpoint,
        region=region,
    )


#: Every image store's factory, by name.
STORAGE_FACTORIES: Mapping[str, StorageFactory] = {"file": _file, "s3": _s3}


def storage_name(settings: Settings) -> str:
    """The name of the image store ``settings.storage_url`` chooses (``file`` when unset).
    :class:`ValueError` naming the accepted forms for any other scheme."""
    return STORAGE_BY_URL.name(settings.storage_url)


def create_storage(settings: Settings) -> ImageStorage:
    """The image store ``settings.storage_url`` names (see the module docstring); one-line
    :class:`ValueError` for a URL no store takes, :class:`~lightrig.errors.MissingExtraError`
    when the store's extra is not installed. Nothing is contacted here: ``health()`` does
    that."""
    return choose("image store", storage_name(settings), STORAGE_FACTORIES)(settings)
