"""The models of klynge_pages by name, for the modules that the models
themselves import (forms, permissions, querysets, cluster_documents, the
workflow): looked up in Django's app registry when called, so that the
import graph has no cycle and no module imports the models inside a
function."""

from django.apps import apps


def model(name):
    """The model `name` of klynge_pages, e.g. model("ClusterPage")."""
    return apps.get_model("klynge_pages", name)
