"""Saved setups in the studio, driven in a real browser (Debian's Chromium through Playwright, as
``tests/test_studio.py`` drives it, whose fixtures these tests use): a setup saved, the page
reloaded, the setup listed and opened; a share link opened in a fresh browser context without a
key shows the setup, and once revoked answers 404 and the studio says so; another user's setups
are not listed; a setup file imported (and a bad one refused in one line); setups renamed and
deleted.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from lightrig.api.app import create_app
from lightrig.config import Settings
from lightrig.db.factory import create_store
from lightrig.models.setup_file import setup_file
from lightrig.presets import PRESETS
from tests.apiserver import serve
from tests.test_studio import (  # noqa: F401 - pytest fixtures, used by name
    Studio,
    browser,
    open_studio,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, preview_size=64)


@pytest.fixture(scope="module")
def open_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with no users: this machine's studio needs no key (the local user's setups)."""
    app = create_app(_settings(tmp_path_factory.mktemp("setups-open")), allow_anonymous=True)
    with serve(app) as url:
        yield url


@dataclass(frozen=True)
class Keyed:
    """A server whose every request but a shared setup's needs a key, and two users' keys."""

    url: str
    alice: str
    bob: str


async def _two_users(data_dir: Path) -> tuple[str, str]:
    store = create_store(_settings(data_dir))
    try:
        await store.migrate()
        _, alice = await store.create_user("alice")
        _, bob = await store.create_user("bob")
    finally:
        await store.aclose()
    return alice, bob


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Keyed]:
    data_dir = tmp_path_factory.mktemp("setups-keyed")
    # Playwright's sync API keeps an event loop running in this thread: make the users in another
    with ThreadPoolExecutor(max_workers=1) as pool:
        alice, bob = pool.submit(asyncio.run, _two_users(data_dir)).result()
    with serve(create_app(_settings(data_dir))) as url:
        yield Keyed(url, alice, bob)


def _with_key(key: str) -> Callable[[Page], None]:
    """Have the page start with ``key`` set, as a user who saved it under "API key" would."""
    return lambda page: page.add_init_script(f"localStorage.setItem('lightrig.apiKey', {key!r});")


def _open_setups(page: Page) -> None:
    """Open the Setups dialog (closed first when open, so that the list is asked for again)."""
    if page.locator("#setups-dialog[open]").count():
        page.click("#setups-close")
    page.click("#setups-button")
    page.wait_for_selector("#setups-dialog[open]")
    page.wait_for_selector("#setups-list:not([aria-busy])", state="attached")


def _save_as(page: Page, name: str) -> None:
    _open_setups(page)
    page.fill("#setup-name", name)
    page.click("#setup-save-form button[type=submit]")
    _item(page, name).wait_for()


def _item(page: Page, name: str) -> Any:
    return page.locator(f'.saved-setup[data-name="{name}"]')


def _scene_changes(page: Page, act: Callable[[], None]) -> None:
    """Do ``act`` and wait until the studio's scene has changed."""
    before = page.get_attribute("#view-studio", "data-scene-version")
    act()
    page.wait_for_function(
        "(v) => document.querySelector('#view-studio').dataset.sceneVersion !== v", arg=before
    )


def _exported(page: Page) -> Any:
    """What the studio's Export › Setup (JSON) writes, read back."""
    page.click("#export-menu summary")
    with page.expect_download() as download:
        page.click("#export-setup")
    return json.loads(Path(download.value.path()).read_text())


def _stored_lights(page: Page) -> dict[str, dict[str, Any]]:
    """The lights of the scene the page keeps (in its storage), by role."""
    found: dict[str, dict[str, Any]] = page.evaluate(
        "JSON.parse(localStorage.getItem('lightrig.scene')).scene.lighting_setup"
    )
    return found


def test_a_saved_setup_is_listed_after_a_reload_and_opens(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    open_url: str,
) -> None:
    studio = open_studio(open_url)
    page = studio.page
    studio.choose_preset("split")
    _save_as(page, "Split, hard")
    page.click("#setups-close")
    studio.choose_preset("loop")  # the studio moves on to another light

    page.reload()
    page.wait_for_selector("body[data-ready='true']", state="attached")
    studio.settled()
    assert "Loop" in studio.pattern()  # the page came back as it was left
    _open_setups(page)
    item = _item(page, "Split, hard")
    assert item.count() == 1
    _scene_changes(page, lambda: item.locator(".setup-open").click())
    page.wait_for_selector("#setups-dialog:not([open])", state="attached")
    studio.settled()
    assert "Split" in studio.pattern()
    # the studio holds the saved setup exactly: its Export is the setup file of what was saved
    assert _exported(page) == setup_file(PRESETS["split"].request())
    saved = httpx.get(f"{open_url}/v1/setups").json()
    assert any(entry["name"] == "Split, hard" for entry in saved)
    assert not [error for error in studio.errors if error.startswith("page error")]


