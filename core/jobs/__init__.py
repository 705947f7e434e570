"""The job queue (Dramatiq on Redis): see `core.jobs.queue`."""
