"""Reading the catalog's data files into typed records. A malformed row fails with the file, the row and
the field, so a bad edit or a bad refresh never reaches an estimate."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from aiinfra.catalog.model import (
    BILLINGS,
    CLOUDS,
    FABRICS,
    Accelerator,
    AcceleratorPrice,
    EmbodiedCoefficients,
    GridIntensity,
    HostPower,
    InstanceType,
    KubernetesVersion,
    Offer,
    PowerCurve,
    Pue,
    Region,
    ServicePrice,
    StoragePower,
    StoragePrice,
)
from aiinfra.guard import (
    DOCUMENT_LIMIT,
    SPEC_LIMIT,
    InputError,
    escape_controls,
    load_json,
    read_bytes,
    read_text,
)

DATA_DIR = Path(__file__).parent / "data"
COMPILED = "catalog.json"
"""Every record of a data directory's YAML files in one JSON document (see compile_dir), with a fingerprint
of the YAML it was compiled from. Reading it takes a few milliseconds where parsing the YAML takes ~100; it is
used only while its fingerprint matches the YAML, so an edited YAML file is never shadowed by a stale
compiled copy."""

COMPILED_FORMAT = 2
"""Version of catalog.json's layout that write_compiled writes. A copy of format 1 (each YAML file as plain
data, written before 2026-12-05 and perhaps still in an AIINFRA_CATALOG_DIR) is read and checked row by row
as before; a copy of any other format is not used (the YAML is read instead)."""

R = TypeVar("R")
V = TypeVar("V")

# Per-cloud files and the record each of their sections holds.
CLOUD_FILES: dict[str, dict[str, type]] = {
    "machines.yaml": {"instance_types": InstanceType},
    "offers.yaml": {"offers": Offer, "accelerator_prices": AcceleratorPrice},
    "regions.yaml": {"regions": Region, "pue": Pue, "grid": GridIntensity},
    "storage.yaml": {"storage_prices": StoragePrice},
    "services.yaml": {"service_prices": ServicePrice, "kubernetes_versions": KubernetesVersion},
}
SHARED_FILES: dict[str, dict[str, type]] = {
    "accelerators.yaml": {"accelerators": Accelerator},
    "power.yaml": {
        "instance_curves": PowerCurve,
        "host_power": HostPower,
        "storage_power": StoragePower,
        "embodied": EmbodiedCoefficients,
    },
}


CATALOG_FIX = "Correct the file named, or unset AIINFRA_CATALOG_DIR to use the shipped catalog."


class CatalogDataError(InputError):
    """A data file that does not match the catalog's record types, or a data directory that cannot be
    read. Bad input (exit 2) wherever it surfaces: `message` names the file, `fix` what to do."""

    def __init__(self, message: str, fix: str = CATALOG_FIX) -> None:
        super().__init__(message, fix)

    def __str__(self) -> str:
        return self.message


class CatalogData(NamedTuple):
    """Every record of one catalog directory, plus the version of each file. (This module's carriers are
    named tuples: a dataclass costs ~1 ms to create at import, on the catalog's first query.)"""

    versions: dict[str, str]
    sections: dict[str, list[Any]]

    def get(self, section: str) -> list[Any]:
        return self.sections.get(section, [])


def layout() -> list[tuple[str, Mapping[str, type], str | None]]:
    """(relative path, sections, cloud) of every file a data directory may hold."""
    files: list[tuple[str, Mapping[str, type], str | None]] = [(n, s, None) for n, s in SHARED_FILES.items()]
    files += [(f"{c}/{n}", s, c) for c in CLOUDS for n, s in CLOUD_FILES.items()]
    return files


_LAYOUT = {rel: (sections_of, cloud) for rel, sections_of, cloud in layout()}


def read_yaml(path: Path) -> dict[str, Any]:
    """One data file. The shipped files are read with PyYAML's C loader (fast, and they are ours); any
    other directory's (AIINFRA_CATALOG_DIR, a refresh's --out copy) through the input guard."""
    try:
        if path.resolve().is_relative_to(DATA_DIR.resolve()) and path.is_file():
            import yaml  # only when compiling or when the compiled copy is stale: it costs ~30 ms to import

            try:
                doc = yaml.load(
                    path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
                )
            except yaml.YAMLError as e:
                raise CatalogDataError(f"{path}: not valid YAML: {e}".replace("\n", " ")) from None
        else:
            from aiinfra.guard import load_yaml

            doc = load_yaml(
                read_text(path, what="a catalog data file", limit_bytes=SPEC_LIMIT), source=str(path)
            )
    except CatalogDataError:
        raise
    except InputError as e:
        raise CatalogDataError(e.message, f"{e.fix} {CATALOG_FIX}") from None
    if not isinstance(doc, dict):
        raise CatalogDataError(f"{path}: expected a mapping at the top")
    return doc


def check_dir(root: Path) -> None:
    """Refuse a data directory that does not exist or holds no catalog file, naming it and the fix (an
    empty catalog would make every name unknown, with an empty list of valid ones)."""
    fix = (
        "Point AIINFRA_CATALOG_DIR at a catalog directory (one `infra catalog refresh --out DIR` wrote), "
        "or unset it to use the shipped catalog."
    )
    if not root.is_dir():
        what = "does not exist" if not root.exists() else "is not a directory"
        raise CatalogDataError(f"the catalog directory {escape_controls(str(root))} {what}.", fix)
    if not any((root / rel).exists() for rel, _, _ in layout()):
        raise CatalogDataError(
            f"the catalog directory {escape_controls(str(root))} holds no catalog file "
            f"({', '.join(SHARED_FILES)}, <cloud>/{', <cloud>/'.join(CLOUD_FILES)}).",
            fix,
        )


def sources_digest(root: Path, *, shipped: bool = False) -> str:
    """A fingerprint of the YAML files: CRC-32 and size of each, enough to tell an edited file (this is a
    staleness check, not a security boundary; it avoids loading OpenSSL's hashes on the fast path). The
    shipped files are ours and read directly, as read_yaml does; any other directory's through the guard."""
    parts = []
    for rel, _, _ in layout():
        path = root / rel
        if shipped:
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                continue
        elif path.exists():
            try:
                data = read_bytes(path, what="a catalog data file", limit_bytes=SPEC_LIMIT)
            except InputError as e:
                raise CatalogDataError(e.message, f"{e.fix} {CATALOG_FIX}") from None
        else:
            continue
        parts.append(f"{rel}:{len(data)}:{zlib.crc32(data):08x}")
    return ";".join(parts)


def compile_dir(root: Path = DATA_DIR) -> dict[str, Any]:
    """The JSON document `catalog.json` holds: every record of the YAML files under `root`, read and checked,
    as one row of field values per record. `fields` names each section's columns (the record's fields, in
    order); a file holds its `version` and a list of rows per section. Dates are ISO text, money its exact
    decimal text, lists lists and a power curve's points a mapping of percent to watts, as the YAML has them."""
    return _compile(root)[0]


def _compile(root: Path) -> tuple[dict[str, Any], CatalogData]:
    """compile_dir's document, and the records it holds as the YAML gives them."""
    fields = {
        section: list(_converters(record))
        for _, sections_of, _ in layout()
        for section, record in sections_of.items()
    }
    files: dict[str, Any] = {}
    versions: dict[str, str] = {}
    sections: dict[str, list[Any]] = {}
    for rel, doc in _yaml_files(root).items():
        sections_of, cloud = _LAYOUT[rel]
        versions[rel], found = _file_records(rel, doc, sections_of, cloud)
        files[rel] = {"version": versions[rel]}
        for section, records in found.items():
            files[rel][section] = [_encoded(r) for r in records]
            sections.setdefault(section, []).extend(records)
    doc = {"format": COMPILED_FORMAT, "sources": sources_digest(root), "fields": fields, "files": files}
    return doc, CatalogData(versions, sections)


def _encoded(record: Any) -> list[Any]:
    """A record's field values, in order, as compile_dir writes them."""
    values = []
    for name, convert in _converters(type(record)).items():
        value = getattr(record, name)
        encode = _ENCODERS.get(convert)
        values.append(value if value is None or encode is None else encode(value))
    return values


def write_compiled(root: Path = DATA_DIR) -> Path:
    """Compile the YAML under `root` into `root/catalog.json` (atomically). The YAML is checked as it is read,
    and the copy is written only if it loads back to the very records the YAML gives."""
    doc, data = _compile(root)
    text = compiled_text(doc)
    if repr(_compiled_records(json.loads(text), checked=False)) != repr(data):
        raise CatalogDataError(
            f"{root / COMPILED}: the compiled copy would not load back to the YAML's records"
        )
    path = root / COMPILED
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def compiled_text(doc: Mapping[str, Any]) -> str:
    """`doc` (from compile_dir) as JSON text with one record per line, so an edited row is a one-line diff."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    files = []
    for rel, entry in doc["files"].items():
        parts = [f'"version":{dump(entry["version"])}']
        parts += [
            f"{dump(section)}:[" + ",".join(f"\n{dump(row)}" for row in items) + "]"
            for section, items in entry.items()
            if section != "version"
        ]
        files.append(f"{dump(rel)}:{{" + ",".join(parts) + "}")
    head = ",\n".join(f"{dump(key)}:{dump(value)}" for key, value in doc.items() if key != "files")
    return "{" + head + ',\n"files":{\n' + ",\n".join(files) + "}}\n"


def load_dir(root: Path = DATA_DIR) -> CatalogData:
    """Every record under `root`: from `catalog.json` when it matches the YAML, else from the YAML."""
    check_dir(root)
    compiled = root / COMPILED
    if compiled.exists():
        shipped = root.resolve() == DATA_DIR.resolve()
        try:
            if shipped:  # the shipped copy: ours, as read_yaml's shipped files
                doc = json.loads(compiled.read_text(encoding="utf-8"))
            else:
                doc = load_json(
                    read_text(compiled, what="a compiled catalog", limit_bytes=DOCUMENT_LIMIT),
                    source=str(compiled),
                )
        except (InputError, ValueError):
            doc = None  # unreadable: compile from the YAML instead, which says what is wrong with it
        if (
            isinstance(doc, dict)
            and doc.get("format") in (1, COMPILED_FORMAT)
            and doc.get("sources") == sources_digest(root, shipped=shipped)
        ):
            try:
                if doc["format"] == 1:  # written before 2026-12-05: each YAML file as plain data
                    return _records(doc["files"])
                return _compiled_records(doc, checked=not shipped)
            except CatalogDataError:
                raise
            except (KeyError, IndexError, TypeError, ValueError, AttributeError, ArithmeticError):
                pass  # a hand-edited copy, or one compiled for other record fields: the YAML is the truth
    return _records(_yaml_files(root))


def _yaml_files(root: Path) -> dict[str, Any]:
    """Every YAML file under `root` as plain data (keys as text, dates as ISO text), by relative path."""
    return {rel: _plain(read_yaml(root / rel)) for rel, _, _ in layout() if (root / rel).exists()}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _records(files: Mapping[str, Mapping[str, Any]]) -> CatalogData:
    """The records of YAML files (as plain data), every row checked."""
    versions: dict[str, str] = {}
    sections: dict[str, list[Any]] = {}
    for rel, sections_of, cloud in layout():
        doc = files.get(rel)
        if doc is None:
            continue
        versions[rel], found = _file_records(rel, doc, sections_of, cloud)
        for section, records in found.items():
            sections.setdefault(section, []).extend(records)
    return CatalogData(versions, sections)


def _file_records(
    rel: str, doc: Mapping[str, Any], sections_of: Mapping[str, type], cloud: str | None
) -> tuple[str, dict[str, list[Any]]]:
    """One YAML file's version and the records of each of its sections, every row checked."""
    if cloud is not None and doc.get("cloud") != cloud:
        raise CatalogDataError(f"{rel}: top-level 'cloud' must be '{cloud}', found {doc.get('cloud')!r}")
    unknown = set(doc) - set(sections_of) - {"version", "cloud"}
    if unknown:
        raise CatalogDataError(f"{rel}: unknown sections {sorted(unknown)}; expected {sorted(sections_of)}")
    fixed = {"cloud": cloud} if cloud is not None else {}
    found: dict[str, list[Any]] = {
        section: rows(record, doc.get(section) or [], rel, section, fixed)
        for section, record in sections_of.items()
    }
    return str(doc.get("version", "")), found


def _compiled_records(doc: Mapping[str, Any], *, checked: bool) -> CatalogData:
    """The records of a `catalog.json` document. Another directory's copy is checked row by row as its YAML
    would be; the shipped copy was checked when it was written (write_compiled builds every record first and
    tests/test_catalog_data.py keeps it current), so its rows are converted a column at a time and given to
    the record types as they are: no per-row checks, which were most of the catalog's load time. A document
    of another shape raises KeyError, TypeError or ValueError (the caller then reads the YAML)."""
    fields, files = doc["fields"], doc["files"]
    decoders = _Decoders()
    versions: dict[str, str] = {}
    sections: dict[str, list[Any]] = {}
    for rel, sections_of, cloud in layout():
        entry = files.get(rel)
        if entry is None:
            continue
        versions[rel] = str(entry["version"])
        for section, record in sections_of.items():
            names, items = fields[section], entry[section]
            if names != list(_converters(record)):
                raise ValueError(f"{rel}: {section} compiled for other fields")
            built: list[Any]
            if checked:
                fixed = {"cloud": cloud} if cloud is not None else {}
                built = rows(
                    record, [dict(zip(names, item, strict=True)) for item in items], rel, section, fixed
                )
            else:
                built = decoders.build(record, items)
            sections.setdefault(section, []).extend(built)
    return CatalogData(versions, sections)


class _Memo(dict[Any, Any]):
    """`make(key)` for each distinct key, made once (the catalog's dates and prices repeat); None stays None."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__({None: None})
        self._make = make

    def __missing__(self, key: Any) -> Any:
        value = self[key] = self._make(key)
        return value


class _Decoders:
    """Records from the shipped `catalog.json`'s rows, a column at a time: a column of dates or prices goes
    through one memo, lists become tuples, anything else is used as it is."""

    def __init__(self) -> None:
        dates, prices = _Memo(dt.date.fromisoformat), _Memo(Decimal)
        self._of_converter: dict[Callable[[Any], Any], Callable[[Any], Any]] = {
            _date: dates.__getitem__,
            money: prices.__getitem__,
            _texts: tuple,
            _points: _points,
        }

    def build(self, record: type[R], items: list[list[Any]]) -> list[R]:
        if not items:
            return []
        columns: list[Iterable[Any]] = list(zip(*items, strict=True))
        converters = _converters(record)
        if len(columns) != len(converters):
            raise ValueError(f"{record.__name__}: {len(columns)} columns for {len(converters)} fields")
        for i, convert in enumerate(converters.values()):
            decode = self._of_converter.get(convert)
            if decode is None:
                continue
            if None in columns[i]:  # a field the YAML left null stays None (the memos already keep None)
                decode = functools.partial(_unless_none, decode)
            columns[i] = map(decode, columns[i])
        return list(map(record, *columns))


def _unless_none(decode: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else decode(value)


def rows(
    record: type[R], items: Iterable[Any], file: str, section: str, fixed: Mapping[str, Any] | None = None
) -> list[R]:
    """Build `record`s from mappings, converting dates, money and lists by the record's field types."""
    fields = {f.name: f for f in dataclasses.fields(record)}  # type: ignore[arg-type]
    convert = _converters(record)
    required = {
        n
        for n, f in fields.items()
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    }
    out: list[R] = []
    for i, item in enumerate(items):
        where = f"{file}: {section}[{i}]"
        if not isinstance(item, Mapping):
            raise CatalogDataError(f"{where}: expected a mapping, found {type(item).__name__}")
        values = {**(fixed or {}), **item}
        name = values.get("name") or values.get("instance_type") or values.get("accelerator")
        if name:
            where += f" ({name})"
        unknown = set(values) - set(fields)
        if unknown:
            raise CatalogDataError(f"{where}: unknown fields {sorted(unknown)}")
        missing = required - set(values)
        if missing:
            raise CatalogDataError(f"{where}: missing fields {sorted(missing)}")
        try:
            converted = {k: None if v is None else convert[k](v) for k, v in values.items()}
        except (TypeError, ValueError, InvalidOperation) as e:
            raise CatalogDataError(f"{where}: {escape_controls(str(e))[:300]}") from None
        _check_choices(where, converted)
        out.append(record(**converted))
    return out


_CONVERTERS: dict[type, dict[str, Callable[[Any], Any]]] = {}


def _converters(record: type) -> dict[str, Callable[[Any], Any]]:
    """Field name -> how a value of that field is read, for `record` (worked out once per record type)."""
    found = _CONVERTERS.get(record)
    if found is None:
        found = {f.name: _converter(str(f.type)) for f in dataclasses.fields(record)}
        _CONVERTERS[record] = found
    return found


def _converter(kind: str) -> Callable[[Any], Any]:
    """How a (non-null) value of a field annotated `kind` is read: dates, money, power curves, lists of text,
    whole numbers and booleans checked; anything else as it is."""
    if "dt.date" in kind:
        return _date
    if kind.startswith("tuple[tuple[int, Decimal]"):  # power curve points: {percent: watts}
        return _points
    if "Decimal" in kind:
        return money
    if kind.startswith("tuple"):
        return _texts
    if kind == "int" or kind.startswith("int "):
        return _whole
    if kind == "bool":
        return _flag
    return _same


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _points(value: Any) -> tuple[tuple[int, Decimal], ...]:
    if not isinstance(value, Mapping):
        raise TypeError("points must be a mapping of utilisation percent to watts")
    return tuple(sorted((int(k), money(v)) for k, v in value.items()))


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list, found {value!r}")
    return tuple(str(v) for v in value)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, found {value!r}")
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, found {value!r}")
    return value


def _same(value: Any) -> Any:
    return value


def money(value: Any) -> Decimal:
    """A number from a data file as an exact Decimal. Floats go through their shortest repr, so 55.04 is
    Decimal('55.04'); NaN, infinities and negatives are refused."""
    if isinstance(value, bool):
        raise TypeError(f"expected a number, found {value!r}")
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"{value!r} is not a price")
        value = repr(value)
    d = Decimal(str(value))
    if not d.is_finite():
        raise ValueError(f"{value!r} is not a number")
    if d < 0:
        raise ValueError(f"negative value {value!r}")
    return d


