"""Reading text: sentences, dates, time named in questions, vocabulary, figures, answer kinds.

Pure functions over strings (NLTK Punkt for sentences, shipped inside llama-index); no store,
no embedder.
"""
