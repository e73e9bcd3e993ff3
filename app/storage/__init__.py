"""Storage of uploaded and generated files outside any public folder."""
