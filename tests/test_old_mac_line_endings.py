"""Files with old Mac line endings (a lone \\r), found by the fuzz test: Python runs them and finds
their encoding declaration, so tipcheck reads, lints and fixes them too, keeping the \\r endings."""

from __future__ import annotations

from click.testing import CliRunner

from tipcheck.cli import cli
from tipcheck.source import SourceFile

SOURCE = (
    "# -*- coding: latin-1 -*-\rfrom torchvision import models\rname = 'é'\rmodel = models.resnet18(pretrained=True)\r"
)


def test_the_declaration_is_found_on_a_line_ended_by_a_lone_cr():
    source = SourceFile.from_bytes("x.py", SOURCE.encode("latin-1"))
    assert source.encoding == "iso-8859-1"
    assert source.text == SOURCE


def test_a_latin_1_file_with_cr_endings_is_fixed_in_its_encoding(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.py").write_bytes(SOURCE.encode("latin-1"))
    result = CliRunner().invoke(cli, ["fix", "--no-cache", "old.py"])
    assert result.exit_code == 0, result.output
    data = (tmp_path / "old.py").read_bytes()
    assert b"\n" not in data and b"name = '\xe9'\r" in data
    assert b"weights=ResNet18_Weights.IMAGENET1K_V1" in data
