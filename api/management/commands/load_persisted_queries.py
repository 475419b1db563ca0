"""`python manage.py load_persisted_queries path.json …`: a frontend build's operations, for the allowlist."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.graphql.manifests import ManifestError, Operation, Refused, read_manifest, store


class Command(BaseCommand):
    help = (
        "Load the operations a frontend build lists (graphql-codegen's persisted-documents.json or "
        "Apollo's persisted-query-manifest.json): with GRAPHQL_PERSISTED_QUERIES=allowlist, the only "
        "ones that run. Every document is checked against the schema and the query limits first; if "
        "one is refused, nothing is loaded and the command fails. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("manifests", nargs="+", metavar="path.json", help="manifest files to load")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="also remove the loaded operations that none of these manifests lists",
        )
        parser.add_argument("--check", action="store_true", help="check the manifests, load nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        operations: dict[str, Operation] = {}
        refused: list[str] = []
        for path in options["manifests"]:
            found, problems = self._read(path)
            operations.update((operation.sha256_hash, operation) for operation in found)
            refused += [f"{path}: {problem.where}: {problem.reason}" for problem in problems]
        if refused:
            for line in refused:
                self.stderr.write(f"  refused {line}")
            raise CommandError(f"{len(refused)} operation(s) refused; nothing was loaded.")
        if options["check"]:
            self.stdout.write(self.style.SUCCESS(f"{len(operations)} operation(s) checked; nothing loaded."))
            return
        sources = ", ".join(Path(path).name for path in options["manifests"])
        stored = store(
            operations.values(), replace=options["replace"], source=f"{sources} (load_persisted_queries)"
        )
        new, known, removed = stored.added, stored.known, stored.removed
        for operation in new:
            self.stdout.write(f"  added {operation.operation_name or '(anonymous)'} {operation.sha256_hash}")
        summary = f"{len(operations)} operation(s) listed: {len(new)} added, {len(known)} already loaded"
        if options["replace"]:
            summary += f", {len(removed)} removed"
        self.stdout.write(self.style.SUCCESS(summary + "."))

    @staticmethod
    def _read(path: str) -> tuple[list[Operation], list[Refused]]:
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from None
        try:
            return read_manifest(raw)
        except ManifestError as exc:
            raise CommandError(f"{path}: {exc}") from None
