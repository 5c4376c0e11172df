"""Importers: read outside formats (awesome-list Markdown, Hugging Face model cards and config.json)
into vlmgraph's record models, compare them with the graph, and draft candidate records.

They sit beside the loader, not inside it: they read the graph, never write into data/, and what
they draft goes through the same validation as any curated record.
"""
