"""Property: any valid entry survives the canonical writer and the strict reader unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emocat.catalog.models import KIND_BY_NAME
from emocat.store import yamlio
from emocat.store.writer import dump_entry
from strategies import ENTRIES


@pytest.mark.parametrize("kind", sorted(ENTRIES))
def test_format_then_load_gives_the_same_model(kind: str) -> None:
    cls = KIND_BY_NAME[kind]

    @given(ENTRIES[kind])
    def roundtrip(data: dict[str, Any]) -> None:
        entry = cls.model_validate({**data, "id": "x"})
        text = dump_entry(entry)
        again = cls.model_validate({**yamlio.parse(text), "id": "x"})
        assert again == entry
        assert dump_entry(again) == text  # canonical form is a fixed point

    roundtrip()


@given(st.sampled_from(sorted(ENTRIES)).flatmap(lambda kind: st.tuples(st.just(kind), ENTRIES[kind])))
def test_canonical_text_is_one_yaml_mapping_with_the_schema_comment(pair: tuple[str, dict[str, Any]]) -> None:
    kind, data = pair
    text = dump_entry(KIND_BY_NAME[kind].model_validate({**data, "id": "x"}))
    assert text.startswith(f"# yaml-language-server: $schema=../../schema/{kind}.schema.json\n")
    assert isinstance(yamlio.parse(text), dict)
