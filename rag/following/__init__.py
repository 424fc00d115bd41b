"""Following a story: topics that keep their briefing versions and say what changed.

`Topics(folder)` keeps the topics (`topics`); `refresh(assistant, topics, topic)` rebuilds a
topic's briefing when articles it admits arrived and says what changed (`refresh`,
`changes`).
"""

from rag.following.refresh import Refreshed, refresh
from rag.following.topics import Topic, Topics

__all__ = ["Refreshed", "Topic", "Topics", "refresh"]