_ENCODERS: dict[Callable[[Any], Any], Callable[[Any], Any]] = {
    _date: lambda value: value.isoformat(),
    money: str,
    _texts: list,
    _points: lambda points: {str(percent): str(watts) for percent, watts in points},
}
"""How compile_dir writes a (non-null) value of a field read by each converter: as text the converter and the
shipped copy's decoders read back exactly (a Decimal's text keeps its exponent: 1.50 stays 1.50)."""


def _check_choices(where: str, values: Mapping[str, Any]) -> None:
    if "fabric" in values and values["fabric"] not in FABRICS:
        raise CatalogDataError(f"{where}: fabric {values['fabric']!r} is not one of {', '.join(FABRICS)}")
    if "billing" in values and values["billing"] not in BILLINGS:
        raise CatalogDataError(f"{where}: billing {values['billing']!r} is not one of {', '.join(BILLINGS)}")
    if "cloud" in values and values["cloud"] not in CLOUDS:
        raise CatalogDataError(f"{where}: cloud {values['cloud']!r} is not one of {', '.join(CLOUDS)}")
    if "version" in values and not isinstance(values["version"], str):
        raise CatalogDataError(f"{where}: version {values['version']!r} must be quoted text, e.g. '1.30'")
    if "source" in values and not str(values["source"]).strip():
        raise CatalogDataError(f"{where}: source is empty; every row says where its facts come from")


