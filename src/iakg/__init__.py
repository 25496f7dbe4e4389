"""The Inter-Agency Working knowledge graph: build, check, query and publish it.

The version has one source, the package metadata (``pyproject.toml``).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("interagency-kg")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = ["__version__"]
