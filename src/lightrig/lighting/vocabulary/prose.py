"""The everyday words around light: numbers, backdrops, framings, words that carry nothing, and
the words a caption uses for a light's size and the scene's contrast.

Phrases read from prose are regular expressions over lower-case text, matched as whole words;
framing keys are the values of :class:`~lightrig.models.camera.ShotType` and
:class:`~lightrig.models.camera.CameraAngle`.
"""

from __future__ import annotations

__all__ = [
    "ANGLE_WORDS",
    "BACKDROP_COLOURS",
    "CAMERA_ANGLE_PHRASES",
    "CAPTION_CONTRAST_STOPS",
    "CAPTION_SIZE_WORDS",
    "FRAMING_PHRASES",
    "LENS_CLASSES",
    "NUMBER_WORDS",
    "RELATIVE_SIZE_PHRASES",
    "SHOT_WORDS",
    "STOPWORDS",
]

#: Numbers in words, as read ("a stop and a half", "half a stop") and written (zero to ten).
NUMBER_WORDS: dict[str, float] = {
    "no": 0.0,
    "half": 0.5,
    "a": 1.0,
    "an": 1.0,
    "one": 1.0,
    "two": 2.0,
    "three": 3.0,
    "four": 4.0,
    "five": 5.0,
    "six": 6.0,
    "seven": 7.0,
    "eight": 8.0,
    "nine": 9.0,
    "ten": 10.0,
    "eleven": 11.0,
    "twelve": 12.0,
}

#: Angles in words, as prose gives them ("forty-five degrees"): (words, degrees).
ANGLE_WORDS: dict[str, float] = {
    "fifteen": 15.0,
    "twenty": 20.0,
    "thirty": 30.0,
    "forty": 40.0,
    "forty-five": 45.0,
    "forty five": 45.0,
    "fifty": 50.0,
    "sixty": 60.0,
    "seventy": 70.0,
    "eighty": 80.0,
    "ninety": 90.0,
    "hundred and thirty-five": 135.0,
}

#: Backdrops in prose: (words, sRGB hex, whether a background light lights it).
BACKDROP_COLOURS: tuple[tuple[str, str, bool], ...] = (
    (r"(?:pure |bright )?white|blown[- ]out", "#f4f4f4", True),
    (r"(?:light|pale) gr[ae]y", "#b0b0b0", True),
    (r"(?:dark|charcoal) gr[ae]y|charcoal", "#333333", False),
    (r"gr[ae]y|neutral", "#7a7a7a", False),
    (r"black|dark|pitch[- ]black", "#141414", False),
    (r"(?:deep |dark )?blue|navy", "#1e3a6e", False),
    (r"teal", "#1f6f6a", False),
    (r"green", "#2f6b3a", False),
    (r"red|crimson", "#8a1f1f", False),
    (r"orange", "#c8641e", True),
    (r"yellow", "#d8c23a", True),
    (r"pink", "#d88aa8", True),
    (r"purple|violet", "#4b2a6e", False),
    (r"beige|cream|warm grey|warm gray", "#cbbca6", True),
)

#: Framings in prose, most specific first: (words, shot type).
SHOT_WORDS: tuple[tuple[str, str], ...] = (
    (r"extreme close[- ]?up", "extreme close-up"),
    (r"head ?shot|close[- ]?up", "close-up"),
    (r"head and shoulders", "medium close-up"),
    (r"waist[- ]up|half[- ]body|medium shot", "medium shot"),
    (r"full[- ]body|full[- ]length|head to toe", "full shot"),
)

#: How the prompt describes each framing.
FRAMING_PHRASES: dict[str, str] = {
    "extreme close-up": "eyes and nose filling the frame",
    "close-up": "the face filling the frame",
    "medium close-up": "head and shoulders",
    "medium shot": "framed from the waist up",
    "cowboy shot": "framed from mid-thigh up",
    "full shot": "full length, head to toe",
    "wide shot": "the subject small in a wide view of the setting",
}