# -- the general-purpose machine table ------------------------------------------------------------------
# Every current general-purpose / compute / memory / burstable machine type of a cloud, one line per
# (type, region): `<cloud>/general*.csv` (`general.csv`, `general-regions.csv`, ...: one table in several files,
# each under the 1 MiB data-file limit). It is read only when a lookup misses the YAML catalog (see
# `Catalog.offer`), so the GPU catalog's first query stays as fast as before, and it is never listed by
# whole-catalog queries (`infra catalog gpus`, resolve, advise over accelerators).

GENERAL_FILE = "general.csv"
GENERAL_GLOB = "general*.csv"
GENERAL_COLUMNS = "instance_type,vcpu,memory_gib,region,on_demand,spot"


class GeneralTable(NamedTuple):
    """The CPU machines of every `<cloud>/general.csv`: their shapes and their offers, by lower-case name.
    With `load_general` both mappings are lazy: a type's rows are converted and checked the first time it is
    asked for (tens of thousands of rows; a lookup needs one type's), `check()` converts them all."""

    instance_types: Mapping[str, InstanceType]
    offers: Mapping[str, list[Offer]]
    versions: dict[str, str]
    """The version of each table read so far."""

    def check(self) -> GeneralTable:
        """Convert and check every row (raises CatalogDataError naming the file and line of the first bad one)."""
        for name in self.offers:
            self.offers[name]
        return self


