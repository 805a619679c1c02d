"""The `infra` command-line tool (typer). Thin commands: parse, call a service, render."""
