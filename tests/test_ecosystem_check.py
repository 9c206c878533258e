"""scripts/ecosystem_check.py on the repository's own fixtures/ and rules/ (no download).

The script copies them to a temporary folder, runs `tipcheck fix --unsafe-fixes` on the copy and
checks that nothing crashed, every fixed file parses, a second fix changes nothing, no finding with
a safe fix is left and files without findings are untouched. This test asserts it passes and that
it had real work to do.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "ecosystem_check.py"


def test_ecosystem_check_on_the_repository_corpus(tmp_path):
    report_path = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--small", "--quiet", "--json", str(report_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [report] = json.loads(report_path.read_text())
    assert report["corpus"] == "repo-small"
    assert report["violation_count"] == 0, report["violations"]
    assert all(items == [] for items in report["violations"].values())
    # Non-trivial: a real corpus, with findings, most of them fixed.
    assert report["files"] >= 100
    assert report["files_with_findings"] >= 50
    assert report["files_fixed"] >= 50
    assert report["fixes_applied"] >= report["files_fixed"]
    assert sum(report["findings_before"].values()) > sum(report["remaining"].values())
    assert len(report["findings_before"]) >= 5  # several rules fired
    assert "repo-small" in done.stdout  # the table
