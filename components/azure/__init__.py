"""Azure components, one per file (Pulumi SDKs load only when a module is imported)."""
