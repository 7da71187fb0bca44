"""Image storage: where generated images are kept (a local folder by default)."""
