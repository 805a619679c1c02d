"""Pulumi ComponentResources per cloud (`aws/`, later `gcp/` and `azure/`), one component per file.

What each cloud cannot build, and where its components start, is in its profile (`aiinfra.clouds`).
`aiinfra.components.stack.build_stack` is the entry point the Pulumi program calls.
"""
