import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.config.settings")
application = get_wsgi_application()
# What is loaded by now lives as long as the worker: moved out of the garbage collector's
# reach, so a request that builds thousands of objects (the live board's 5,000 rows) does not
# also pay for walking every module, model and setting at each full collection.
gc.freeze()
