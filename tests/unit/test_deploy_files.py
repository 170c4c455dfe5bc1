"""docker-compose.yml cannot be checked with `docker compose config` here, so its structure is tested."""

from __future__ import annotations

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_compose_runs_kafka_in_kraft_mode_with_a_healthcheck():
    kafka = compose()["services"]["kafka"]
    env = kafka["environment"]
    assert kafka["image"].startswith("apache/kafka:")
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "CONTROLLER" in env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    node = str(env["KAFKA_NODE_ID"])
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"].startswith(f"{node}@kafka:")
    assert "healthcheck" in kafka
    listeners = {part.split("://")[0] for part in env["KAFKA_LISTENERS"].split(",")}
    assert listeners <= set(env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].replace(":", ",").split(","))


def test_worker_is_built_from_the_project_scalable_and_points_at_kafka():
    services = compose()["services"]
    worker = services["worker"]
    assert worker["build"] == "."
    assert "ports" not in worker, "fixed host ports would stop `--scale worker=N`"
    assert "container_name" not in worker
    assert worker["environment"]["NEWSSTREAM_BROKER"] == "kafka://kafka:9092"
    assert worker["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert worker["command"][:2] == ["newsstream", "worker"]
    dockerfile = (REPO / "Dockerfile").read_text()
    for path in ("streams", "agents", "pyproject.toml"):
        assert path in dockerfile
    # the image warms its gazetteer cache on a corpus that ships with the package
    warm = next(line for line in dockerfile.splitlines() if line.startswith("RUN newsstream process"))
    assert (REPO / warm.split()[3]).is_file()


def test_volumes_used_by_services_are_declared():
    document = compose()
    declared = set(document.get("volumes", {}))
    for service in document["services"].values():
        for volume in service.get("volumes", []):
            name = volume.split(":")[0]
            if not name.startswith((".", "/")):
                assert name in declared
