"""SI joint pain chatbot: answers only from the articles in corpus/, quoted and cited.

Stages, each importing only those before it:
documents -> sentences -> chunks -> embeddings -> store/indexer -> lexical/retrieval
-> safety (red flags, disclaimer) -> scope -> followup -> answer -> bot -> cli / app.py
"""

__version__ = "1.0.0"
