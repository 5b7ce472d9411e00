"""Turn the ways lists write modalities (``A,V,T``, ``Audio, Video, Text``, ``I``) into the vocabulary."""

from __future__ import annotations

import re

from emocat.catalog.models import MODALITIES

_WORDS = {
    "t": "text",
    "txt": "text",
    "text": "text",
    "texts": "text",
    "language": "text",
    "l": "text",
    "i": "image",
    "img": "image",
    "image": "image",
    "images": "image",
    "picture": "image",
    "photo": "image",
    "a": "audio",
    "audio": "audio",
    "speech": "audio",
    "sound": "audio",
    "acoustic": "audio",
    "s": "audio",
    "v": "video",
    "video": "video",
    "videos": "video",
    "visual": "video",
    "vision": "video",
}
_SEPARATORS = re.compile(r"\s*(?:,|/|\+|&|;|\band\b|\s)\s*", re.IGNORECASE)


def normalise_modalities(text: str) -> tuple[list[str], list[str]]:
    """Return (modalities in canonical order, tokens that name no modality).

    Letters may be joined (``AV``, ``AVT``) or separated by commas, slashes, ``+`` or ``and``;
    ``V`` means video (the visual channel of a clip), ``I`` a still image.
    """
    found: set[str] = set()
    unknown: list[str] = []
    for token in _SEPARATORS.split(text.strip()):
        token = token.strip(" .()[]-").lower()
        if not token or token in {"-", "–", "—"}:
            continue
        if token in _WORDS:
            found.add(_WORDS[token])
        elif re.fullmatch(r"[tiav]{2,4}", token):
            found.update(_WORDS[letter] for letter in token)
        else:
            unknown.append(token)
    return [m for m in MODALITIES if m in found], unknown
