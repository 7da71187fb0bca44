"""Rate limits: spacing requests so that a host's requests-per-minute budget is never exceeded."""
