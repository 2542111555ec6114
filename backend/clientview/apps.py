from django.apps import AppConfig


class ClientViewConfig(AppConfig):
    name = "backend.clientview"
    label = "clientview"
    verbose_name = "Client view: what a client contact reads in the portal"
