"""vlmgraph: a knowledge graph of vision-language models."""

__version__ = "0.1.0"
