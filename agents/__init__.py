"""Stage cores and their thin Faust agents.

Each sub-package owns one stage. Modules other than ``agent.py`` are pure Python: they never import
faust, aiokafka or ``streams``, so the offline ``newsstream process`` and the workers run the same code.
"""
