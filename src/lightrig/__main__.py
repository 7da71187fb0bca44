"""``python -m lightrig``."""

from lightrig.cli import main

main()
