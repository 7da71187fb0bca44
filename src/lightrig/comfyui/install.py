"""Putting the pack into a ComfyUI: the folder ComfyUI loads, written into its
``custom_nodes`` (``lightrig comfyui install PATH``).

The folder holds one file, :data:`LOADER_SOURCE`, which hands ComfyUI the mappings of the
installed :mod:`lightrig.comfyui`; the repository keeps the same file as
``comfyui/lightrig_nodes/__init__.py`` for those who copy or link the folder by hand. ComfyUI's
own Python must be able to import lightrig (``pip install lightrig`` with that Python).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FOLDER", "LOADER_SOURCE", "NotAComfyUIError", "install_pack"]

#: The folder's name under ``custom_nodes``.
FOLDER = "lightrig_nodes"
#: The loader: the whole of the folder's ``__init__.py``.
LOADER_SOURCE = '''\
"""lightrig's ComfyUI nodes: put this folder (or a link to it) in ComfyUI's ``custom_nodes``
and install lightrig into ComfyUI's Python (``pip install lightrig``). The nodes themselves
live in the installed package, :mod:`lightrig.comfyui`; this folder only hands ComfyUI their
two mappings."""

from lightrig.comfyui import NODE_CLASS_MAPPINGS, NODE_DISPLAY_NAME_MAPPINGS

__all__ = ["NODE_CLASS_MAPPINGS", "NODE_DISPLAY_NAME_MAPPINGS"]
'''


class NotAComfyUIError(ValueError):
    """The path given is no ComfyUI folder, or its pack folder holds something else."""


def install_pack(comfyui: Path) -> Path:
    """Write the pack's folder into ``comfyui/custom_nodes``; the ``__init__.py`` written.

    ``comfyui`` is ComfyUI's folder (the one with ``main.py`` and ``custom_nodes``) or its
    ``custom_nodes`` itself. Writing again is harmless; a ``lightrig_nodes`` folder that holds
    anything but this loader is left alone and refused (:class:`NotAComfyUIError`).
    """
    nodes = comfyui if comfyui.name == "custom_nodes" else comfyui / "custom_nodes"
    if not nodes.is_dir():
        raise NotAComfyUIError(
            f"{comfyui}: got no custom_nodes folder there; accepted: a ComfyUI folder (the one "
            "with main.py and custom_nodes) or its custom_nodes folder"
        )
    folder = nodes / FOLDER
    loader = folder / "__init__.py"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise NotAComfyUIError(f"{folder}: already there and not a folder of lightrig's; left")
    if folder.is_dir():
        others = sorted(
            p.name for p in folder.iterdir() if p.name not in ("__init__.py", "__pycache__")
        )
        mine = not loader.exists() or loader.read_text(encoding="utf-8") == LOADER_SOURCE
        if others or not mine:
            raise NotAComfyUIError(f"{folder}: already holds other files; left as it is")
    folder.mkdir(exist_ok=True)
    loader.write_text(LOADER_SOURCE, encoding="utf-8")
    return loader
