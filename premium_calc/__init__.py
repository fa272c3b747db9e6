"""premium-calc: premiums and affordability of China's resident medical insurance."""

from ._version import __version__

__all__ = ["__version__"]
