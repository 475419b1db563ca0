"""docs/frontend.md's TypeScript setup, done as a frontend team would: codegen, then `tsc --strict`.

tests/frontend_codegen/ pins the releases (package.json, package-lock.json). The test lays out a
frontend project as the guide says: the committed schema.graphql, the guide's `codegen.ts` copied
verbatim, each of its queries and its shared fragment in a `.graphql` file of its own under `src/`,
each of its variables examples typed as that operation's `<Name>QueryVariables` (or
`<Name>MutationVariables`), and its TypeScript example code. `graphql-codegen` must generate types
from them and `tsc --strict` must accept all of it, so a guide that stops working with these tools
fails here.

npm is required: locally the test is skipped without it, in CI (`CI=true`) it fails.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from graphql import parse

from tests.test_frontend_guide import FENCE_RE, FRAGMENTS, GUIDE, QUERIES, ROOT, SCHEMA_SDL

PROJECT = ROOT / "tests" / "frontend_codegen"
NODE_MODULES = PROJECT / "node_modules"
# The lock's digest, written once `npm ci` has installed it, so that later runs skip the install.
INSTALLED_STAMP = NODE_MODULES / ".psg-installed-lock"

TSCONFIG = {
    "compilerOptions": {
        "strict": True,
        "noEmit": True,
        "target": "es2022",
        "module": "esnext",
        "moduleResolution": "bundler",
        "lib": ["es2022", "dom"],
        "types": [],
        "skipLibCheck": False,
        "noUnusedLocals": False,
    },
    "include": ["src/**/*.ts"],
}

# What a bundler and the frontend's runtime provide to the guide's example code.
AMBIENT = """\
declare module "*.graphql?raw" {
  const text: string;
  export default text;
}
declare const process: { env: Record<string, string | undefined> };
"""

# Every body the guide asks for has the one type a shared block component takes.
BODIES = """\
import type * as API from "./generated/graphql";

type Body<Answer, Type> =
  Extract<NonNullable<Answer>, { __typename: Type }> extends { body: infer B } ? B : never;

export const bodies: API.BodyBlocksFragment[][] = [] as Array<
  | Body<API.NewsItemQuery["page"], "NewsPage">
  | Body<API.EventItemQuery["page"], "EventPage">
  | Body<API.StandingPageQuery["page"], "StandardPage">
  | Body<API.PreviewQuery["preview"], "NewsPage">
>;
type Present<B> = [B] extends [never] ? false : true;
export const everyBodyFound: [
  Present<Body<API.NewsItemQuery["page"], "NewsPage">>,
  Present<Body<API.EventItemQuery["page"], "EventPage">>,
  Present<Body<API.StandingPageQuery["page"], "StandardPage">>,
  Present<Body<API.PreviewQuery["preview"], "NewsPage">>,
] = [true, true, true, true];
"""


def _npm():
    npm = shutil.which("npm")
    if npm is None:
        message = "npm is not installed (Debian: apt-get install nodejs npm); .ci/run installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return npm


def _run(command, cwd, timeout):
    result = subprocess.run(  # noqa: S603 (fixed commands: npm and the locked tools)
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    output = f"$ {' '.join(map(str, command))}\n{result.stdout}\n{result.stderr}"
    assert result.returncode == 0, output[-6000:]
    return output


@pytest.fixture(scope="module")
def node_modules():
    """The locked tools, installed by `npm ci` only when the lock changed since the last install."""
    npm = _npm()
    digest = hashlib.sha256((PROJECT / "package-lock.json").read_bytes()).hexdigest()
    if not (INSTALLED_STAMP.exists() and INSTALLED_STAMP.read_text() == digest):
        _run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], PROJECT, timeout=600)
        INSTALLED_STAMP.write_text(digest)
    return NODE_MODULES


def guide_codegen_config():
    text = GUIDE.read_text(encoding="utf-8")
    (config,) = (
        body for info, body in FENCE_RE.findall(text) if info.strip() == "ts" and "CodegenConfig" in body
    )
    return config


def guide_example_code():
    text = GUIDE.read_text(encoding="utf-8")
    (code,) = (
        body
        for info, body in FENCE_RE.findall(text)
        if info.strip() == "ts" and 'from "./generated/graphql"' in body
    )
    return code


def type_name(query):
    """The name codegen gives an operation's result type: `<Name>Query` or `<Name>Mutation`."""
    (operation,) = (d for d in parse(query.text).definitions if d.kind == "operation_definition")
    return f"{query.name}{operation.operation.value.capitalize()}"


def variables_module():
    """Each variables example of the guide, typed as its query's variables."""
    lines = ['import type * as API from "./generated/graphql";', ""]
    for query in QUERIES:
        for n, example in enumerate(query.examples, start=1):
            if example.status != 200:
                continue
            value = json.dumps(example.variables or {}, ensure_ascii=False)
            name = f"{query.name[0].lower()}{query.name[1:]}{n}"
            lines.append(f"export const {name}: API.{type_name(query)}Variables = {value};")
    return "\n".join(lines) + "\n"


