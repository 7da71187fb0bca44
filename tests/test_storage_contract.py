"""The image-storage contract, run against every store of the registry, each made from its
storage URL: a local folder and an S3 bucket (on a moto server); then the storage URL factory.

Each test runs its body in one event loop with a fresh store, closed at the end.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import boto3
import pytest

from lightrig.cli import main
from lightrig.config import STORAGES, Settings
from lightrig.errors import InvalidSettingError
from lightrig.registry import choose
from lightrig.storage.base import ImageNotFoundError, ImageStorage, StoredImage, content_key
from lightrig.storage.factory import STORAGE_FACTORIES, create_storage, storage_name
from lightrig.storage.local import LocalImageStorage
from lightrig.storage.s3 import S3ImageStorage, S3StorageError, make_s3_client
from tests.services import s3_server

PNG = b"\x89PNG\r\n\x1a\n" + b"pretend image" * 10
SECRET = "test-secret-key-never-shown"
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
BAD_KEYS = [
    "../../etc/passwd",
    "ab/../../x.png",
    "short.png",
    "",
    "/" + "a" * 64 + ".png",
    "A" * 64 + ".png",  # upper-case hex
    "a" * 64 + ".gif",
    "a" * 64 + ".PNG",
    "a" * 63 + ".png",
    "a" * 65 + ".png",
    "a" * 64,
    "aa/" + "a" * 64 + ".png",
    "a" * 64 + ".png/..",
]


# ------------------------------------------------------------------------------- the stores
@dataclass
class Store:
    """One implementation under test: how to make it and how to look behind it."""

    name: str
    #: the storage URL it is made from, through the registry
    url: str
    data_dir: Path
    #: every stored object (file or S3 object) by name, read behind the store's back
    listing: Callable[[], dict[str, bytes]]
    #: the media type recorded with a stored object (``None`` where nothing records it)
    media_type_of: Callable[[str], str | None]

    def make(self) -> ImageStorage:
        settings = Settings(data_dir=self.data_dir, storage_url=self.url)
        assert storage_name(settings) == self.name
        return create_storage(settings)

    def run(self, body: Callable[[ImageStorage], Awaitable[None]]) -> None:
        async def main() -> None:
            storage = self.make()
            try:
                await body(storage)
            finally:
                await storage.aclose()

        asyncio.run(main())


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Dummy AWS credentials, and nothing from the developer's own AWS configuration."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """One moto S3 server for the module (each test uses its own bucket)."""
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture(scope="module")
def raw_s3_client(s3_endpoint: str) -> Iterator[Any]:
    """A plain boto3 client on the moto server, to look behind the storage's back (its own
    dummy credentials: made once, as making a client takes a while)."""
    client = boto3.session.Session().client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key=SECRET,
    )
    yield client
    client.close()


@pytest.fixture
def raw_s3(raw_s3_client: Any, aws_env: None) -> Any:
    """The plain client, with the dummy credentials in the environment for the stores."""
    return raw_s3_client


def new_bucket() -> str:
    return f"lr-test-{uuid.uuid4().hex[:12]}"


def file_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A folder of its own, named by a file: URL."""
    root = tmp_path / "my images"

    def listing() -> dict[str, bytes]:
        return {
            str(path.relative_to(root)): path.read_bytes()
            for path in root.rglob("*")
            if path.is_file()
        }

    return Store("file", root.as_uri(), tmp_path, listing, lambda _: None)


def s3_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """A bucket of its own on the moto server, with the images under ``images/``."""
    endpoint: str = request.getfixturevalue("s3_endpoint")
    raw: Any = request.getfixturevalue("raw_s3")
    bucket = new_bucket()
    raw.create_bucket(Bucket=bucket)

    def listing() -> dict[str, bytes]:
        found = raw.list_objects_v2(Bucket=bucket).get("Contents", [])
        return {
            item["Key"]: raw.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            for item in found
        }

    def media_type_of(name: str) -> str | None:
        return str(raw.head_object(Bucket=bucket, Key=name)["ContentType"])

    url = f"s3://{bucket}/images?endpoint={endpoint}"
    return Store("s3", url, tmp_path, listing, media_type_of)


#: How the contract sets up each image store of the registry: one registered without a set-up
#: here fails every contract test.
SET_UPS: dict[str, Callable[[pytest.FixtureRequest, Path], Store]] = {
    "file": file_store,
    "s3": s3_store,
}


