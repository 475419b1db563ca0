"""What can be checked of the container files without a Docker engine, and the entrypoint for real."""

import json
import re
import shlex
import shutil
import subprocess

import pytest
import yaml

from tests.ops.conftest import BIN, ROOT, make_serve_command, production_env, requires_postgres

DOCKERFILE = (ROOT / "docker" / "Dockerfile").read_text()
ENTRYPOINT = ROOT / "docker" / "entrypoint.sh"
COMPOSE = ROOT / "docker" / "compose.yaml"
ENV_EXAMPLE = ROOT / "docker" / ".env.example"


def dockerfile_instruction(name):
    """The JSON-array arguments of the last `name` instruction (CMD, ENTRYPOINT…)."""
    joined = DOCKERFILE.replace("\\\n", " ")
    values = re.findall(rf"^{name}\s+(\[.*\])\s*$", joined, flags=re.MULTILINE)
    assert values, f"no exec-form {name} in the Dockerfile"
    return json.loads(values[-1])


def test_image_runs_the_entrypoint_then_the_server_as_make_serve_does():
    command, words = make_serve_command()
    assert command[1:] == ["docker/serve.py"]
    assert dockerfile_instruction("CMD") == ["python", "docker/serve.py"]
    assert dockerfile_instruction("ENTRYPOINT") == ["docker/entrypoint.sh"]
    # The same settings module as `make serve`.
    assert "DJANGO_SETTINGS_MODULE=cms.settings.production" in words
    assert "DJANGO_SETTINGS_MODULE=cms.settings.production" in DOCKERFILE
    # The entrypoint hands over to the command, and docker/serve.py execs Granian, so the
    # server is PID 1 and gets the signals.
    assert 'exec "$@"' in ENTRYPOINT.read_text()
    assert "os.execv(" in (ROOT / "docker" / "serve.py").read_text()
    assert not (ROOT / "docker" / "gunicorn.conf.py").exists()


