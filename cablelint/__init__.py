"""cablelint: a linter and data-quality test suite for corpora of US diplomatic cables."""

__version__ = "0.1.0"
