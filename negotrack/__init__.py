"""negotrack: follow negotiations through the statements reported in the news."""

__version__ = "0.1.0"
