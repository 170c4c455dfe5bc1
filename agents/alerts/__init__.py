"""Alerting: user rules evaluated on story events, firing once per story per rule and escalation level.

``rules`` parses and validates the YAML rules file (and reloads it on change); ``core.AlertEngine``
evaluates them over a small key-value store; ``conditions`` decides what holds and how escalation is
measured; ``state`` and ``burst`` keep the store bounded.
"""

from agents.alerts.core import AlertEngine, alert_id
from agents.alerts.rules import BurstSpec, ReloadingRules, Rule, RuleSet
from agents.alerts.views import Alert, AlertOptions, ArticleView, StoryView

__all__ = [
    "Alert",
    "AlertEngine",
    "AlertOptions",
    "ArticleView",
    "BurstSpec",
    "ReloadingRules",
    "Rule",
    "RuleSet",
    "StoryView",
    "alert_id",
]
