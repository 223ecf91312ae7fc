"""The one place that creates the logger, tracer and metrics; settings come from POWERTOOLS_* env."""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()