#: The lens labels (``lens_type``) that name a focal range, most specific first: (words read in
#: the label as whole words, the class's name, shortest and longest full-frame focal length in mm).
#: Other labels ("macro", "prime", a make) say nothing of the focal length and are not checked.
LENS_CLASSES: tuple[tuple[str, str, float, float], ...] = (
    (r"ultra[- ]?wide|fish[- ]?eye", "ultra-wide", 8.0, 24.0),
    (r"wide(?:[- ]?angle)?", "wide-angle", 8.0, 35.0),
    (r"normal|standard", "standard", 35.0, 70.0),
    (r"portrait", "portrait", 50.0, 200.0),
    (r"tele(?:photo)?|long", "telephoto", 70.0, 800.0),
)

#: How the prompt gives the subject's size in the frame, by framing.
RELATIVE_SIZE_PHRASES: dict[str, str] = {
    "extreme close-up": "fills the frame",
    "close-up": "large, filling most of the frame",
    "medium close-up": "large within frame",
    "medium shot": "large within frame",
    "cowboy shot": "medium-large within frame",
    "full shot": "medium within frame",
    "wide shot": "small within frame",
}

#: How the prompt describes each camera angle.
CAMERA_ANGLE_PHRASES: dict[str, str] = {
    "eye-level": "eye-level, straight on",
    "high angle": "high angle, looking down at the subject",
    "low angle": "low angle, looking up at the subject",
    "overhead": "overhead, looking straight down",
    "dutch angle": "dutch angle, the frame tilted",
}

#: A caption's words for a light's size, most specific first: (words, softness 0–1).
CAPTION_SIZE_WORDS: tuple[tuple[str, float], ...] = (
    ("very large", 0.9),
    ("wrapping", 0.9),
    ("large soft", 0.7),
    ("pinpoint", 0.05),
    ("small hard", 0.15),
    ("medium", 0.4),
    ("diffused", 0.7),
    ("diffuse", 0.7),
    ("soft", 0.7),
    ("harsh", 0.12),
    ("hard", 0.15),
    ("crisp", 0.15),
    ("direct", 0.2),
)

#: A caption's words for the scene's contrast: (words, lit-to-shadow stops).
CAPTION_CONTRAST_STOPS: tuple[tuple[str, float], ...] = (
    ("no fill", 5.0),
    ("deep shadows", 3.0),
    ("high contrast", 3.0),
    ("dramatic", 3.0),
    ("strong shadows", 2.5),
    ("minimal shadows", 0.5),
    ("no shadows", 0.3),
    ("shadowless", 0.3),
    ("even", 0.7),
    ("subtle", 1.0),
    ("soft shadows", 1.2),
)

#: Words that carry no meaning for the light (prose reading neither uses nor reports them).
STOPWORDS: frozenset[str] = frozenset(
    {
        *("a", "an", "the", "and", "or", "with", "without", "of", "in", "on", "at", "to", "for"),
        *("from", "by", "as", "into", "onto", "is", "are", "be", "it", "its", "this", "that"),
        *("some", "very", "quite", "really", "just", "bit", "little", "lot", "lots", "plus"),
        *("light", "lights", "lit", "lighting", "key", "fill", "shot", "photo", "photograph"),
        *("portrait", "picture", "image", "look", "style", "setup", "set", "up", "please", "i"),
        *("want", "like", "would", "need", "give", "me", "make", "using", "use", "add", "put"),
        *("kind", "sort", "type", "feel", "vibe", "mood", "please", "something", "maybe"),
        *("subject", "model", "person", "face", "her", "his", "their", "them", "she", "he"),
        *("we", "our", "us", "you", "your", "only", "also", "then", "but", "so", "too", "more"),
        *("less", "much", "not", "no", "one", "two", "side", "studio", "camera", "behind"),
        *("against", "around", "over", "under", "about", "than", "there", "here", "where"),
    }
)
