"""Pictures of a setup: the physically based preview of a lit bust, and the lighting diagram.

The renderer's hot loops are compiled by numba and cached on disk in a per-user folder
(:mod:`lightrig.render.numba_cache`); importing this package does nothing else — NumPy, numba
and the cache folder come with the modules that render.
"""
