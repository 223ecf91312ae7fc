"""The local stack: the whole of Fileshare on one machine, moto underneath.

Not deployed. Everything about the wiring is read from ``template.yaml``; this package only adds
the small pieces moto lacks (see docs/local-stack.md).
"""
