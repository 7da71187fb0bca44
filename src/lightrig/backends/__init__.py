"""Image backends: where FIBO prompts become pictures (preview, Bria, fal.ai, diffusers)."""
