"""The services the CLI calls: plan a stack, estimate a stack, a program or an engine document, with its
usage. They raise typed errors (`aiinfra.engine.errors`) that `cli/errors.py` maps to exit codes, and sit
above `estimate` and `policy` in the layers (they compose the plan and the estimate)."""
