"""Performance figures, printed by `make bench`. Not pass/fail tests."""
