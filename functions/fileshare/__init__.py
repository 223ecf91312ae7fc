"""Fileshare: the one package deployed as every Lambda's code.

``core`` holds pure logic and small AWS adapters, ``api`` the read-only HTTP handlers and
``workflow`` the Step Functions task handlers.

In a Lambda runtime (``_HANDLER`` is set, by Lambda and by the local stack's runner) the garbage
collector is off while the handler's module is imported: an import makes objects that live as long
as the process, so each collection during it walked boto3's, Powertools' and the X-Ray SDK's
growing heap for nothing, about a tenth of ``import boto3``'s time. Every handler module ends with
``init_complete()``, which moves what the import made out of all later collections
(``gc.freeze``) and turns the collector back on for the invocations.
"""

import gc
import os

PAUSED_FOR_INIT = bool(os.environ.get("_HANDLER")) and gc.isenabled()
if PAUSED_FOR_INIT:
    gc.disable()


def init_complete() -> None:
    """The handler's module is imported: freeze what it made and collect again from here on."""
    if PAUSED_FOR_INIT and not gc.isenabled():
        gc.freeze()
        gc.enable()
