"""``python -m lightrig``."""

from lightrig.launch import main

main()
