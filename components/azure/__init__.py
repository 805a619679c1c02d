"""Azure components, one per file. Importing this package loads no Pulumi SDK; import the module you need
(`aiinfra.components.azure.gpu_cluster`, ...). `rules` holds the pure facts and helpers they share."""
