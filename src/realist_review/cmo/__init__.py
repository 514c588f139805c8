"""CMO extraction: sentence roles, candidate configurations and programme-theory tags.

One module per concern: :mod:`.sentences` (splitting, offsets, sections), :mod:`.lexicon`
(label-free role scores), :mod:`.model` (scikit-learn model trained on confirmed labels),
:mod:`.configurations` (linking roles), :mod:`.theory` (programme-theory areas, relevance),
:mod:`.documents` (inputs), :mod:`.suggest` (the ``cmo suggest`` stage), :mod:`.evaluate`
(gold annotations and benchmark measures) and :mod:`.cli`.
"""