def lay_out_frontend(directory: Path, node_modules: Path):
    """A frontend repository as the guide describes it."""
    (directory / "node_modules").symlink_to(node_modules, target_is_directory=True)
    shutil.copy(SCHEMA_SDL, directory / "schema.graphql")
    (directory / "codegen.ts").write_text(guide_codegen_config(), encoding="utf-8")
    (directory / "tsconfig.json").write_text(json.dumps(TSCONFIG, indent=2), encoding="utf-8")
    src = directory / "src"
    (src / "queries").mkdir(parents=True)
    (src / "fragments").mkdir()
    for query in QUERIES:
        if any(example.status == 200 for example in query.examples):  # the error examples stay out
            (src / "queries" / f"{query.name}.graphql").write_text(query.text, encoding="utf-8")
    for fragment in FRAGMENTS:
        (src / "fragments" / f"{fragment.name}.graphql").write_text(fragment.text, encoding="utf-8")
    (src / "ambient.d.ts").write_text(AMBIENT, encoding="utf-8")
    (src / "variables.ts").write_text(variables_module(), encoding="utf-8")
    (src / "example.ts").write_text(guide_example_code(), encoding="utf-8")
    (src / "bodies.ts").write_text(BODIES, encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def generated(node_modules, tmp_path_factory):
    directory = tmp_path_factory.mktemp("frontend")
    src = lay_out_frontend(directory, node_modules)
    _run([node_modules / ".bin" / "graphql-codegen", "--config", "codegen.ts"], directory, timeout=300)
    return directory, (src / "generated" / "graphql.ts").read_text(encoding="utf-8")


def test_guide_types_pass_tsc_strict(generated):
    directory, _ = generated
    _run([NODE_MODULES / ".bin" / "tsc", "-p", "tsconfig.json"], directory, timeout=300)


def test_each_enum_is_declared_once(generated):
    _, types = generated
    declared = re.findall(r"^export (?:type|enum|const) (\w+)\b", types, re.MULTILINE)
    assert len(declared) == len(set(declared)), sorted(n for n in declared if declared.count(n) > 1)
    # Enums as unions of the strings that arrive in JSON, each value documented from the schema.
    assert re.search(r"^export type NewsOrder =\n(\s*/\*\*.*\*/\n)?\s*\| 'NEWEST_FIRST'", types, re.MULTILINE)
    for enum in ("EventTimeframe", "MembershipPeriod", "NewsOrder", "Status"):
        assert enum in declared, enum


def test_every_query_and_the_shared_fragment_have_types(generated):
    _, types = generated
    for query in QUERIES:
        if any(example.status == 200 for example in query.examples):
            for name in (type_name(query), f"{type_name(query)}Variables"):
                assert re.search(rf"^export type {name} =\s", types, re.MULTILINE), name
    assert re.search(r"^export type BodyBlocksFragment =\s", types, re.MULTILINE)


def test_tsc_rejects_what_the_types_forbid(generated, tmp_path):
    """The check has teeth: a wrong variable type and an unknown block type both fail to compile."""
    directory, _ = generated
    wrong = directory / "src" / "wrong.ts"
    wrong.write_text(
        'import type { NewsListQueryVariables, BodyBlocksFragment } from "./generated/graphql";\n'
        'export const v: NewsListQueryVariables = { order: "SIDEWAYS" };\n'
        'export const isTable = (b: BodyBlocksFragment) => b.__typename === "TableBlock";\n',
        encoding="utf-8",
    )
    try:
        result = subprocess.run(  # noqa: S603
            [NODE_MODULES / ".bin" / "tsc", "-p", "tsconfig.json"],
            cwd=directory,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        wrong.unlink()
    assert result.returncode != 0
    assert '"SIDEWAYS"' in result.stdout, result.stdout
    assert '"TableBlock"' in result.stdout, result.stdout


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_codegen_pointed_at_the_development_server(generated, live_server):
    """Where introspection is on, codegen can read the schema from the URL instead of the file."""
    directory, from_file = generated
    config = guide_codegen_config().replace(
        'schema: "schema.graphql"', f'schema: "{live_server.url}/graphql/"'
    )
    assert config != guide_codegen_config()
    (directory / "codegen.url.ts").write_text(
        config.replace("src/generated/graphql.ts", "src/url/graphql.ts")
    )
    try:
        _run(
            [NODE_MODULES / ".bin" / "graphql-codegen", "--config", "codegen.url.ts"], directory, timeout=300
        )
        from_url = (directory / "src" / "url" / "graphql.ts").read_text(encoding="utf-8")
    finally:
        shutil.rmtree(directory / "src" / "url", ignore_errors=True)
    assert from_url == from_file
