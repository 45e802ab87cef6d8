"""One validation layer for every hand-kept YAML file: parse with line numbers, check against
a typed model, and turn the first fault into one `BuildError` naming file, line and entry.

Why a layer of its own: a wrong type in a reference file (`priority: high`, `authors: [1, 2]`,
`published: 2024-02-30`) used to surface as a traceback deep in the extractor. Here it stops
the build before anything runs, with the line to fix. Other files reuse it as they come:

    from loaders.validate import load_validated
    data = load_validated(path, list[MyEntryModel])   # or a BaseModel for a mapping file

`load_validated` returns the plain parsed YAML (lists, dicts, str), untouched: the model is a
gate, not a conversion, so readers of the data see what they saw before.
"""

from __future__ import annotations

import functools
import re
import reprlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from loaders.errors import BuildError

# Control characters refused in reference data and source texts: C0 except tab, line feed,
# form feed and carriage return; DEL; C1. NUL among them.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Keys that name an entry in a list, in the order they are looked for.
ENTRY_KEYS = ("source_id", "region_id", "indicator_id", "id", "unit")


class _RealDates:
    """Impossible dates (2024-02-30) become a marked YAML error, not a ValueError."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a real date ({exc})", node.start_mark
            ) from None


class _PyLoader(_RealDates, yaml.SafeLoader):
    pass


class _CLoader(_RealDates, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


for _cls in (_PyLoader, _CLoader):
    _cls.add_constructor("tag:yaml.org,2002:timestamp", _cls.construct_yaml_timestamp)

# Nesting depth below which libyaml is safe: its composer recurses on the C stack, so a
# document nested 100,000 deep would crash the process instead of raising RecursionError.
_C_SAFE_DEPTH = 8000


def _loader_for(text: str) -> type:
    """libyaml (four times faster) when the nesting is provably shallow, else pure Python.
    Block nesting needs a deeper indent or another `- ` per level, so it is bounded by the
    longest line; flow nesting by the number of brackets."""
    longest = max(map(len, text.splitlines()), default=0)
    return _CLoader if longest + text.count("[") + text.count("{") < _C_SAFE_DEPTH else _PyLoader


def read_text(path: Path) -> str:
    """The file's text as strict UTF-8; OS and encoding faults as one line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(path, "file not found") from None
    except IsADirectoryError:
        raise BuildError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise BuildError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(path, "not valid UTF-8", line=raw[: exc.start].count(b"\n") + 1) from None


def parse_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    """The document and its node tree (for line numbers), or a BuildError with the line."""
    text = read_text(path)
    loader = _loader_for(text)(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise BuildError(path, f"malformed YAML: {exc.problem or exc}", line=line) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise BuildError(path, f"character U+{exc.character:04X} is not allowed in YAML", line=line) from None
    except yaml.YAMLError as exc:
        raise BuildError(path, f"malformed YAML: {exc}") from None
    except RecursionError:
        raise BuildError(path, "malformed YAML: nested too deeply") from None
    finally:
        loader.dispose()
    _refuse_controls(path, node)
    return data, node


def _scalars(node: yaml.Node | None) -> Iterator[yaml.ScalarNode]:
    """Every scalar once, even when aliases share nodes (a YAML bomb stays linear)."""
    seen: set[int] = set()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.ScalarNode):
            yield current
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))


def _refuse_controls(path: Path, node: yaml.Node | None) -> None:
    for scalar in _scalars(node):
        found = CONTROL_CHARS.search(scalar.value)
        if found:
            raise BuildError(
                path,
                f"control character U+{ord(found.group()):04X} in {scalar.value[:40]!r}",
                line=scalar.start_mark.line + 1,
            )


def refuse_control_characters(text: str, path: Path) -> None:
    """Source texts hold no NUL or other control characters: they would be published."""
    found = CONTROL_CHARS.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        raise BuildError(path, f"control character U+{ord(found.group()):04X} in the text; remove it", line=line)


def node_at(root: yaml.Node | None, loc: tuple) -> yaml.Node | None:
    """The deepest node along a validation error's location (a missing key: its mapping)."""
    node = root
    for part in loc:
        if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        elif isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == str(part)), None)
            if match is None:
                key = next((k for k, _ in node.value if k.value == str(part)), None)
                return key or node
            node = match
        else:
            break
    return node


def _entry_name(item: dict) -> str | None:
    for key in (*ENTRY_KEYS, *sorted(k for k in item if str(k).endswith("_id"))):
        if isinstance(item.get(key), str | int) and not isinstance(item.get(key), bool):
            return str(item[key])
    return None


def _entry_of(data: Any, loc: tuple) -> tuple[str | None, tuple]:
    """The outermost list entry along `loc` that has an id (a rule, not its example), and
    the location inside it; else the innermost entry by number."""
    fallback, current = (None, loc), data
    for i, part in enumerate(loc):
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(current, dict):
            name = _entry_name(current)
            if name is not None:
                return name, loc[i + 1 :]
            fallback = (f"entry {part + 1}", loc[i + 1 :])
    return fallback


def _describe(error: dict, rest: tuple) -> str:
    field = ".".join(str(p) for p in rest if not str(p).startswith("function-")) or "entry"
    kind, msg = error["type"], error["msg"].removeprefix("Value error, ")
    if kind == "missing":
        return f"missing field {field!r}"
    if kind == "extra_forbidden":
        return f"unknown key {field!r}"
    shown = _SHORT.repr(error.get("input"))  # bounded: the input may be a YAML bomb's shared lists
    return f"{field}: {msg[0].lower() + msg[1:]} (got {shown})"


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring, _SHORT.maxother = 2, 4, 4, 60, 60


@functools.lru_cache(maxsize=32)
def _adapter(schema: Any) -> TypeAdapter:
    return TypeAdapter(schema)


def check(path: Path, data: Any, node: yaml.Node | None, schema: Any) -> Any:
    """Validate parsed YAML against `schema`; the first fault becomes one BuildError."""
    try:
        return _adapter(schema).validate_python(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = tuple(p for p in error["loc"] if not (isinstance(p, str) and "[" in p))
        target = node_at(node, loc)
        line = target.start_mark.line + 1 if target is not None else None
        entry, rest = _entry_of(data, loc)
        raise BuildError(path, _describe(error, rest), line=line, entry=entry) from None


def load_validated(path: Path, schema: Any) -> Any:
    """Parse `path` and validate it against `schema` (a pydantic model or type); return the
    plain parsed data. Any fault is a BuildError: `<file>:<line> [<entry>]: <what>`."""
    data, node = parse_yaml(path)
    check(path, data, node, schema)
    return data


def load_models(path: Path, schema: Any) -> tuple[Any, Any]:
    """Like load_validated, but also return the validated models (normalised values)."""
    data, node = parse_yaml(path)
    return data, check(path, data, node, schema)
