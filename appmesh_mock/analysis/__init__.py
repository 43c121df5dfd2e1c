"""What a mesh of the mock's state does: the methods `MockAppMesh` gets from here."""
