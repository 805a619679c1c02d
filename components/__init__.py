"""Pulumi ComponentResources per cloud (`aws/`, later `gcp/` and `azure/`), one component per file.

This package's top level imports no Pulumi SDK: `capabilities` is plain data the spec validator reads.
`aiinfra.components.stack.build_stack` is the entry point the Pulumi program calls.
"""
