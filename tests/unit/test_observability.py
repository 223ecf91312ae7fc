"""What a function writes to its log besides its own lines: an invocation that counts nothing (most
of them: an upload admitted, a listing read) leaves no Powertools warning on stderr."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
from fileshare.observability import metrics

@metrics.log_metrics
def handler(event, context):
    if event["count"]:
        metrics.add_metric(name="UploadsRejected", unit="Count", value=1)
    return {}

handler({"count": False}, None)
handler({"count": True}, None)
"""


def test_an_invocation_that_counts_nothing_writes_no_warning() -> None:
    answer = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={
            "POWERTOOLS_SERVICE_NAME": "fileshare",
            "POWERTOOLS_METRICS_NAMESPACE": "Fileshare",
            "PATH": "/usr/bin:/bin",
        },
        cwd=ROOT / "functions",
        capture_output=True,
        text=True,
        check=True,
    )

    assert answer.stderr == ""
    assert '"UploadsRejected"' in answer.stdout  # the metric that was counted is still written
    assert answer.stdout.count('"CloudWatchMetrics"') == 1  # and the empty flush wrote nothing
