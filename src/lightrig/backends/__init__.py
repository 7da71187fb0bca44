"""Image backends: where FIBO prompts become pictures (preview renderer, Bria, fal.ai, diffusers)."""
