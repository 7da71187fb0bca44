"""lightrig's ComfyUI nodes: put this folder (or a link to it) in ComfyUI's ``custom_nodes``
and install lightrig into ComfyUI's Python (``pip install lightrig``). The nodes themselves
live in the installed package, :mod:`lightrig.comfyui`; this folder only hands ComfyUI their
two mappings."""

from lightrig.comfyui import NODE_CLASS_MAPPINGS, NODE_DISPLAY_NAME_MAPPINGS

__all__ = ["NODE_CLASS_MAPPINGS", "NODE_DISPLAY_NAME_MAPPINGS"]
