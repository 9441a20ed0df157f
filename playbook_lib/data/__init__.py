"""Shop data: the schema, loading, validation and the demo-shop generator."""

from ..errors import DataValidationError
from .dataset import Dataset
from .generate import generate
from .load import available_presets, demo_path, load_dataset, load_mapping
from .schema import TABLES
from .validate import Problem, ValidationReport, validate


__all__ = ["DataValidationError", "Dataset", "TABLES", "load_dataset", "load_mapping", "validate",
           "ValidationReport", "Problem", "generate", "demo_path", "available_presets"]