class _Group(NamedTuple):
    """The provenance an `@source` / `@retrieved` / `@unverified` block gives the rows after it."""

    source: str
    retrieved: dt.date
    unverified: tuple[str, ...]


class _GeneralRows:
    """Raw rows by lower-case type name, built into records on first use (see GeneralTable). The files are read
    one at a time, in CLOUDS order and by name within a cloud, until the asked-for name turns up; then the rest
    of that cloud's files are read too, since a type's rows may be spread over them. A lookup of an AWS type so
    reads the AWS files only; iterating, or a name no table has, reads them all."""

    def __init__(self, files: list[tuple[str, str, Path]]) -> None:
        self._pending = files
        self.rows: dict[str, list[tuple[str, str, int, str, _Group]]] = {}
        self.built: dict[str, tuple[InstanceType, list[Offer]]] = {}
        self.versions: dict[str, str] = {}

    def _read_next(self) -> bool:
        if not self._pending:
            return False
        rel, cloud, path = self._pending.pop(0)
        try:
            text = read_text(path, what="a catalog data file", limit_bytes=SPEC_LIMIT)
        except InputError as e:
            raise CatalogDataError(e.message, f"{e.fix} {CATALOG_FIX}") from None
        self.versions[rel] = _index_general(rel, cloud, text, self.rows)
        return True

    def find(self, key: str) -> list[tuple[str, str, int, str, _Group]] | None:
        while key not in self.rows and self._read_next():
            pass
        found = self.rows.get(key)
        if found is not None:
            cloud = found[0][1]
            while self._pending and self._pending[0][1] == cloud:
                self._read_next()
        return found

    def all(self) -> dict[str, list[tuple[str, str, int, str, _Group]]]:
        while self._read_next():
            pass
        return self.rows

    def get(self, key: str) -> tuple[InstanceType, list[Offer]]:
        found = self.built.get(key)
        if found is None:
            rows = self.find(key)
            if rows is None:
                raise KeyError(key)
            found = self.built[key] = _build_general(rows)
        return found


