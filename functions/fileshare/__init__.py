"""Fileshare: the one package deployed as every Lambda's code.

``core`` holds pure logic and small AWS adapters, ``api`` the read-only HTTP handlers and
``workflow`` the Step Functions task handlers.
"""
