"""The workflow engine and one declarative definition per permit kind (issue: PKKPR)."""
