"""AI-Barometer: the logic behind the Snakemake workflow.

One module per pipeline stage (``ingest``, ``clean``, ``estimate``, ...) plus
small shared helpers. Rules call ``python -m aibarometer.<stage>``; every stage
turns bad input into an :class:`aibarometer.errors.InputError` with a message a
researcher can act on.
"""

#: The release (semantic versioning; CHANGELOG.md). pyproject.toml reads it from here, and
#: the report's colophon prints it: bumping it reruns the report.
__version__ = "1.0.0"
