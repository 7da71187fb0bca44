"""Images in an S3 bucket: ``<prefix><first two hex digits>/<key>``, as in the local folder.

Works with AWS S3 and with S3-compatible servers given by endpoint URL (MinIO, Cloudflare R2,
Supabase Storage...), which are addressed path-style. Credentials come from the standard AWS
chain (``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``, ``AWS_PROFILE``, instance roles...), never
from lightrig's settings. Objects are private: ``StoredImage.url`` is an ``s3://`` address, not a
public link, and images are served only through the API to their owner.

boto3's client is synchronous and thread-safe: each call runs in a worker thread, all through
one client per storage.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

# boto3 and botocore ship no type information; the little of the client used here is typed by
# the S3Client protocol below (rather than adding boto3-stubs as a dependency)
import boto3  # type: ignore[import-untyped]
from botocore.config import Config  # type: ignore[import-untyped]
from botocore.exceptions import BotoCoreError, ClientError  # type: ignore[import-untyped]

from lightrig.storage.base import ImageNotFoundError, StoredImage, content_key

__all__ = [
    "CONNECT_TIMEOUT_S",
    "READ_TIMEOUT_S",
    "S3Client",
    "S3ImageStorage",
    "S3StorageError",
    "make_s3_client",
]

#: Seconds to wait for a connection to the S3 endpoint.
CONNECT_TIMEOUT_S = 5.0
#: Seconds to wait for data on an open connection.
READ_TIMEOUT_S = 30.0
#: Tries per call (the first and the retries), with botocore's standard backoff.
_ATTEMPTS = 4
#: Connections kept to the endpoint: as many as there are worker threads by default.
_POOL = 32

# the keys the local store accepts, matched whole
_KEY = re.compile(r"[0-9a-f]{64}\.(png|jpg|webp)")
# error codes that mean "no such object" (S3 answers a HEAD with a bare status code)
_MISSING = {"NoSuchKey", "NotFound", "404"}


class S3StorageError(OSError):
    """The S3 endpoint refused a request or could not be reached."""


class _ClientMeta(Protocol):
    @property
    def endpoint_url(self) -> str: ...

    @property
    def region_name(self) -> str | None: ...


class S3Client(Protocol):
    """The part of boto3's S3 client this storage uses (keyword arguments as boto3 names them:
    ``Bucket``, ``Key``, ``Body``...)."""

    @property
    def meta(self) -> _ClientMeta: ...

    def head_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def put_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def get_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def delete_object(self, **kwargs: Any) -> dict[str, Any]: ...

    def head_bucket(self, **kwargs: Any) -> dict[str, Any]: ...

    def create_bucket(self, **kwargs: Any) -> dict[str, Any]: ...

    def close(self) -> None: ...


def make_s3_client(endpoint_url: str | None, region: str | None) -> S3Client:
    """A boto3 S3 client of its own session, with connect and read timeouts and standard retries.

    With an ``endpoint_url`` (an S3-compatible server) buckets are addressed path-style and
    checksums are sent only when an operation requires them: the CRC32 headers boto3 adds by
    default are refused by several such servers. Images are checked on the way back anyway,
    against the SHA-256 their key names.
    """
    options: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "read_timeout": READ_TIMEOUT_S,
        "retries": {"mode": "standard", "total_max_attempts": _ATTEMPTS},
        "max_pool_connections": _POOL,
    }
    if endpoint_url is not None:
        options["s3"] = {"addressing_style": "path"}
        # botocore < 1.36 has neither the options nor the default checksums they turn off
        for option in ("request_checksum_calculation", "response_checksum_validation"):
            if option in Config.OPTION_DEFAULTS:
                options[option] = "when_required"
    config = Config(**options)
    session = boto3.session.Session(region_name=region)
    client: S3Client = session.client("s3", endpoint_url=endpoint_url, config=config)
    return client


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def _normal_prefix(prefix: str) -> str:
    stripped = prefix.strip("/")
    if not stripped:
        return ""
    if any(part in {"", ".", ".."} for part in stripped.split("/")):
        raise ValueError(f"an S3 key prefix has no empty, '.' or '..' parts: {prefix!r}")
    return stripped + "/"


class S3ImageStorage:
    """Images in an S3 bucket (AWS or an S3-compatible server at ``endpoint_url``).

    ``prefix`` is put before every object key (a trailing ``/`` is added); ``region`` is the
    bucket's region (the AWS configuration's default when ``None``). With ``create_bucket`` the
    bucket is made on first use if it does not exist. ``client_factory(endpoint_url, region)``
    makes the one client this storage uses (tests pass their own).

    Missing objects are told apart from forbidden ones only when the credentials may list the
    bucket (``s3:ListBucket``): without it S3 answers 403 for both.
    """

    def __init__(
        self,
        bucket: str,
        *,
        prefix: str = "",
        endpoint_url: str | None = None,
        region: str | None = None,
        create_bucket: bool = False,
        client_factory: Callable[[str | None, str | None], S3Client] = make_s3_client,
    ) -> None:
        if not bucket or "/" in bucket:
            raise ValueError(f"not an S3 bucket name: {bucket!r}")
        self.bucket = bucket
        self.prefix = _normal_prefix(prefix)
        self._client = client_factory(endpoint_url, region)
        self._create_bucket = create_bucket
        self._bucket_ready = not create_bucket
        self._bucket_lock = asyncio.Lock()

    def object_key(self, key: str) -> str:
        """The object key of the image under ``key`` (checked as the local store checks it)."""
        if not _KEY.fullmatch(key):
            raise ImageNotFoundError(key)
        return f"{self.prefix}{key[:2]}/{key}"

    def url_of(self, key: str) -> str:
        """``s3://<bucket>/<object key>``: where the image is, not a public link."""
        return f"s3://{self.bucket}/{self.object_key(key)}"

    @property
    def endpoint(self) -> str:
        """The endpoint the client talks to, without any user information."""
        return _without_userinfo(self._client.meta.endpoint_url)

    async def _call(self, operation: str, what: str, **kwargs: Any) -> dict[str, Any]:
        """Run one client operation in a worker thread; failures become :class:`S3StorageError`
        except a :class:`ClientError` whose code says the object is missing (re-raised)."""
        method: Callable[..., dict[str, Any]] = getattr(self._client, operation)
        try:
            return await asyncio.to_thread(method, Bucket=self.bucket, **kwargs)
        except ClientError as error:
            if _error_code(error) in _MISSING:
                raise
            raise S3StorageError(f"S3 {operation} of {what} failed: {error}") from error
        except BotoCoreError as error:
            raise S3StorageError(f"S3 {operation} of {what} failed: {error}") from error

    async def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        async with self._bucket_lock:
            if self._bucket_ready:
                return
            try:
                await self._call("head_bucket", f"bucket {self.bucket}")
            except ClientError:  # a missing bucket: make it
                region = self._client.meta.region_name
                where = (
                    {}
                    if region in {None, "us-east-1"}
                    else {"CreateBucketConfiguration": {"LocationConstraint": region}}
                )
                try:
                    await self._call("create_bucket", f"bucket {self.bucket}", **where)
                except S3StorageError as error:
                    cause = error.__cause__
                    owned = isinstance(cause, ClientError) and (
                        _error_code(cause) == "BucketAlreadyOwnedByYou"
                    )
                    if not owned:  # made by another process meanwhile is fine
                        raise
            self._bucket_ready = True

    async def _exists(self, name: str) -> bool:
        try:
            await self._call("head_object", name, Key=name)
        except ClientError:
            return False
        except S3StorageError as error:
            cause = error.__cause__
            # without s3:ListBucket a missing object answers 403: upload, which says the truth
            if isinstance(cause, ClientError) and _error_code(cause) in {"403", "Forbidden"}:
                return False
            raise
        return True

    async def put(self, data: bytes, media_type: str) -> StoredImage:
        """Store image bytes; the same bytes are stored once (nothing is sent when an object is
        already there)."""
        key = content_key(data, media_type)
        name = self.object_key(key)
        await self._ensure_bucket()
        if not await self._exists(name):
            try:
                await self._call("put_object", name, Key=name, Body=data, ContentType=media_type)
            except ClientError as error:  # a missing-object code on upload: the bucket's gone
                raise S3StorageError(f"S3 put_object of {name} failed: {error}") from error
        return StoredImage(key=key, url=self.url_of(key), size=len(data), media_type=media_type)

    def _read(self, name: str) -> bytes:
        response = self._client.get_object(Bucket=self.bucket, Key=name)
        body = response["Body"]
        try:
            data: bytes = body.read()
        finally:
            body.close()
        return data

    async def get(self, key: str) -> bytes:
        """The bytes under ``key``; :class:`ImageNotFoundError` when there are none, and
        :class:`S3StorageError` when the bytes read back do not hash to their key."""
        name = self.object_key(key)
        await self._ensure_bucket()
        try:
            data = await asyncio.to_thread(self._read, name)
        except ClientError as error:
            if _error_code(error) in _MISSING:
                raise ImageNotFoundError(key) from None
            raise S3StorageError(f"S3 get_object of {name} failed: {error}") from error
        except BotoCoreError as error:
            raise S3StorageError(f"S3 get_object of {name} failed: {error}") from error
        if hashlib.sha256(data).hexdigest() != key[:64]:
            raise S3StorageError(f"S3 object {name} does not hold the bytes its key names")
        return data

    async def delete(self, key: str) -> None:
        """Remove the image under ``key`` (no error when it is already gone)."""
        name = self.object_key(key)
        await self._ensure_bucket()
        try:
            await self._call("delete_object", name, Key=name)
        except ClientError:  # a missing-object code: already gone
            return

    async def health(self) -> str:
        """Write, read back and remove a probe image of random bytes (so that probes running at
        once never remove each other's); return the bucket and endpoint."""
        probe = b"lightrig storage probe " + secrets.token_bytes(16)
        stored = await self.put(probe, "image/png")
        try:
            if await self.get(stored.key) != probe:
                raise S3StorageError("the storage probe read back differently")
        finally:
            await self.delete(stored.key)
        where = f"{self.bucket}/{self.prefix}" if self.prefix else self.bucket
        return f"s3 bucket {where} at {self.endpoint}"

    async def aclose(self) -> None:
        """Close the client's connections."""
        await asyncio.to_thread(self._client.close)
