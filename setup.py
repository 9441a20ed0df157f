"""Build hook for setuptools: the package list, which pyproject.toml cannot say.

The wheel carries the demo shop and the notebooks inside the package, as the data-only
packages ``playbook_lib._demo`` and ``playbook_lib._notebooks``, while the repository keeps
them at ``datasets/demo`` and ``notebooks/``: ``[tool.setuptools.package-dir]`` in
pyproject.toml maps each to its folder and ``[tool.setuptools.package-data]`` names their
files. ``packages.find`` only finds folders inside ``playbook_lib/``, so the list is made here:
every folder of ``playbook_lib`` (data folders such as ``data/presets`` included, as
setuptools asks), plus each mapped package and its sub-folders. ``playbook_lib/_resources.py``
finds the files in either place.
"""

import tomllib
from pathlib import Path

from setuptools import find_namespace_packages, setup

HERE = Path(__file__).resolve().parent
SKIP = ["_build", "_build.*", "*__pycache__*", "*.ipynb_checkpoints*"]


def _packages() -> list[str]:
    config = tomllib.loads((HERE / "pyproject.toml").read_text(encoding="utf-8"))
    mapped = {k: v for k, v in config["tool"]["setuptools"]["package-dir"].items() if k}
    packages = find_namespace_packages(where=str(HERE), include=["playbook_lib", "playbook_lib.*"],
                                       exclude=SKIP)
    for name, folder in mapped.items():
        subs = find_namespace_packages(where=str(HERE / folder), exclude=SKIP)
        packages += [name] + [f"{name}.{s}" for s in subs
                              if all(part.isidentifier() for part in s.split("."))]
    return packages


setup(packages=_packages())
