"""The eight wizard steps, one module per kind of step; each owns no clinical logic."""
