"""lightrig — the control of a professional lighting studio for AI image generation."""
