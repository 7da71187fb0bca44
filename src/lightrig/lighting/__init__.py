"""The pure lighting domain: geometry, colour, softness, photometry, patterns, analysis, presets.

Nothing in this package does I/O. Angles are in degrees, distances in metres, colour temperatures
in kelvin, and the frame is the studio's: the subject at the origin, x toward camera-right, y up,
z toward the camera.
"""
