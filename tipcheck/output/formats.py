"""The names of the output formats, in one place (the CLI's ``--output-format``, the config's
``output-format`` and tipcheck.output.render all take them from here)."""

FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github")
# The formats meant for people: the CLI prints the summary lines and fix notes after these only.
HUMAN_FORMATS = ("full", "concise")
