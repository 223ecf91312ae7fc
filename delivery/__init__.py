"""Taking the system from the repository to AWS: stages, the front end's upload, teardown, build
reports and the API reference. Run by the Makefile and the deploy workflows; never deployed."""
