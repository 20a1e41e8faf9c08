"""gunicorn settings, read from the working directory by every `gunicorn` run of the project (`make serve`).

The command line still sets the bind address and the workers; this file only hides the server's name and
version: gunicorn writes `Server: gunicorn` on every response, and there is no setting for it.
"""

from gunicorn.http import wsgi

wsgi.SERVER = "InterviewPrep"
