"""Read a shop's table files: find them, decode them, map them to the schema, convert them.

A folder holds one file per table, named after the table (``orders.csv``,
``orders.parquet``, ``orders.xlsx``); any subset of tables may be present. A mapping file
(YAML) renames a platform export's files, columns and values to the schema, and presets for
common exports ship with the kit (see :func:`available_presets`).

Text encodings are detected without a hint: UTF-8 (with or without a byte-order mark) and
GB18030 (a superset of GBK and GB2312, as Excel on Chinese Windows writes). All CSV columns
are read as text first so ids keep their leading zeros, then converted to the schema's kinds;
values that cannot be converted are recorded as :class:`Problem` records for
:func:`playbook_lib.data.validate`, never guessed.

The data package reads in one direction: ``schema`` -> ``io`` (this module: files to frames,
with the problems met on the way) -> ``checks`` (rules on the frames) -> ``load``
(:func:`~playbook_lib.data.load_dataset`: read, check, wrap in a Dataset).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from .._resources import demo_dir, presets_dir
from ..errors import DataValidationError
from .schema import TABLES, Table

__all__ = ["Problem", "LoadReport", "demo_path", "resolve_source", "available_presets",
           "load_mapping", "read_table_file", "read_folder", "MAX_EXAMPLES"]

DATA_SUFFIXES = (".csv", ".parquet", ".xlsx", ".xls")
MAPPING_NAMES = ("mapping.yaml", "mapping.yml")
_TRUE = {"true", "1", "yes", "y", "t", "是", "真"}
_FALSE = {"false", "0", "no", "n", "f", "否", "假"}
_OFFSET = r"(?:\s*(?:UTC|GMT)?\s*[+-]\d{2}:?\d{2}|Z)$"


MAX_EXAMPLES = 5


def demo_path() -> Path:
    """Folder of the shipped demo shop (the package's copy, or ``datasets/demo`` in a checkout)."""
    return demo_dir()


def resolve_source(source: str | Path) -> Path:
    """The folder a ``source`` names: ``"demo"`` is the shipped demo shop, else a path."""
    return demo_path() if str(source) == "demo" else Path(source).expanduser()


@dataclass
class Problem:
    """One broken rule: where, what, how many rows, a few examples, and the fix."""

    table: str
    column: str
    rule: str
    count: int
    examples: list = field(default_factory=list)  # (row number in the file, value)
    message: str = ""
    fix: str = ""
    file: str | None = None
    severity: str = "error"

    def format(self) -> str:
        """The problem as text: column, message, rule and row count, then examples and fix."""
        ex = "; ".join(f"row {r}: {v!r}" for r, v in self.examples[:MAX_EXAMPLES])
        more = f" (and {self.count - len(self.examples)} more)" if self.count > len(self.examples) \
            else ""
        rows = "row" if self.count == 1 else "rows"
        head = f"{self.column}: {self.message} [rule: {self.rule}] - {self.count:,} {rows}"
        lines = [head]
        if ex:
            lines.append(f"   e.g. {ex}{more}")
        if self.fix:
            lines.append(f"   fix: {self.fix}")
        return "\n".join(lines)


@dataclass
class LoadReport:
    """What the loader noticed: problems (values it could not convert) and warnings.

    ``problems`` are :class:`Problem` records; ``sources`` maps a
    table to ``(file name, offset)`` where ``offset`` turns a 0-based data row into the row
    number a person sees in the file (2 for CSV and Excel: the header is row 1).
    """

    problems: list = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sources: dict[str, tuple[str, int]] = field(default_factory=dict)


# --- mapping -----------------------------------------------------------------------------------

def available_presets() -> list[str]:
    """Names of the shipped column-mapping presets (e.g. ``shopify_orders``)."""
    return sorted(p.stem for p in presets_dir().glob("*.yaml"))


def load_mapping(mapping: str | Path | dict | None) -> dict:
    """Read a mapping (a preset name, a YAML file path or a dict) into a normalised dict.

    The mapping's shape::

        preset: shopify_orders        # optional: start from a shipped preset
        tables:
          orders:
            file: "orders_export.csv" # optional: the file that holds this table
            columns:                  # export column -> schema column
              "Name": order_id
            values:                   # optional: per schema column, export value -> schema value
              status: {"已付款": paid}
            drop_duplicates: order_id # optional: keep the first row per key (line-level exports)
    """
    if mapping is None:
        return {"tables": {}}
    if isinstance(mapping, dict):
        raw = mapping
    else:
        text = str(mapping)
        path = Path(text)
        if not path.exists() and text in available_presets():
            path = presets_dir() / f"{text}.yaml"
        if not path.exists():
            raise DataValidationError(
                f"mapping: no mapping file or preset named {text!r}. "
                f"Shipped presets: {', '.join(available_presets())}."
            )
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise DataValidationError(f"mapping: {path} is not valid YAML: {exc}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("tables", {}), dict):
        raise DataValidationError(
            "mapping: expected a YAML mapping with a 'tables:' section "
            "(tables -> <table> -> columns: {export column: schema column})."
        )
    merged: dict = {"tables": {}}
    if raw.get("preset"):
        merged = load_mapping(raw["preset"])
    for table, spec in (raw.get("tables") or {}).items():
        if table not in TABLES:
            raise DataValidationError(
                f"mapping: unknown table {table!r}; the tables are: {', '.join(TABLES)}."
            )
        spec = spec or {}
        cols = spec.get("columns") or {}
        unknown = sorted(set(cols.values()) - set(TABLES[table].column_names))
        if unknown:
            raise DataValidationError(
                f"mapping: table {table!r} maps to unknown column(s) {unknown}; "
                f"its columns are: {', '.join(TABLES[table].column_names)}."
            )
        tgt = merged["tables"].setdefault(table, {})
        for key in ("file", "drop_duplicates"):
            if key in spec:
                tgt[key] = spec[key]
        tgt.setdefault("columns", {}).update({str(k): v for k, v in cols.items()})
        for col, vmap in (spec.get("values") or {}).items():
            tgt.setdefault("values", {}).setdefault(col, {}).update(
                {str(k): v for k, v in (vmap or {}).items()})
    return merged


# --- reading files -------------------------------------------------------------------------------

def _decode(data: bytes) -> str:
    """Decode CSV bytes: UTF-8 (BOM or not), else GB18030 (covers GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            f"cannot read the file as UTF-8 or GB18030/GBK text (byte {exc.start}). "
            f"Save it from Excel as 'CSV UTF-8' and try again."
        ) from None


def read_table_file(path: str | Path) -> tuple[pd.DataFrame, int]:
    """Read one table file as it is, CSV columns as text. Returns (frame, row offset)."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            text = _decode(path.read_bytes())
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False,
                             na_values=[""], skipinitialspace=False)
            return df, 2
        if suffix == ".parquet":
            return pd.read_parquet(path), 1
        if suffix in (".xlsx", ".xls"):
            return pd.read_excel(path, dtype=object), 2
    except DataValidationError as exc:
        raise DataValidationError(f"{path.name}: {exc}") from None
    except Exception as exc:  # a broken file: say which one and what the reader said
        raise DataValidationError(
            f"{path.name}: could not be read ({type(exc).__name__}: {exc}).") from None
    raise DataValidationError(f"{path.name}: unsupported file type {suffix!r}; use .csv, "
                              f".parquet or .xlsx.")


# --- converting to the schema ------------------------------------------------------------------

def _strip(s: pd.Series) -> pd.Series:
    return s.str.strip() if pd.api.types.is_string_dtype(s) else s


def _as_text(s: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(s):
        # ids that a spreadsheet stored as numbers: 7.0 -> "7"
        out = s.map(lambda v: np.nan if pd.isna(v) else (str(int(v)) if float(v).is_integer()
                                                         else str(v)))
        return out.astype("str")
    if pd.api.types.is_datetime64_any_dtype(s):
        return s.dt.strftime("%Y-%m-%d %H:%M:%S").astype("str")
    out = s.astype("str") if s.dtype != "str" else s
    return _strip(out)


def _convert(s: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """Convert ``s`` to ``kind``; return (converted, mask of values that failed to convert)."""
    was_missing = s.isna()
    if kind == "str":
        return _as_text(s), pd.Series(False, index=s.index)
    if kind in ("int", "float"):
        src = s
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            src = _as_text(s).str.replace(",", "", regex=False).str.replace("¥", "", regex=False)
            src = src.str.replace("￥", "", regex=False)
        out = pd.to_numeric(src, errors="coerce")
        bad = out.isna() & ~was_missing
        if kind == "int":
            frac = out.notna() & (out != np.round(out))
            bad |= frac
            out = out.where(~frac)
            out = out.astype("int64") if out.notna().all() else out.astype("Int64")
        else:
            out = out.astype("float64")
        return out, bad
    if kind in ("datetime", "date"):
        if pd.api.types.is_datetime64_any_dtype(s):
            out = s
            if getattr(s.dt, "tz", None) is not None:
                out = s.dt.tz_localize(None)
        else:
            # Keep the local wall time: drop a trailing UTC offset ("... +0800") if any.
            txt = _as_text(s).str.replace(_OFFSET, "", regex=True)
            out = pd.to_datetime(txt, errors="coerce", format="ISO8601")
            retry = out.isna() & txt.notna()
            if retry.any():
                out = out.copy()
                out[retry] = pd.to_datetime(txt[retry], errors="coerce", format="mixed")
        out = out.astype("datetime64[ns]")
        if kind == "date":
            out = out.dt.normalize()
        return out, out.isna() & ~was_missing
    if kind == "bool":
        if pd.api.types.is_bool_dtype(s):
            return s.astype(bool), pd.Series(False, index=s.index)
        txt = _as_text(s).str.lower()
        out = txt.map(lambda v: True if v in _TRUE else (False if v in _FALSE else np.nan))
        bad = out.isna() & ~was_missing
        out = out.astype(bool) if not out.isna().any() else out.astype("boolean")
        return out, bad
    raise ValueError(f"unknown column kind {kind!r}")


def _conform(df: pd.DataFrame, table: Table, file_name: str, offset: int,
             report: LoadReport) -> pd.DataFrame:
    """Convert every known column of ``df`` to the schema's kind; note what failed."""
    df = df.copy()
    df.columns = [str(c).strip() for c in df.columns]
    known = set(table.column_names)
    extra = [c for c in df.columns if c not in known]
    if extra:
        report.warnings.append(
            f"{file_name}: column(s) not in the '{table.name}' schema, kept but unused: "
            + ", ".join(repr(c) for c in extra[:8]) + (" ..." if len(extra) > 8 else ""))
    for col in table.columns:
        if col.name not in df.columns:
            continue
        converted, bad = _convert(df[col.name], col.kind)
        if bad.any():
            rows = np.flatnonzero(bad.to_numpy())
            examples = [(int(r) + offset, df[col.name].iloc[r]) for r in rows[:5]]
            what = {"int": "a whole number", "float": "a number", "datetime": "a date and time",
                    "date": "a date", "bool": "true/false"}[col.kind]
            report.problems.append(Problem(
                table=table.name, column=col.name, rule=f"parseable as {col.kind}",
                count=int(bad.sum()), examples=examples, file=file_name,
                message=f"values that are not {what}",
                fix=f"Write {col.name} as {what}"
                    + (" (e.g. 2026-03-31 14:05:00)" if col.kind in ("datetime", "date") else "")
                    + "; leave the cell empty when unknown."))
        df[col.name] = converted
    return df


def _apply_mapping(df: pd.DataFrame, spec: dict) -> pd.DataFrame:
    cols = spec.get("columns") or {}
    if cols:
        df = df.rename(columns={c: cols[str(c).strip()] for c in df.columns
                                if str(c).strip() in cols})
    for col, vmap in (spec.get("values") or {}).items():
        if col in df.columns:
            s = df[col]
            df[col] = s.map(lambda v, m=vmap: m.get(str(v).strip(), v) if pd.notna(v) else v)
    key = spec.get("drop_duplicates")
    if key:
        keys = [key] if isinstance(key, str) else list(key)
        if all(k in df.columns for k in keys):
            df = df.drop_duplicates(subset=keys, keep="first").reset_index(drop=True)
    return df


def _find_files(folder: Path, mapping: dict) -> tuple[dict[str, Path], list[str]]:
    files: dict[str, Path] = {}
    notes: list[str] = []
    claimed: set[Path] = set()
    for table, spec in mapping["tables"].items():
        if spec.get("file"):
            p = folder / spec["file"]
            if not p.exists():
                raise DataValidationError(
                    f"mapping: the file {spec['file']!r} given for table '{table}' is not in "
                    f"{folder}.")
            files[table] = p
            claimed.add(p)
    for p in sorted(folder.iterdir()):
        if p in claimed or not p.is_file() or p.name.startswith((".", "~$")):
            continue
        if p.suffix.lower() not in DATA_SUFFIXES:
            continue
        name = p.stem.strip().lower()
        if name not in TABLES:
            notes.append(f"{p.name}: not a table of the schema (the tables are "
                         f"{', '.join(TABLES)}); ignored.")
            continue
        if name in files:
            raise DataValidationError(
                f"table '{name}' is given twice ({files[name].name} and {p.name}); "
                f"keep one file per table.")
        files[name] = p
    return files, notes


def read_folder(folder: Path, *, tables=None, mapping=None) -> tuple[dict, LoadReport, dict | None]:
    """Read every table file of ``folder`` (or only ``tables``), mapped and converted.

    Returns ``(frames, report, truth)``: one DataFrame per table in the schema's kinds, what
    the reader noticed (:class:`LoadReport`), and ``truth.json`` when the folder has one.
    """
    if not folder.exists():
        raise DataValidationError(f"no such folder: {folder}")
    if not folder.is_dir():
        raise DataValidationError(f"{folder} is a file; give the folder that holds the tables.")
    if mapping is None:
        for name in MAPPING_NAMES:
            if (folder / name).exists():
                mapping = folder / name
                break
    mapping_dict = load_mapping(mapping)
    files, notes = _find_files(folder, mapping_dict)
    report = LoadReport(warnings=notes)
    if tables is not None:
        unknown = [t for t in tables if t not in TABLES]
        if unknown:
            raise DataValidationError(f"unknown table(s) {unknown}; the tables are: "
                                      f"{', '.join(TABLES)}.")
        wanted = [t for t in tables if t in files]
        for t in tables:
            if t not in files:
                raise DataValidationError(f"table '{t}' was asked for but there is no {t}.csv, "
                                          f"{t}.parquet or {t}.xlsx in {folder}.")
    else:
        wanted = list(files)
    if not files:
        raise DataValidationError(
            f"{folder} holds no table files. Name files after the tables "
            f"({', '.join(TABLES)}), e.g. orders.csv, or give a mapping file.")
    frames = {}
    for t in wanted:
        df, offset = read_table_file(files[t])
        df = _apply_mapping(df, mapping_dict["tables"].get(t, {}))
        report.sources[t] = (files[t].name, offset)
        frames[t] = _conform(df, TABLES[t], files[t].name, offset, report)
    if tables is None:
        missing = [t for t in TABLES if t not in frames]
        if missing and len(missing) < len(TABLES):
            report.warnings.append(
                "tables not present (analyses that need them will say so): " + ", ".join(missing))
    truth = None
    tp = folder / "truth.json"
    if tp.exists():
        truth = json.loads(tp.read_text(encoding="utf-8"))
    return frames, report, truth
