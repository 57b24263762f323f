"""What the bench scripts' reports share; their Python here-documents import it (they run at the
repository's root): `from bench.report import every_round, publish`."""


def every_round(rows, columns):
    """A line per row, "- NAME: label x, x, ...; label x, ...": the figure of every round, not just the
    median, so a reader sees how far the rounds spread. columns: (key, label, format spec) in order."""
    return [f"- {name}: " + "; ".join(f"{label} {', '.join(format(x, spec) for x in r[key])}"
                                      for key, label, spec in columns)
            for name, r in rows.items()]


def publish(out, lines):
    """Writes the report's lines to the Markdown file out and prints them."""
    text = "\n".join(lines) + "\n"
    open(out, "w").write(text)
    print(text)
