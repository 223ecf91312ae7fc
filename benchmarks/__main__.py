"""`make bench`: every figure we track, printed. Set BENCH_FILES / BENCH_CONTENT_BYTES to shrink."""

from __future__ import annotations

import sys

from benchmarks import content, stack

if __name__ == "__main__":
    sys.exit(stack.main() or content.main())
