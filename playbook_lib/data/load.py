"""Load a shop: read its files (:mod:`.io`), check them (:mod:`.checks`), wrap them in a Dataset.

:func:`load_dataset` is the one entry point the lessons and the review use:
``load_dataset("demo")`` for the shipped demo shop, ``load_dataset(folder)`` for a folder of
your own exports (see :mod:`playbook_lib.data.io` for the file rules, encodings and mapping
files, and :mod:`playbook_lib.data.checks` for what is checked).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import DataValidationError
from . import checks
from .dataset import Dataset
from .io import read_folder, resolve_source

__all__ = ["load_dataset"]


def load_dataset(source: str | Path = "demo", *, tables=None, mapping=None,
                 validate: bool = True) -> Dataset:
    """Load a shop: the shipped demo shop or a folder of your own exports.

    Parameters
    ----------
    source : "demo" or path
        ``"demo"`` for the shipped demo shop, else a folder with one file per table
        (CSV, Parquet or Excel, named after the table).
    tables : list of str, optional
        Load only these tables (each must be present).
    mapping : preset name, YAML path or dict, optional
        Renames an export's files, columns and values to the schema. Without it, a
        ``mapping.yaml`` in the folder is used when present.
    validate : bool, default True
        Check the tables (:func:`playbook_lib.data.validate`) and raise
        :class:`~playbook_lib.DataValidationError` listing every problem found.

    Returns
    -------
    Dataset
        One DataFrame per table (``ds.orders``); warnings in ``ds.warnings``.

    Examples
    --------
    >>> ds = load_dataset("demo", tables=["products"])
    >>> ds.tables
    ['products']
    """
    folder = resolve_source(source)
    if str(source) == "demo" and not folder.exists():
        raise DataValidationError(
            f"the demo shop is missing ({folder}). Run `playbook generate --out {folder}` "
            f"or reinstall the kit from its repository.")
    frames, report, truth = read_folder(folder, tables=tables, mapping=mapping)
    label = "demo" if str(source) == "demo" else str(folder)
    ds = Dataset(frames, source=label, truth=truth, warnings=report.warnings)
    if validate:
        result = checks.validate(ds, _load_report=report)  # the flag hides the function
        ds.warnings = result.warnings
    elif report.problems:
        found = checks.ValidationReport(report.problems, report.warnings)
        raise DataValidationError(found.format(), report.problems)
    return ds