class _LazyView(Mapping[str, V]):
    """One side of the general rows (the machine types, or their offers) as a mapping read only when asked."""

    def __init__(self, rows: _GeneralRows, side: Callable[[tuple[InstanceType, list[Offer]]], V]) -> None:
        self._rows = rows
        self._side = side

    def __getitem__(self, key: str) -> V:
        return self._side(self._rows.get(key))

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._rows.all()))

    def __len__(self) -> int:
        return len(self._rows.all())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._rows.find(key) is not None


def general_files(root: Path, cloud: str) -> list[Path]:
    """The files of one cloud's general table (`<cloud>/general*.csv`), in name order without the `.csv`, so
    `general.csv` comes first (its rows give a type's shape and source) and then `general-regions.csv`, ..."""
    folder = root / cloud
    found = [p for p in folder.glob(GENERAL_GLOB) if p.is_file()] if folder.is_dir() else []
    return sorted(found, key=lambda p: p.stem)


def load_general(root: Path = DATA_DIR) -> GeneralTable:
    """The general tables under `root` (a cloud without files has an empty table), read lazily: a file is read
    and its structure (directives, column line, provenance before rows, field count) checked when a lookup first
    needs it; a type's rows, gathered from every file of its cloud, are converted and checked when that type is
    first asked for. Each file has its own `@version` and `@cloud` and stays under the 1 MiB data-file limit.
    `versions` holds the files read so far; `check()` reads and checks everything."""
    files = [(f"{cloud}/{path.name}", cloud, path) for cloud in CLOUDS for path in general_files(root, cloud)]
    rows = _GeneralRows(files)
    return GeneralTable(
        _LazyView(rows, lambda row: row[0]), _LazyView(rows, lambda row: row[1]), rows.versions
    )


