"""The nbconvert preprocessor the ``playbook`` template's ``conf.json`` names.

Kept apart from :mod:`playbook_lib.report.html` so that importing the kit does not import
nbconvert; nbconvert imports this module itself when it loads the template.
"""

from __future__ import annotations

from nbconvert.preprocessors import Preprocessor

from .html import toc_entries

__all__ = ["TocPreprocessor"]


class TocPreprocessor(Preprocessor):
    """Put the table of contents in ``resources["playbook_toc"]`` for the template.

    Named in the template's ``conf.json``, so ``jupyter nbconvert --template playbook`` gets
    it too. A list already there (from :func:`playbook_lib.report.export_html`) is kept.
    """

    def preprocess(self, nb, resources):
        if resources.get("playbook_toc") is None:
            resources["playbook_toc"] = toc_entries(nb)
        return nb, resources
