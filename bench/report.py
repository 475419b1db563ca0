"""The results table (plain text for the terminal, Markdown for bench/results/)."""

COLUMNS = [
    ("dataset", "dataset"),
    ("scenario", "scenario"),
    ("server", "served by"),
    ("rps", "req/s"),
    ("p50_ms", "p50 ms"),
    ("p99_ms", "p99 ms"),
    ("queries", "SQL/req"),
    ("redis", "Redis/req"),
    ("status", "status"),
    ("vs_rest", "vs REST v2"),
    ("vs_static", "vs static"),
]


def _cell(key, value):
    if value is None:
        return "–"
    if key == "rps":
        return f"{value:,.0f}"
    if key in ("p50_ms", "p99_ms"):
        return f"{value:.1f}" if value < 100 else f"{value:.0f}"
    if key in ("vs_rest", "vs_static"):
        return f"{value:.2f}×" if value >= 0.1 else f"{value:.2g}×"
    return str(value)


def rows_as_cells(rows):
    return [[_cell(key, row.get(key)) for key, _title in COLUMNS] for row in rows]


def text_table(rows):
    header = [title for _key, title in COLUMNS]
    cells = rows_as_cells(rows)
    widths = [max(len(str(line[i])) for line in [header, *cells]) for i in range(len(header))]
    numeric = {
        i for i, (key, _t) in enumerate(COLUMNS) if key not in ("dataset", "scenario", "server", "status")
    }

    def fmt(line):
        return "  ".join(
            str(v).rjust(widths[i]) if i in numeric else str(v).ljust(widths[i]) for i, v in enumerate(line)
        )

    return "\n".join([fmt(header), fmt(["-" * w for w in widths]), *(fmt(line) for line in cells)])


def markdown_table(rows):
    header = [title for _key, title in COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(line) + " |" for line in rows_as_cells(rows)]
    return "\n".join(lines)


def add_ratios(rows):
    """GraphQL rows get req/s ratios against REST v2 and the static file of the same scenario."""
    by = {(r["dataset"], r["scenario"], r["server"]): r for r in rows}
    for row in rows:
        if not row["server"].startswith("GraphQL"):
            continue
        rest = by.get((row["dataset"], row["scenario"], "REST v2"))
        static = by.get((row["dataset"], row["scenario"], "static file"))
        row["vs_rest"] = row["rps"] / rest["rps"] if rest and rest["rps"] else None
        row["vs_static"] = row["rps"] / static["rps"] if static and static["rps"] else None
    return rows
