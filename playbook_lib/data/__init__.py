"""Shop data: the schema, reading files, checking them, loading a shop, the generator.

Modules, each importing only the ones before it: ``schema`` (tables and columns),
``dataset`` (the Dataset), ``io`` (find, decode, map and convert files; presets),
``checks`` (pandera and cross-table rules: :func:`validate`), ``load``
(:func:`load_dataset`), and ``generate`` / ``gen_side`` (the demo-shop generator).
"""

from ..errors import DataValidationError
from .checks import ValidationReport, validate
from .dataset import Dataset
from .generate import generate
from .io import Problem, available_presets, demo_path, load_mapping
from .load import load_dataset
from .schema import TABLES

__all__ = ["DataValidationError", "Dataset", "TABLES", "load_dataset", "load_mapping", "validate",
           "ValidationReport", "Problem", "generate", "demo_path", "available_presets"]