def _index_general(
    rel: str, cloud: str, text: str, index: dict[str, list[tuple[str, str, int, str, _Group]]]
) -> str:
    """Sort one general table's rows by type name; return the file's version."""
    table = _read_table(rel, cloud, text, GENERAL_DIRECTIVES, GENERAL_COLUMNS)
    for number, line, group in table.rows:
        key = line[: line.index(",")].rstrip().lower()  # rows are stripped: no space before the name
        found = index.get(key)
        if found is None:
            index[key] = [(rel, cloud, number, line, group)]
        else:
            found.append((rel, cloud, number, line, group))
    return table.meta.get("version", "")


GENERAL_DIRECTIVES = ("version", "cloud", "source", "retrieved", "unverified")


class _Table(NamedTuple):
    """One compact table's text, split: its directives' last values, its column line and where it is, and
    its rows (line number, text, the provenance group the row is in)."""

    meta: dict[str, str]
    columns: str
    columns_line: int
    rows: list[tuple[int, str, _Group]]


def _read_table(rel: str, cloud: str, text: str, directives: tuple[str, ...], columns: str | None) -> _Table:
    """Split a compact table (general.csv, a service table) into its parts, checking its structure.
    Directives (`@name value`) set the file's version and cloud and, for the rows after them, the source,
    retrieved date and unverified fields: every row carries the provenance of the group it is in. The first
    other line is the column line (`columns` when given); every row has as many fields as it names."""
    meta: dict[str, str] = {}
    group: _Group | None = None
    header = ""
    header_line = 0
    commas = 0
    rows: list[tuple[int, str, _Group]] = []
    append = rows.append
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] == "#":
            continue
        if group is not None and line[0] != "@" and line.count(",") == commas:
            append((number, line, group))  # the common case: a well-formed row of the current group
            continue
        if line[0] == "@":
            name, _, value = line[1:].partition(" ")
            if name not in directives:
                raise CatalogDataError(
                    f"{rel}: line {number}: unknown directive @{escape_controls(name)[:40]}"
                )
            meta[name] = value.strip()
            if name == "source":
                meta.pop("unverified", None)  # a new group starts with its own unverified list
            group = None
            continue
        if not header:
            if columns is not None and line != columns:
                raise CatalogDataError(f"{rel}: line {number}: expected the column line '{columns}'")
            if meta.get("cloud") != cloud:
                raise CatalogDataError(f"{rel}: '@cloud {cloud}' must come before the rows")
            header, header_line, commas = line, number, line.count(",")
            continue
        if group is None:
            if not meta.get("source") or not meta.get("retrieved"):
                raise CatalogDataError(
                    f"{rel}: line {number}: rows need an @source and an @retrieved line before them"
                )
            try:
                retrieved = dt.date.fromisoformat(meta["retrieved"])
            except ValueError as e:
                raise CatalogDataError(
                    f"{rel}: line {number}: @retrieved {escape_controls(str(e))[:100]}"
                ) from None
            unverified = tuple(f.strip() for f in meta.get("unverified", "").split(",") if f.strip())
            group = _Group(meta["source"], retrieved, unverified)
        if line.count(",") != commas:
            raise CatalogDataError(
                f"{rel}: line {number}: expected {commas + 1} fields ({escape_controls(header)[:120]}), "
                f"found {line.count(',') + 1}"
            )
        append((number, line, group))
    if not header:
        raise CatalogDataError(f"{rel}: no column line '{columns or '...'}'")
    return _Table(meta, header, header_line, rows)


