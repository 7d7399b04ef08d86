"""YAML front matter of .txt and .md files (``---`` … ``---``), read safely.

Front matter comes with the files a user is given, so it is untrusted:
aliases are refused (a few hundred bytes of nested aliases expand to
gigabytes), the block is bounded in lines and characters, and dates stay
text for :func:`tracer.ingest.readers.check_date` to judge (YAML's own
timestamp parsing raises on ``2025-13-45`` instead of saying what is wrong).
"""
from __future__ import annotations

from functools import lru_cache

from ..errors import InputError

FRONT_MATTER_KEYS = frozenset({"id", "title", "lang", "kind", "source", "url", "date"})
# A front matter block names a handful of fields; anything longer is not one.
MAX_LINES = 200
MAX_CHARS = 16_384


@lru_cache(maxsize=1)
def _loader():
    import yaml  # PyYAML: imported on the first file with front matter

    class FrontMatterLoader(yaml.SafeLoader):
        """SafeLoader without aliases and without timestamps (dates stay strings)."""

        def compose_node(self, parent, index):  # type: ignore[override]
            if self.check_event(yaml.AliasEvent):
                raise InputError("front matter uses a YAML alias (*name); write the value out instead")
            return super().compose_node(parent, index)

    FrontMatterLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return FrontMatterLoader, yaml.YAMLError


def split_front_matter(text: str) -> tuple[str, dict[str, str | None]]:
    """Split a leading YAML block (``---`` … ``---``) off a text or Markdown file.

    The body keeps its own offsets: everything after the closing ``---`` line.
    Returns the known fields (``FRONT_MATTER_KEYS``) as strings; raises
    ``InputError`` for a block that is not a plain mapping of such values.
    """
    if not text.startswith("---"):
        return text, {}
    lines = text.split("\n", MAX_LINES)  # the last item is the rest of the text
    if lines[0].strip() != "---":
        return text, {}
    for n in range(1, min(len(lines), MAX_LINES)):
        if lines[n].strip() not in ("---", "..."):
            continue
        block = "\n".join(lines[1:n])
        if len(block) > MAX_CHARS:
            raise InputError(f"front matter is over {MAX_CHARS:,} characters")
        loader, yaml_error = _loader()
        parser = loader(block)
        try:
            meta = parser.get_single_data() or {}
        except yaml_error as exc:
            raise InputError(f"front matter is not valid YAML ({exc.__class__.__name__})") from None
        finally:
            parser.dispose()
        if not isinstance(meta, dict):
            raise InputError("front matter must be a mapping of key: value lines")
        out: dict[str, str | None] = {}
        for key, value in meta.items():
            if str(key) not in FRONT_MATTER_KEYS:
                continue
            if isinstance(value, (dict, list)):
                raise InputError(f"front matter: {key!r} must be a single value, not a "
                                 f"{'mapping' if isinstance(value, dict) else 'list'}")
            out[str(key)] = None if value is None else str(value)
        body_start = sum(len(line) + 1 for line in lines[:n + 1])
        return text[body_start:].lstrip("\n"), out
    return text, {}
