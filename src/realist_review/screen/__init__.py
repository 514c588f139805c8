"""Title/abstract screening: ranking model, stopping rule, simulation, sheets and decisions.

Modules are imported by name (``realist_review.screen.model``, ``.stopping``, ``.simulate``,
...); this package file stays free of imports so that each stage loads only what it needs.
"""