def _build_general(rows: list[tuple[str, str, int, str, _Group]]) -> tuple[InstanceType, list[Offer]]:
    """One type's shape and offers from its rows, every row checked (one shape and cloud, one row a region,
    prices positive or empty)."""
    known: InstanceType | None = None
    first = ""
    offers: list[Offer] = []
    seen: dict[str, str] = {}
    for rel, cloud, number, line, group in rows:
        where = f"{rel}: line {number}"
        name, vcpu, memory, region, on_demand, spot = (f.strip() for f in line.split(","))
        try:
            od = money(on_demand) if on_demand else None
            sp = money(spot) if spot else None
            shape = (int(vcpu), money(memory))
        except (TypeError, ValueError, InvalidOperation) as e:
            raise CatalogDataError(
                f"{where} ({escape_controls(name)[:60]}): {escape_controls(str(e))[:200]}"
            ) from None
        if (od is not None and od <= 0) or (sp is not None and sp <= 0):
            raise CatalogDataError(f"{where} ({name}): a price is positive or left empty (unpriced), never 0")
        if region in seen:
            raise CatalogDataError(
                f"{where}: {name} in {region} is listed twice (first at {seen[region]}); "
                "keep one row per type and region across the cloud's general*.csv files"
            )
        seen[region] = where
        if known is None:
            first = where
            known = InstanceType(
                name=name,
                cloud=cloud,
                accelerator=None,
                accelerator_count=0,
                accelerator_memory_total_gib=0,
                vcpu=shape[0],
                memory_gib=shape[1],
                fabric="none",
                fabric_gbps=0,
                network_gbps=0,
                local_ssd_gib=0,
                source=group.source,
                retrieved=group.retrieved,
                unverified=("network_gbps", "local_ssd_gib"),
            )
        elif (known.cloud, known.vcpu, known.memory_gib) != (cloud, *shape):
            raise CatalogDataError(f"{where}: {name} has another shape or cloud on an earlier line ({first})")
        offers.append(
            Offer(
                cloud=cloud,
                instance_type=known.name,
                region=region,
                source=group.source,
                retrieved=group.retrieved,
                on_demand=od,
                spot=sp,
                unverified=group.unverified,
            )
        )
    assert known is not None  # an index entry has at least one row
    offers.sort(key=lambda o: o.region)
    return known, offers


# -- service price tables ----------------------------------------------------------------------------------
# A managed service with too many (item, region) prices for services.yaml (ElastiCache: every node type in
# every region, per engine) has its own compact table `<cloud>/<service>.csv`. It is read only when a price
# of that service is asked for and services.yaml has no row for it (see `Catalog.service_price`), so the
# catalog's first query never pays for it; it is not part of `catalog.json`.

SERVICE_TABLES = ("elasticache", "rds-instance", "managed-disk")
"""The services that have a table. A service not named here never makes a lookup touch the disk. RDS's and
Azure managed disks' tables key each row by the whole item (`db.t3.micro/mysql`, `Premium_LRS/P20`, one price
column), so their rows may come from different sources per item."""
SERVICE_DIRECTIVES = (*GENERAL_DIRECTIVES, "service")


