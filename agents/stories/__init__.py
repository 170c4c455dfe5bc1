"""Story clustering core: assigns tagged articles to story clusters and reports their lifecycle.

Pure Python (no Faust/Kafka imports); the agent in ``agent.py`` feeds it and publishes its events.
"""

from agents.stories.core import (
    CLUSTERING_KEY,
    EntityCount,
    EntityRef,
    StoryClusterer,
    StoryEvent,
    StoryInput,
    story_id_for,
)
from agents.stories.options import StoryOptions

__all__ = [
    "CLUSTERING_KEY",
    "EntityCount",
    "EntityRef",
    "StoryClusterer",
    "StoryEvent",
    "StoryInput",
    "StoryOptions",
    "story_id_for",
]
