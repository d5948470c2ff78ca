"""Documents made from stored data (the visitor's PDF export)."""