class ServiceTable:
    """The prices of one `<cloud>/<service>.csv`. Its column line is `<key>,region,<price column>,...`: the
    first price column prices the item `<key>` itself, each other column the item `<key>/<column>`
    (ElastiCache: `node_type,region,redis,memcached,valkey` → `cache.t3.micro`, `cache.t3.micro/memcached`,
    `cache.t3.micro/valkey`). An empty price is not published there: no row (unpriced), never 0. A key's rows
    are converted and checked the first time one of its items is asked for; `check()` converts them all."""

    def __init__(self, rel: str, cloud: str, service: str, text: str) -> None:
        table = _read_table(rel, cloud, text, SERVICE_DIRECTIVES, None)
        if table.meta.get("service") != service:
            raise CatalogDataError(f"{rel}: '@service {service}' must come before the rows")
        names = [c.strip() for c in table.columns.split(",")]
        if len(names) < 3 or names[1] != "region" or not all(names) or len(set(names)) != len(names):
            raise CatalogDataError(
                f"{rel}: line {table.columns_line}: expected the column line '<key>,region,<price>,...' "
                f"with distinct names, found '{escape_controls(table.columns)[:120]}'"
            )
        self.rel = rel
        self.cloud = cloud
        self.service = service
        self.version = table.meta.get("version", "")
        self.columns = tuple(names[2:])
        self._rows: dict[str, list[tuple[int, str, _Group]]] = {}
        for number, line, group in table.rows:
            self._rows.setdefault(line[: line.index(",")].strip().lower(), []).append((number, line, group))
        self._built: dict[str, dict[tuple[str, str], ServicePrice]] = {}

    def split(self, item: str) -> tuple[str, str]:
        """(key, price column) an item names: `cache.t3.micro/valkey` → (cache.t3.micro, valkey); an item
        without a known column suffix is the key itself, priced by the first column."""
        key, sep, column = item.rpartition("/")
        if sep and column in self.columns[1:]:
            return key, column
        return item, self.columns[0]

    def _prices(self, key: str) -> dict[tuple[str, str], ServicePrice]:
        found = self._built.get(key.lower())
        if found is None:
            found = self._built[key.lower()] = self._build(self._rows.get(key.lower(), []))
        return found

    def _build(self, rows: list[tuple[int, str, _Group]]) -> dict[tuple[str, str], ServicePrice]:
        out: dict[tuple[str, str], ServicePrice] = {}
        seen: set[str] = set()
        for number, line, group in rows:
            key, region, *prices = (f.strip() for f in line.split(","))
            where = f"{self.rel}: line {number} ({escape_controls(key)[:60]})"
            if not region:
                raise CatalogDataError(f"{where}: the region is empty")
            if region in seen:
                raise CatalogDataError(f"{self.rel}: line {number}: {key} in {region} is listed twice")
            seen.add(region)
            for column, value in zip(self.columns, prices, strict=True):
                if not value:
                    continue
                try:
                    usd = money(value)
                except (TypeError, ValueError, InvalidOperation) as e:
                    raise CatalogDataError(f"{where}: {column}: {escape_controls(str(e))[:200]}") from None
                if usd <= 0:
                    raise CatalogDataError(f"{where}: {column}: a price is positive or left empty, never 0")
                item = key if column == self.columns[0] else f"{key}/{column}"
                out[(item.lower(), region)] = ServicePrice(
                    cloud=self.cloud,
                    service=self.service,
                    item=item,
                    region=region,
                    usd=usd,
                    source=group.source,
                    retrieved=group.retrieved,
                    unverified=group.unverified,
                )
        return out

    def price(self, item: str, region: str) -> ServicePrice | None:
        """The row's price of `item` in `region`, or None (the table does not price it there)."""
        key, _ = self.split(item)
        return self._prices(key).get((item.lower(), region))

    def regions(self, item: str) -> list[str]:
        """The regions where the table prices `item`, sorted."""
        key, _ = self.split(item)
        return sorted(region for name, region in self._prices(key) if name == item.lower())

    def knows(self, key: str) -> bool:
        """Whether the table lists `key` (a node type, …) at all, in any region."""
        return key.lower() in self._rows

    def names(self) -> list[str]:
        """Every key (node type, …) the table lists, as written in its first row."""
        return [rows[0][1].split(",", 1)[0].strip() for rows in self._rows.values()]

    def sources(self) -> list[str]:
        """The distinct sources of the table's rows, in file order."""
        return list(dict.fromkeys(group.source for rows in self._rows.values() for _, _, group in rows))

    def check(self) -> list[ServicePrice]:
        """Convert and check every row; every price the table holds."""
        return [p for key in self._rows for p in self._prices(key).values()]


def load_service_table(root: Path, cloud: str, service: str) -> ServiceTable | None:
    """`<root>/<cloud>/<service>.csv` when `service` is one of SERVICE_TABLES and the file exists, read and its
    structure checked (its rows are converted as they are asked for); else None."""
    if service not in SERVICE_TABLES:
        return None
    path = root / cloud / f"{service}.csv"
    if not path.is_file():
        return None
    try:
        text = read_text(path, what="a catalog data file", limit_bytes=SPEC_LIMIT)
    except InputError as e:
        raise CatalogDataError(e.message, f"{e.fix} {CATALOG_FIX}") from None
    return ServiceTable(f"{cloud}/{service}.csv", cloud, service, text)
