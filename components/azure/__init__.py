"""Azure components, one per file; importing this package loads no Pulumi SDK."""
