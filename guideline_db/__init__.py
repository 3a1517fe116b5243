"""abc-mdt core: the guideline database, the case model and the evaluation engine (never imports Qt)."""

__version__ = "0.1.0"
