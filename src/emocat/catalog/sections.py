"""The README sections a catalog can configure in catalog.yaml, and their default order."""

from __future__ import annotations

DEFAULT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("trending", "Trending projects"),
    ("milestone-papers", "Milestone papers"),
    ("open-llm", "Open LLMs"),
    ("emotion-llms", "LLMs for emotion recognition"),
    ("papers", "Emotion papers"),
    ("datasets", "Datasets"),
    ("benchmarks", "Benchmarks"),
    ("other-surveys", "Other surveys"),
    ("citation", "Citation"),
)

CITATION = DEFAULT_SECTIONS[-1]

SECTION_IDS = tuple(section_id for section_id, _ in DEFAULT_SECTIONS)
