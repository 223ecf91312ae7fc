"""The one place that creates the logger, tracer and metrics; settings come from POWERTOOLS_* env."""

import warnings

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
# Every AWS call is a subsegment (botocore); nothing else is called, so nothing else is patched:
# Powertools' default patches every library X-Ray knows that is installed, importing each (requests
# alone is ~15 ms of cold start) and wrapping http.client under botocore's own calls.
tracer = Tracer(patch_modules=("botocore",))
metrics = Metrics()
# Most invocations count nothing (an upload admitted, an answer read), and Powertools warns on stderr
# at each such flush; its documentation's way of saying that an empty flush is expected:
warnings.filterwarnings("ignore", "No application metrics to publish*")
