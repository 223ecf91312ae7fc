"""Tests, and the helpers they share (``tests.contracts``, ``tests.stack_support``, ``tests.corpus``)."""
