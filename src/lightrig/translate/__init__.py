"""Natural language to lighting: translators that turn a description into a lighting setup."""
