"""``fileshare``: the terminal client for Fileshare (sign in, upload, list, share, download).

Never deployed and never imports the Lambda code: it speaks only the HTTP API
(``schemas/api/openapi.yaml``), Cognito and presigned S3 URLs. ``fileshare local`` is the local
stack's command (``devstack.cli``), imported only when it runs.
"""