@pytest.fixture(params=STORAGES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    set_up = SET_UPS.get(request.param)
    if set_up is None:
        pytest.fail(f"the {request.param!r} image store has no contract set-up in SET_UPS")
    return set_up(request, tmp_path)


def test_the_registry_holds_every_store_named_in_the_settings() -> None:
    assert tuple(STORAGE_FACTORIES) == STORAGES
    assert STORAGES[0] == "file"  # the embedded default
    assert set(SET_UPS) == set(STORAGES)


def object_name(key: str) -> str:
    """Where both stores keep ``key`` below their root or prefix."""
    return f"{key[:2]}/{key}"


# ------------------------------------------------------------------------------- the contract
@pytest.mark.parametrize("media_type", sorted(EXTENSIONS))
@pytest.mark.parametrize(
    "data", [PNG, b"", os.urandom(3 * 1024 * 1024)], ids=["small", "empty", "3MB"]
)
def test_put_then_get_gives_the_bytes_back(store: Store, media_type: str, data: bytes) -> None:
    async def body(storage: ImageStorage) -> None:
        stored = await storage.put(data, media_type)
        assert stored.key == f"{hashlib.sha256(data).hexdigest()}.{EXTENSIONS[media_type]}"
        assert stored.key == content_key(data, media_type)
        assert (stored.size, stored.media_type) == (len(data), media_type)
        assert await storage.get(stored.key) == data
        names = store.listing()
        assert len(names) == 1
        [(name, held)] = names.items()
        assert name.endswith(object_name(stored.key))
        assert held == data
        assert store.media_type_of(name) in {None, media_type}

    store.run(body)


def test_the_store_is_an_image_storage(store: Store) -> None:
    async def body(storage: ImageStorage) -> None:
        assert isinstance(storage, ImageStorage)

    store.run(body)


def test_put_is_idempotent_and_content_addressed(store: Store) -> None:
    other = PNG + b"!"

    async def body(storage: ImageStorage) -> None:
        first = await storage.put(PNG, "image/png")
        again = await storage.put(PNG, "image/png")
        assert again == first
        concurrent = await asyncio.gather(*(storage.put(PNG, "image/png") for _ in range(8)))
        assert {s.key for s in concurrent} == {first.key}
        assert len(store.listing()) == 1  # one copy
        different = await storage.put(other, "image/png")
        assert different.key != first.key
        as_jpeg = await storage.put(PNG, "image/jpeg")  # same bytes, another type: another key
        assert as_jpeg.key.removesuffix(".jpg") == first.key.removesuffix(".png")
        assert len(store.listing()) == 3
        assert await storage.get(first.key) == PNG
        assert await storage.get(different.key) == other

    store.run(body)


def test_unsupported_media_types_are_refused(store: Store) -> None:
    async def body(storage: ImageStorage) -> None:
        for media_type in ("text/plain", "image/gif", "IMAGE/PNG", ""):
            with pytest.raises(ValueError, match="unsupported image type"):
                await storage.put(PNG, media_type)
        assert store.listing() == {}

    store.run(body)


def test_missing_keys_are_not_found_and_deleting_them_is_quiet(store: Store) -> None:
    missing = content_key(b"never stored", "image/png")

    async def body(storage: ImageStorage) -> None:
        with pytest.raises(ImageNotFoundError) as raised:
            await storage.get(missing)
        assert isinstance(raised.value, KeyError)
        await storage.delete(missing)
        await storage.delete(missing)

    store.run(body)


def test_delete_removes_only_that_image(store: Store) -> None:
    async def body(storage: ImageStorage) -> None:
        kept = await storage.put(PNG, "image/png")
        gone = await storage.put(PNG, "image/webp")
        await storage.delete(gone.key)
        with pytest.raises(ImageNotFoundError):
            await storage.get(gone.key)
        await storage.delete(gone.key)  # already gone: no error
        assert await storage.get(kept.key) == PNG
        assert [name.endswith(object_name(kept.key)) for name in store.listing()] == [True]
        again = await storage.put(PNG, "image/webp")  # and it can come back
        assert await storage.get(again.key) == PNG

    store.run(body)


def test_keys_that_are_not_content_keys_are_refused(store: Store) -> None:
    async def body(storage: ImageStorage) -> None:
        await storage.put(PNG, "image/png")
        before = store.listing()
        for key in BAD_KEYS:
            with pytest.raises(ImageNotFoundError):
                await storage.get(key)
            with pytest.raises(ImageNotFoundError):
                await storage.delete(key)
        assert store.listing() == before

    store.run(body)


def test_health_probes_for_real_and_leaves_nothing(store: Store) -> None:
    async def body(storage: ImageStorage) -> None:
        stored = await storage.put(PNG, "image/png")
        described = await storage.health()
        assert described
        assert SECRET not in described
        assert "testing" not in described  # nor the access key id
        assert list(store.listing().values()) == [PNG]  # the probe is gone, the image stays
        assert await storage.get(stored.key) == PNG

    store.run(body)


def test_urls_say_where_the_image_is(store: Store) -> None:
    async def body(storage: ImageStorage) -> None:
        stored = await storage.put(PNG, "image/png")
        if isinstance(storage, LocalImageStorage):
            assert stored.url.startswith("file://")
            assert Path(unquote(stored.url.removeprefix("file://"))).read_bytes() == PNG
        else:
            bucket = store.url.split("?")[0]
            assert stored.url == f"{bucket}/{object_name(stored.key)}"
            assert SECRET not in stored.url

    store.run(body)


# ------------------------------------------------------------------------------- S3 only
class CountingClient:
    """A boto3 client that counts the calls made through it."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.client, name)
        if not callable(attribute):
            return attribute

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return attribute(*args, **kwargs)

        return counted


def test_s3_put_checks_first_and_uploads_once(s3_endpoint: str, raw_s3: Any) -> None:
    clients: list[CountingClient] = []

    def factory(endpoint_url: str | None, region: str | None) -> Any:
        clients.append(CountingClient(make_s3_client(endpoint_url, region)))
        return clients[-1]

    bucket = new_bucket()
    raw_s3.create_bucket(Bucket=bucket)

    async def main() -> None:
        storage = S3ImageStorage(bucket, endpoint_url=s3_endpoint, client_factory=factory)
        try:
            for _ in range(3):
                stored = await storage.put(PNG, "image/png")
        finally:
            await storage.aclose()
        assert stored.url == f"s3://{bucket}/{object_name(stored.key)}"  # no prefix

    asyncio.run(main())
    [client] = clients
    assert client.calls.count("head_object") == 3
    assert client.calls.count("put_object") == 1
    assert client.calls[-1] == "close"
    head = raw_s3.head_object(Bucket=bucket, Key=object_name(content_key(PNG, "image/png")))
    assert head["ContentType"] == "image/png"


def test_s3_missing_bucket_is_an_os_error_without_secrets(s3_endpoint: str, aws_env: None) -> None:
    async def main() -> None:
        storage = S3ImageStorage(new_bucket(), endpoint_url=s3_endpoint)
        try:
            with pytest.raises(S3StorageError) as raised:
                await storage.health()
            with pytest.raises(S3StorageError):
                await storage.get(content_key(PNG, "image/png"))
            with pytest.raises(S3StorageError):
                await storage.delete(content_key(PNG, "image/png"))
        finally:
            await storage.aclose()
        assert isinstance(raised.value, OSError)
        assert SECRET not in str(raised.value)
        assert "NoSuchBucket" in str(raised.value)

    asyncio.run(main())


def test_s3_create_bucket_makes_it_once(s3_endpoint: str, raw_s3: Any) -> None:
    bucket = new_bucket()

    async def main() -> None:
        first = S3ImageStorage(bucket, endpoint_url=s3_endpoint, create_bucket=True)
        second = S3ImageStorage(bucket, endpoint_url=s3_endpoint, create_bucket=True)
        try:
            await asyncio.gather(first.put(PNG, "image/png"), second.put(PNG, "image/png"))
            assert "s3 bucket" in await second.health()
        finally:
            await first.aclose()
            await second.aclose()

    asyncio.run(main())
    assert raw_s3.head_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_s3_bytes_that_do_not_match_their_key_are_an_error(s3_endpoint: str, raw_s3: Any) -> None:
    bucket = new_bucket()
    raw_s3.create_bucket(Bucket=bucket)
    key = content_key(PNG, "image/png")
    raw_s3.put_object(Bucket=bucket, Key=f"p/{object_name(key)}", Body=b"tampered")

    async def main() -> None:
        storage = S3ImageStorage(bucket, prefix="/p/", endpoint_url=s3_endpoint)
        try:
            with pytest.raises(S3StorageError, match="does not hold the bytes"):
                await storage.get(key)
        finally:
            await storage.aclose()

    asyncio.run(main())


def test_s3_health_names_bucket_prefix_and_endpoint(s3_endpoint: str, raw_s3: Any) -> None:
    bucket = new_bucket()
    raw_s3.create_bucket(Bucket=bucket)

    async def main() -> str:
        storage = S3ImageStorage(bucket, prefix="a/b", endpoint_url=s3_endpoint)
        try:
            return await storage.health()
        finally:
            await storage.aclose()

    assert asyncio.run(main()) == f"s3 bucket {bucket}/a/b/ at {s3_endpoint}"
    assert raw_s3.list_objects_v2(Bucket=bucket).get("Contents", []) == []


@pytest.mark.parametrize(
    ("prefix", "normal"),
    [("", ""), ("/", ""), ("images", "images/"), ("/a/b/", "a/b/"), ("x.y-z", "x.y-z/")],
)
def test_s3_prefixes_are_normalised(aws_env: None, prefix: str, normal: str) -> None:
    storage = S3ImageStorage("bucket", prefix=prefix, endpoint_url="http://127.0.0.1:1")
    assert storage.prefix == normal
    key = content_key(PNG, "image/png")
    assert storage.object_key(key) == f"{normal}{object_name(key)}"
    asyncio.run(storage.aclose())


@pytest.mark.parametrize("prefix", ["a/../b", "a//b", "./a", ".."])
def test_s3_prefixes_with_path_tricks_are_refused(aws_env: None, prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        S3ImageStorage("bucket", prefix=prefix, endpoint_url="http://127.0.0.1:1")


@pytest.mark.parametrize("bucket", ["", "a/b"])
def test_s3_bucket_names_are_checked(aws_env: None, bucket: str) -> None:
    with pytest.raises(ValueError, match="bucket"):
        S3ImageStorage(bucket)


def test_s3_client_configuration(aws_env: None) -> None:
    compatible = make_s3_client("http://user:pw@127.0.0.1:9000", "eu-west-1")
    aws = make_s3_client(None, "eu-west-1")
    try:
        config = compatible.meta.config  # type: ignore[attr-defined]
        assert config.s3["addressing_style"] == "path"
        assert (config.connect_timeout, config.read_timeout) == (5.0, 30.0)
        assert config.retries["mode"] == "standard"
        assert config.request_checksum_calculation == "when_required"
        assert compatible.meta.region_name == "eu-west-1"
        assert "amazonaws.com" in aws.meta.endpoint_url
        assert (aws.meta.config.s3 or {}).get("addressing_style") != "path"  # type: ignore[attr-defined]
    finally:
        compatible.close()
        aws.close()
    storage = S3ImageStorage(
        "b", endpoint_url="http://user:pw@127.0.0.1:9000", client_factory=lambda e, r: compatible
    )
    assert storage.endpoint == "http://127.0.0.1:9000"  # no user information


# ------------------------------------------------------------------------------- the factory
def settings(tmp_path: Path, storage_url: str | None) -> Settings:
    return Settings(data_dir=tmp_path, storage_url=storage_url)


def made(tmp_path: Path, storage_url: str | None) -> ImageStorage:
    return create_storage(settings(tmp_path, storage_url))


def close(storage: ImageStorage) -> None:
    asyncio.run(storage.aclose())


@pytest.mark.parametrize("unset", [None, "", "  "])
def test_factory_default_is_the_images_folder(tmp_path: Path, unset: str | None) -> None:
    storage = made(tmp_path, unset)
    assert isinstance(storage, LocalImageStorage)
    assert storage.root == tmp_path / "images"


def test_factory_local_forms(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    cases = {
        str(tmp_path / "pictures"): tmp_path / "pictures",
        "relative/pictures": Path("relative/pictures"),
        "~/pictures": tmp_path / "home" / "pictures",
        f"file://{tmp_path}/my%20pictures": tmp_path / "my pictures",
        f"file://localhost{tmp_path}/x": tmp_path / "x",
        f"FILE://{tmp_path}/y": tmp_path / "y",
    }
    for url, root in cases.items():
        storage = made(tmp_path, url)
        assert isinstance(storage, LocalImageStorage), url
        assert storage.root == root, url


def test_factory_s3_forms(tmp_path: Path, aws_env: None) -> None:
    plain = made(tmp_path, "s3://lightrig")
    assert isinstance(plain, S3ImageStorage)
    assert (plain.bucket, plain.prefix) == ("lightrig", "")
    assert "amazonaws.com" in plain.endpoint
    close(plain)

    full = made(
        tmp_path, "s3://pictures/studio/2026?endpoint=http://127.0.0.1:9000&region=eu-central-1"
    )
    assert isinstance(full, S3ImageStorage)
    assert (full.bucket, full.prefix, full.endpoint) == (
        "pictures",
        "studio/2026/",
        "http://127.0.0.1:9000",
    )
    assert full._client.meta.region_name == "eu-central-1"
    close(full)

    encoded = made(tmp_path, "s3://b/x?endpoint=https%3A%2F%2Fabc.r2.cloudflarestorage.com")
    assert isinstance(encoded, S3ImageStorage)
    assert encoded.endpoint == "https://abc.r2.cloudflarestorage.com"
    close(encoded)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("s3://", "needs a bucket"),
        ("s3:///prefix", "needs a bucket"),
        ("s3://b?colour=red&endpoint=http://x", r"unknown .*\['colour'\]"),
        ("s3://b?acl=public&zone=1", r"\['acl', 'zone'\]"),
        ("s3://b?region=a&region=b", "more than once"),
        ("s3://b?endpoint=ftp://x", "http"),
        ("s3://b?endpoint=localhost:9000", "http"),
        ("s3://b#frag", "fragment"),
        ("file://otherhost/x", "this machine"),
        ("file:///x?y=1", "no query"),
    ],
)
def test_factory_refuses_what_it_does_not_know(
    tmp_path: Path, aws_env: None, url: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        made(tmp_path, url)


@pytest.mark.parametrize(
    "url", ["http://example.com/images", "gs://bucket", "FTP://user:hunter2@host/x", "postgres://x"]
)
def test_an_unknown_scheme_is_one_line_naming_the_accepted_ones(
    tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scheme = url.split(":", maxsplit=1)[0].lower()
    accepted = ", ".join(["a folder path"] + [f"{name}://" for name in STORAGES])
    line = f"unsupported storage URL scheme {scheme!r}; accepted: {accepted}"
    with pytest.raises(InvalidSettingError) as refused:  # the settings
        settings(tmp_path, url)
    assert str(refused.value) == f"setting LIGHTRIG_STORAGE_URL: {line}"
    assert "hunter2" not in str(refused.value)
    unchecked = Settings.model_construct(data_dir=tmp_path, storage_url=url)
    with pytest.raises(ValueError, match="scheme") as raised:  # the factory, unchecked settings
        create_storage(unchecked)
    assert str(raised.value) == line
    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path))  # the command line
    monkeypatch.setenv("LIGHTRIG_STORAGE_URL", url)
    with pytest.raises(SystemExit) as exited:
        main(["history", "list"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == f"lightrig: error: setting LIGHTRIG_STORAGE_URL: {line}\n"


def test_an_unknown_store_name_is_one_line_naming_the_stores() -> None:
    with pytest.raises(ValueError, match=r"^unknown") as raised:
        choose("image store", "gcs", STORAGE_FACTORIES)
    assert str(raised.value) == f"unknown image store 'gcs'; accepted: {', '.join(STORAGES)}"


def test_factory_refuses_credentials_in_the_url(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="AWS_ACCESS_KEY_ID") as raised:
        made(tmp_path, f"s3://AKIA:{SECRET}@bucket/x")
    assert SECRET not in str(raised.value)


def test_factory_s3_store_works_end_to_end(tmp_path: Path, s3_endpoint: str, raw_s3: Any) -> None:
    bucket = new_bucket()
    raw_s3.create_bucket(Bucket=bucket)
    storage = made(tmp_path, f"s3://{bucket}/lightrig/images?endpoint={s3_endpoint}")

    async def main() -> StoredImage:
        try:
            stored = await storage.put(PNG, "image/png")
            assert await storage.get(stored.key) == PNG
            assert bucket in await storage.health()
            return stored
        finally:
            await storage.aclose()

    stored = asyncio.run(main())
    assert stored.url == f"s3://{bucket}/lightrig/images/{object_name(stored.key)}"
