"""Generation jobs: queued records run in the background, in this process or on many."""
