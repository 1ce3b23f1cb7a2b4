"""The one command line, cpc-tor: its subcommands, and the errors it gives a user
(the file and what to do), without a build."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis_py.cli import build_parser, main

SUBCOMMANDS = ("synth", "quality", "publish", "report", "export", "parity", "spark")


def test_help_lists_every_subcommand(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for name in SUBCOMMANDS:
        assert name in out


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_each_subcommand_has_its_help(name, capsys):
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([name, "--help"])
    assert exit_info.value.code == 0
    assert f"cpc-tor {name}" in capsys.readouterr().out


def test_publish_without_a_build_is_refused(tmp_path, capsys):
    code = main(
        [
            "publish",
            "--db",
            str(tmp_path / "x.duckdb"),
            "--target",
            str(tmp_path),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    assert f"no dbt build to publish in {tmp_path}" in capsys.readouterr().err


def test_report_of_a_missing_publication_says_so(tmp_path, capsys):
    code = main(["report", "--publication", str(tmp_path), "--out", str(tmp_path / "r.html")])
    assert code == 2
    assert "publication.json: not a publication" in capsys.readouterr().err


def test_quality_of_a_missing_database_says_so(tmp_path, capsys):
    assert main(["quality", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no such database; run dbt build first" in capsys.readouterr().err


def test_synth_refuses_an_unknown_city(tmp_path, capsys):
    assert (
        main(["synth", "--out", str(tmp_path / "raw"), "--seed", "1", "--cities", "Atlantis"]) == 2
    )
    assert "unknown cities ['Atlantis']" in capsys.readouterr().err
    assert not (tmp_path / "raw").exists()


def test_a_missing_argument_is_named(capsys):
    with pytest.raises(SystemExit):
        main(["publish", "--db", "x"])
    assert "--target" in capsys.readouterr().err


def test_spark_warehouse_defaults_to_target_and_moves_with_the_env_var(monkeypatch, tmp_path):
    monkeypatch.delenv("CPC_SPARK_WAREHOUSE", raising=False)
    assert build_parser().parse_args(["spark"]).warehouse == Path("target/spark-warehouse")
    monkeypatch.setenv("CPC_SPARK_WAREHOUSE", str(tmp_path / "elsewhere"))
    assert build_parser().parse_args(["spark"]).warehouse == tmp_path / "elsewhere"
