"""The results table (plain text for the terminal, Markdown for bench/results/)."""

CACHED = "GraphQL cached"
# The same cached GET from the same server, settings and data without the response cache's fast
# path (bench/no_fast_path.py): the answer comes from the response cache inside Django.
NO_FAST_PATH = "GraphQL cached, no fast path"

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


def fast_path_gains(rows):
    """Per dataset and scenario with both rows: req/s and p50 with and without the fast path, and
    the req/s ratio with / without."""
    by = {(r["dataset"], r["scenario"], r["server"]): r for r in rows}
    gains = []
    for row in rows:
        if row["server"] != CACHED:
            continue
        plain = by.get((row["dataset"], row["scenario"], NO_FAST_PATH))
        if plain is None:
            continue
        gains.append(
            {
                "dataset": row["dataset"],
                "scenario": row["scenario"],
                "rps_with": row["rps"],
                "rps_without": plain["rps"],
                "p50_with": row["p50_ms"],
                "p50_without": plain["p50_ms"],
                "ratio": row["rps"] / plain["rps"] if plain["rps"] else None,
            }
        )
    return gains


FAST_PATH_COLUMNS = [
    ("dataset", "dataset"),
    ("scenario", "scenario"),
    ("rps_with", "req/s with"),
    ("rps_without", "req/s without"),
    ("p50_with", "p50 ms with"),
    ("p50_without", "p50 ms without"),
    ("ratio", "with / without"),
]


def _gain_cells(gain):
    cells = []
    for key, _title in FAST_PATH_COLUMNS:
        value = gain[key]
        if value is None:
            cells.append("–")
        elif key.startswith("rps"):
            cells.append(f"{value:,.0f}")
        elif key.startswith("p50"):
            cells.append(_cell("p50_ms", value))
        elif key == "ratio":
            cells.append(f"{value:.2f}×")
        else:
            cells.append(str(value))
    return cells


def fast_path_text(gains):
    header = [title for _key, title in FAST_PATH_COLUMNS]
    cells = [_gain_cells(gain) for gain in gains]
    widths = [max(len(line[i]) for line in [header, *cells]) for i in range(len(header))]
    lines = [header, ["-" * w for w in widths], *cells]
    return "\n".join(
        "  ".join(v.ljust(widths[i]) if i < 2 else v.rjust(widths[i]) for i, v in enumerate(line))
        for line in lines
    )


def fast_path_markdown(gains):
    header = [title for _key, title in FAST_PATH_COLUMNS]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(_gain_cells(gain)) + " |" for gain in gains]
    return "\n".join(lines)
