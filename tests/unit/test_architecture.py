"""The design rules that keep batch and stream identical: cores never import the streaming edge."""

from __future__ import annotations

import ast
from pathlib import Path

AGENTS = Path(__file__).resolve().parents[2] / "agents"
FORBIDDEN = {"faust", "aiokafka", "streams", "mode"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_core_modules_never_import_the_streaming_edge():
    offenders = {}
    for path in AGENTS.rglob("*.py"):
        if path.name == "agent.py":
            continue
        bad = imported_roots(path) & FORBIDDEN
        if bad:
            offenders[str(path.relative_to(AGENTS))] = sorted(bad)
    assert offenders == {}


def test_agents_do_not_import_other_stages_cores():
    stages = {p.name for p in AGENTS.iterdir() if p.is_dir() and (p / "agent.py").exists()}
    offenders = []
    for stage in stages:
        for path in (AGENTS / stage).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("agents."):
                    other = node.module.split(".")[1]
                    if other in stages and other != stage:
                        offenders.append((str(path), node.module))
    assert offenders == []


def test_every_stage_has_a_thin_agent():
    for stage in ("clean", "dedup", "entities", "stories", "alerts"):
        agent = AGENTS / stage / "agent.py"
        assert agent.exists(), stage
        assert len(agent.read_text().splitlines()) < 80, f"{agent} is no longer thin"
