"""GCP components, one per file. Importing this package loads no Pulumi SDK; import the module you need
(`aiinfra.components.gcp.gpu_node_pool`, ...). `rules` holds the pure facts and helpers they share."""
