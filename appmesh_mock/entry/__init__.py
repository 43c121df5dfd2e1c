"""Deprecated: the modules that were here moved to `appmesh_mock.inprocess`,
`appmesh_mock.server`, `appmesh_mock.cli` and `appmesh_mock.session`. Only the paths that were
documented still answer, with a DeprecationWarning, for one release."""
