"""The routing rules of the configurations a mesh migrates to, one module per target."""
