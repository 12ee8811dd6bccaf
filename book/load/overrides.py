"""chronology.toml: edits of the extracted events by id (retitle, drop, merge into another)."""

from __future__ import annotations

from pathlib import Path

from ..errors import BookError
from ..model import ChronologyEdits, Override
from .text_files import data_file, line_of_key, parse_toml_file, unknown_key_message


CHRONOLOGY_FILE = "chronology.toml"


_OVERRIDE_KEYS = {"id", "title", "drop", "merge-into"}


def load_overrides(root: Path) -> ChronologyEdits:
    path = data_file(root, CHRONOLOGY_FILE)  # inside the book folder, symlinks included
    if path is None:
        return ChronologyEdits()
    data, text = parse_toml_file(path)
    overrides = {}
    for item in data.get("event", []):
        event_id = item.get("id", "")
        line = line_of_key(text, "id", event_id) if event_id else None
        if not event_id:
            raise BookError('every [[event]] needs id = "..." (ids are listed in <slug>.chronology.json)', path)
        unknown = set(item) - _OVERRIDE_KEYS
        if unknown:
            raise BookError(f'event "{event_id}": ' + unknown_key_message(sorted(unknown)[0], _OVERRIDE_KEYS),
                            path, line)
        overrides[event_id] = Override(event_id, item.get("title", ""), bool(item.get("drop", False)),
                                       item.get("merge-into", ""), line)
    return ChronologyEdits(overrides, path)