def test_a_share_link_opens_without_a_key_until_revoked(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    keyed: Keyed,
) -> None:
    owner = open_studio(keyed.url, prepare=_with_key(keyed.alice))
    page = owner.page
    owner.choose_preset("butterfly")
    _save_as(page, "Butterfly for the crew")
    item = _item(page, "Butterfly for the crew")
    item.locator(".setup-share").click()
    page.wait_for_function("document.querySelector('#setup-share-url').value !== ''")
    link = page.input_value("#setup-share-url")
    token = link.split("?share=", 1)[1]
    assert link == f"{keyed.url}/?share={token}"
    page.wait_for_selector('.saved-setup[data-name="Butterfly for the crew"][data-shared="true"]')

    # a fresh browser, no key: the setup opens, read-only
    visitor = open_studio(link, ready=False)
    seen = visitor.page
    seen.wait_for_selector("body[data-ready='true']", state="attached")
    notice = seen.locator("#shared-notice[data-state='open']")
    notice.wait_for()
    assert "Butterfly for the crew" in notice.inner_text()
    assert seen.evaluate("localStorage.getItem('lightrig.apiKey')") is None
    expected = setup_file(PRESETS["butterfly"].request())["lighting_setup"]
    lights = _stored_lights(seen)
    assert set(lights) == set(expected)
    for role, light in expected.items():
        for name in ("azimuth", "elevation", "distance", "intensity", "modifier_size"):
            assert lights[role][name] == pytest.approx(light[name]), (role, name)
    drawn = seen.locator("#diagram .light").evaluate_all(
        "lights => lights.map(l => l.dataset.role)"
    )
    assert sorted(drawn) == sorted(role for role in expected if role != "ambient")  # not drawn
    # the link is no key: the visitor's own requests are refused
    assert httpx.get(f"{keyed.url}/v1/setups").status_code == 401

    # revoked: the API answers 404, and the studio says so
    item.locator(".setup-revoke").click()
    page.wait_for_selector('.saved-setup[data-name="Butterfly for the crew"][data-shared="false"]')
    assert httpx.get(f"{keyed.url}/v1/shared/{token}").status_code == 404
    late = open_studio(link, ready=False).page
    late.wait_for_selector("body[data-ready='true']", state="attached")
    refusal = late.locator("#shared-notice[data-state='revoked']")
    refusal.wait_for()
    assert "unknown, or it was revoked" in refusal.inner_text()
    assert not [error for error in owner.errors if error.startswith("page error")]
    assert not [error for error in visitor.errors if error.startswith("page error")]


def test_another_users_setups_are_invisible(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    keyed: Keyed,
) -> None:
    alice = open_studio(keyed.url, prepare=_with_key(keyed.alice))
    alice.choose_preset("clamshell")
    _save_as(alice.page, "Alice's clamshell")

    bob = open_studio(keyed.url, prepare=_with_key(keyed.bob))
    _open_setups(bob.page)
    assert bob.page.locator(".saved-setup").count() == 0
    assert bob.page.get_attribute("#setups-dialog", "data-count") == "0"
    assert "No saved setups yet" in bob.page.inner_text("#setups-status")
    _save_as(bob.page, "Bob's own")
    assert bob.page.locator(".saved-setup").count() == 1

    _open_setups(alice.page)  # listed again: still only hers
    names = alice.page.locator(".saved-setup").evaluate_all("rows => rows.map(r => r.dataset.name)")
    assert "Alice's clamshell" in names
    assert "Bob's own" not in names


def test_a_setup_file_is_imported_and_a_bad_one_is_refused_in_one_line(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    open_url: str,
    tmp_path: Path,
) -> None:
    studio = open_studio(open_url)
    page = studio.page
    good = tmp_path / "imported-rembrandt.json"
    good.write_text(json.dumps(setup_file(PRESETS["rembrandt"].request())))
    studio.choose_preset("split")
    _open_setups(page)
    _scene_changes(page, lambda: page.set_input_files("#setup-import", str(good)))
    _item(page, "imported-rembrandt").wait_for()
    studio.settled()
    assert "Rembrandt" in studio.pattern()

    bad = tmp_path / "too-bright.json"
    bad.write_text(json.dumps({"lighting_setup": {"key": {"azimuth": -45, "intensity": 7}}}))
    page.set_input_files("#setup-import", str(bad))
    error = page.locator("#setups-error")
    error.wait_for()
    words = error.inner_text()
    assert "\n" not in words.strip()
    assert "too-bright" in words
    assert "lighting setup › key › intensity: got 7; accepted: a number from 0 to 1" in words
    assert _item(page, "too-bright").count() == 0

    broken = tmp_path / "broken.json"
    broken.write_text('{"lighting_setup": ')
    page.set_input_files("#setup-import", str(broken))
    page.wait_for_function(
        "document.querySelector('#setups-error').textContent.includes('not JSON')"
    )

    # the same file again: its name is taken; the studio offers to replace it
    page.set_input_files("#setup-import", str(good))
    page.wait_for_function("document.querySelector('#setups-error').textContent.includes('exists')")
    page.click("#setups-error-action")
    page.wait_for_selector("#setups-error", state="hidden")
    assert _item(page, "imported-rembrandt").count() == 1


def test_setups_are_renamed_and_deleted_in_the_studio(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    open_url: str,
) -> None:
    studio = open_studio(open_url)
    page = studio.page
    studio.choose_preset("broad")
    _save_as(page, "Broad draft")
    _item(page, "Broad draft").locator(".setup-rename").click()
    page.fill(".setup-rename-input", "Broad, final")
    page.click(".setup-rename-form button[type=submit]")
    _item(page, "Broad, final").wait_for()
    assert _item(page, "Broad draft").count() == 0

    delete = _item(page, "Broad, final").locator(".setup-delete")
    delete.click()  # asks first
    assert "sure" in delete.inner_text()
    assert _item(page, "Broad, final").count() == 1
    delete.click()
    _item(page, "Broad, final").wait_for(state="detached")
    names = [entry["name"] for entry in httpx.get(f"{open_url}/v1/setups").json()]
    assert "Broad, final" not in names
    assert "Broad draft" not in names
