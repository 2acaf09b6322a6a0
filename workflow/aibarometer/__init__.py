"""AI-Barometer: the logic behind the Snakemake workflow.

One module per pipeline stage (``ingest``, ``clean``, ``estimate``, ...) plus
small shared helpers. Rules call ``python -m aibarometer.<stage>``; every stage
turns bad input into an :class:`aibarometer.errors.InputError` with a message a
researcher can act on.
"""

__version__ = "0.1.0"