def test_dockerfile_shape():
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", DOCKERFILE, flags=re.MULTILINE)
    assert [stage for _, stage in stages] == ["builder", "runtime"]
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in DOCKERFILE
    # The runtime lock only, hash-checked: no test, benchmark or lint tools in the image, and no
    # installer left in its venv.
    assert "COPY requirements/runtime.txt /tmp/runtime.txt" in DOCKERFILE
    assert "pip install --no-deps --require-hashes -r /tmp/runtime.txt" in DOCKERFILE
    assert "pip uninstall --yes pip setuptools" in DOCKERFILE
    assert "requirements/dev.txt" not in DOCKERFILE
    assert "--upgrade" not in DOCKERFILE
    assert "COPY --from=builder /opt/venv /opt/venv" in DOCKERFILE
    users = re.findall(r"^USER\s+(\S+)", DOCKERFILE, flags=re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert re.search(r"^EXPOSE 8000$", DOCKERFILE, flags=re.MULTILINE)
    healthcheck = re.search(r"^HEALTHCHECK.*$", DOCKERFILE.replace("\\\n", " "), flags=re.M).group(0)
    assert "/healthz" in healthcheck and "urllib.request" in healthcheck
    assert "collectstatic --noinput" in DOCKERFILE


def test_collectstatic_step_of_the_image_works_with_its_dummy_values(tmp_path):
    """The build's collectstatic, with the Dockerfile's own build-time values."""
    step = re.search(r"^RUN (SECRET_KEY=.*?collectstatic[^&]*)", DOCKERFILE.replace("\\\n", " "), re.M)
    assignments = dict(word.split("=", 1) for word in shlex.split(step.group(1)) if "=" in word)
    assert set(assignments) == {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    env = production_env(**assignments, STATIC_ROOT=str(tmp_path / "static"))
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'build.sqlite3'}"  # the image's /tmp path, here
    subprocess.run(  # noqa: S603
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    hashed = manifest["wagtailadmin/css/core.css"]
    assert hashed != "wagtailadmin/css/core.css"
    assert (tmp_path / "static" / f"{hashed}.gz").exists()


def test_compose_file():
    compose = yaml.safe_load(COMPOSE.read_text())
    services = compose["services"]
    assert {"app", "worker", "db", "redis", "scheduler"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert "media" in compose["volumes"]
    for name in ("app", "worker", "scheduler"):
        service = services[name]
        assert service["env_file"] == ".env"
        assert "media:/app/media" in service["volumes"]
        assert service["build"]["dockerfile"] == "docker/Dockerfile"
    # Scalable: no fixed host port (only a container port, or a host port range).
    for port in services["app"].get("ports", []):
        host = str(port).rsplit(":", 1)[0] if ":" in str(port) else ""
        assert host == "" or "-" in host, port
    command = services["scheduler"]["command"]
    command = command if isinstance(command, str) else " ".join(command)
    assert command == "python manage.py run_scheduler --interval 60"
    # The worker: the app's image, settings and environment, running the tasks it queues.
    assert services["worker"]["image"] == services["app"]["image"]
    assert services["worker"]["environment"] == services["app"]["environment"]
    assert services["worker"]["command"] == ["python", "manage.py", "db_worker", "--backend", "webhooks"]


def test_make_worker_runs_the_compose_worker_command_with_production_settings():
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^worker:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE).group(1)
    words = shlex.split(recipe.strip())
    assert words[0] == "DJANGO_SETTINGS_MODULE=cms.settings.production"
    assert words[words.index("$(PY)") + 1 :] == ["manage.py", "db_worker", "--backend", "webhooks"]


def test_entrypoint_is_valid_shell():
    assert ENTRYPOINT.stat().st_mode & 0o111, "docker/entrypoint.sh must be executable"
    subprocess.run(["bash", "-n", str(ENTRYPOINT)], check=True)  # noqa: S603, S607
    if shutil.which("dash"):
        subprocess.run(["dash", "-n", str(ENTRYPOINT)], check=True)  # noqa: S603, S607 (it is #!/bin/sh)


def env_example_names():
    names = re.findall(r"^#?\s*([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), flags=re.MULTILINE)
    assert len(names) == len(set(names)), "a variable is listed twice in docker/.env.example"
    return names


def test_every_variable_in_env_example_is_read():
    readers = [*ROOT.glob("cms/**/*.py"), ROOT / "docker" / "serve.py", ENTRYPOINT, COMPOSE]
    text = "\n".join(path.read_text() for path in readers)
    names = env_example_names()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "AWS_STORAGE_BUCKET_NAME"} <= set(names)
    unread = [name for name in names if not re.search(rf"""["'{{$]{name}\b""", text)]
    assert not unread, f"in docker/.env.example but read nowhere: {unread}"


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".env", "docker/.env", "db.sqlite3", "/media"):
        assert entry in ignored


# --- The entrypoint's steps, for real ---------------------------------------------------------------


def run_entrypoint(env, *command, timeout=300):
    return subprocess.run(  # noqa: S603
        [str(ENTRYPOINT), *command],
        cwd="/",  # the script finds the project itself
        env={**env, "PYTHON": str(BIN / "python")},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_entrypoint_gives_up_on_an_unreachable_database(tmp_path):
    marker = tmp_path / "ran"
    env = production_env(
        DATABASE_URL="postgres://nobody@127.0.0.1:9/psg",  # the discard port: refused at once
        DB_WAIT_ATTEMPTS="2",
    )
    result = run_entrypoint(env, "touch", str(marker), timeout=120)
    assert result.returncode == 1, result
    assert "did not answer after 2 attempts" in result.stderr
    assert not marker.exists()


@requires_postgres
@pytest.mark.django_db(transaction=True)  # makes pytest-django create the migrated test database
def test_entrypoint_waits_migrates_then_runs_the_command(postgres, migrated_template):
    # A copy of the migrated test database with Wagtail's last embeds migration undone, so
    # `migrate` has real work to do (migrating from nothing takes over a minute).
    name, url = postgres.create("psg_entrypoint", template=migrated_template)
    column = (
        "SELECT count(*) FROM information_schema.columns"
        " WHERE table_name = 'wagtailembeds_embed' AND column_name = 'cache_until'"
    )
    with postgres.connect(name) as connection:
        connection.execute("ALTER TABLE wagtailembeds_embed DROP COLUMN cache_until")
        connection.execute(
            "DELETE FROM django_migrations WHERE app = 'wagtailembeds' AND name = '0009_embed_cache_until'"
        )
    result = run_entrypoint(production_env(DATABASE_URL=url), "sh", "-c", "echo started; exit 3")
    # The command's exit status and output come through, after the migration.
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Applying wagtailembeds.0009_embed_cache_until... OK" in result.stdout, result.stdout
    assert result.stdout.strip().splitlines()[-1] == "started"
    with postgres.connect(name) as connection:
        assert connection.execute(column).fetchone()[0] == 1
        # Then the editors' groups, with what they may do (setup_workflows).
        editors_may = (
            "SELECT p.codename FROM auth_group g JOIN auth_group_permissions gp ON gp.group_id = g.id"
            " JOIN auth_permission p ON p.id = gp.permission_id WHERE g.name = 'Editors'"
        )
        assert {"add_venue", "add_topic"} <= {row[0] for row in connection.execute(editors_may)}
    assert "Group “Moderators”" in result.stdout
    # Again: nothing left to migrate; and with MIGRATE_ON_START=false, no migrate at all.
    result = run_entrypoint(production_env(DATABASE_URL=url), "true")
    assert result.returncode == 0 and "No migrations to apply" in result.stdout, result
    result = run_entrypoint(production_env(DATABASE_URL=url, MIGRATE_ON_START="false"), "true")
    assert result.returncode == 0 and "not migrating" in result.stderr, result
