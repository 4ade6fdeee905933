"""The OParl 1.1 object types as the specification defines them, for the
conformance checks in test_oparl*.py.

Written from the specification's text (OParl 1.1, 20.06.2018: chapter 2.4
"JSON-Ausgabe" for the data types and null values, 2.5 for lists, 2.8 for
deleted objects, 3.1 for `id`, `type`, `created`, `modified`, and the schema
of each object type for its properties and which of them are required).
"""

import re
from datetime import datetime

SCHEMA = "https://schema.oparl.org/1.1/"

# 2.4: "yyyy-mm-ddThh:mm:ss±hh:mm" and "yyyy-mm-dd".
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL = re.compile(r"^https?://[^\s/]+/\S*$")

# Property types: "string", "url", "date", "date-time", "integer",
# "boolean", "object:Type" (an object given internally), "[...]" arrays.
COMMON = {
    "id": "url",
    "type": "string",
    "created": "date-time",
    "modified": "date-time",
    "web": "url",
    "deleted": "boolean",
    "license": "string",
    "keyword": ["string"],
}

TYPES = {
    "System": {
        "required": ["id", "type", "oparlVersion", "body"],
        "properties": {
            "oparlVersion": "string",
            "otherOparlVersions": ["url"],
            "license": "url",
            "body": "url",
            "name": "string",
            "contactEmail": "string",
            "contactName": "string",
            "website": "url",
            "vendor": "url",
            "product": "url",
        },
    },
    "Body": {
        # Schema Body: "required"; agendaItem, consultation, file,
        # locationList, legislativeTermList and membership are marked
        # "ZWINGEND" (mandatory) in their descriptions, new in 1.1.
        "required": [
            "id",
            "type",
            "name",
            "organization",
            "person",
            "meeting",
            "paper",
            "legislativeTerm",
            "agendaItem",
            "consultation",
            "file",
            "locationList",
            "legislativeTermList",
            "membership",
        ],
        "properties": {
            "system": "url",
            "shortName": "string",
            "name": "string",
            "website": "url",
            "license": "url",
            "licenseValidSince": "date-time",
            "oparlSince": "date-time",
            "ags": "string",
            "rgs": "string",
            "equivalent": ["url"],
            "contactEmail": "string",
            "contactName": "string",
            "organization": "url",
            "person": "url",
            "meeting": "url",
            "paper": "url",
            "legislativeTerm": ["object:LegislativeTerm"],
            "agendaItem": "url",
            "consultation": "url",
            "file": "url",
            "locationList": "url",
            "legislativeTermList": "url",
            "membership": "url",
            "classification": "string",
            "location": "object:Location",
            "mainOrganization": "url",
        },
    },
    "LegislativeTerm": {
        "required": ["id", "type"],
        "properties": {
            "body": "url",
            "name": "string",
            "startDate": "date",
            "endDate": "date",
        },
    },
    "Organization": {
        "required": ["id", "type"],
        "properties": {
            "body": "url",
            "name": "string",
            "membership": ["url"],
            "meeting": "url",
            "consultation": "url",
            "shortName": "string",
            "post": ["string"],
            "subOrganizationOf": "url",
            "organizationType": "string",
            "classification": "string",
            "startDate": "date",
            "endDate": "date",
            "website": "url",
            "location": "object:Location",
            "externalBody": "url",
            "memberCount": "integer",
            "votingMemberCount": "integer",
        },
    },
    "Person": {
        "required": ["id", "type"],
        "properties": {
            "body": "url",
            "name": "string",
            "familyName": "string",
            "givenName": "string",
            "formOfAddress": "string",
            "affix": "string",
            "title": ["string"],
            "gender": "string",
            "phone": ["string"],
            "email": ["string"],
            "location": "url",
            "locationObject": "object:Location",
            "status": ["string"],
            "membership": ["object:Membership"],
            "image": "object:File",
            "life": "string",
            "lifeSource": "string",
        },
    },
    "Membership": {
        "required": ["id", "type"],
        "properties": {
            "person": "url",
            "organization": "url",
            "role": "string",
            "votingRight": "boolean",
            "startDate": "date",
            "endDate": "date",
            "onBehalfOf": "url",
        },
    },
    "Meeting": {
        "required": ["id", "type"],
        "properties": {
            "name": "string",
            "meetingState": "string",
            "cancelled": "boolean",
            "start": "date-time",
            "end": "date-time",
            "location": "object:Location",
            "organization": ["url"],
            "participant": ["url"],
            "invitation": "object:File",
            "resultsProtocol": "object:File",
            "verbatimProtocol": "object:File",
            "auxiliaryFile": ["object:File"],
            "agendaItem": ["object:AgendaItem"],
        },
    },
    "AgendaItem": {
        "required": ["id", "type", "order"],
        "properties": {
            "meeting": "url",
            "number": "string",
            "order": "integer",
            "name": "string",
            "public": "boolean",
            "consultation": "url",
            "result": "string",
            "resolutionText": "string",
            "resolutionFile": "object:File",
            "auxiliaryFile": ["object:File"],
            "start": "date-time",
            "end": "date-time",
        },
    },
    "File": {
        "required": ["id", "type", "accessUrl"],
        "properties": {
            "name": "string",
            "fileName": "string",
            "mimeType": "string",
            "date": "date",
            "size": "integer",
            "sha1Checksum": "string",
            "sha512Checksum": "string",
            "text": "string",
            "accessUrl": "url",
            "downloadUrl": "url",
            "externalServiceUrl": "url",
            "masterFile": "url",
            "derivativeFile": ["url"],
            "fileLicense": "url",
            "meeting": ["url"],
            "agendaItem": ["url"],
            "person": "url",
            "paper": ["url"],
        },
    },
    "Location": {
        "required": ["id", "type"],
        "properties": {
            "description": "string",
            "geojson": "object",
            "streetAddress": "string",
            "room": "string",
            "postalCode": "string",
            "subLocality": "string",
            "locality": "string",
            "bodies": ["url"],
            "organizations": ["url"],
            "persons": ["url"],
            "meetings": ["url"],
            "papers": ["url"],
        },
    },
}

# 2.8: a deleted object keeps id, type and created, gets deleted: true and
# modified set to the time of deletion; the rest may go.
DELETED_KEYS = {"id", "type", "created", "modified", "deleted"}


def type_name(obj):
    assert obj["type"].startswith(SCHEMA), obj["type"]
    return obj["type"][len(SCHEMA) :]


def check_value(path, value, kind):
    if isinstance(kind, list):
        assert isinstance(value, list), f"{path} should be an array: {value!r}"
        for index, item in enumerate(value):
            check_value(f"{path}[{index}]", item, kind[0])
        return
    # 2.4: no null; no empty strings or arrays for optional properties.
    assert value is not None, f"{path} is null"
    if kind.startswith("object"):
        assert isinstance(value, dict), f"{path} should be an object: {value!r}"
        if ":" in kind:
            expected = kind.split(":", 1)[1]
            check_object(value, expected, embedded=True, path=path)
        return
    if kind == "integer":
        assert isinstance(value, int) and not isinstance(value, bool), path
    elif kind == "boolean":
        assert isinstance(value, bool), f"{path} should be a boolean: {value!r}"
    else:
        assert isinstance(value, str), f"{path} should be a string: {value!r}"
        assert value != "", f"{path} is an empty string"
        if kind == "url":
            assert URL.match(value), f"{path} is not an absolute URL: {value!r}"
        elif kind == "date-time":
            assert DATE_TIME.match(value), f"{path} is not a date-time: {value!r}"
            datetime.fromisoformat(value)
        elif kind == "date":
            assert DATE.match(value), f"{path} is not a date: {value!r}"


def check_object(obj, expected=None, embedded=False, path="$"):
    """Check one object against its type's schema; returns its type name."""
    name = type_name(obj)
    if expected:
        assert name == expected, f"{path}: {name} where {expected} belongs"
    assert URL.match(obj["id"]), f"{path}.id is not an absolute URL"
    # 3.1: created and modified on every object, internal ones too (1.1).
    assert "created" in obj and "modified" in obj, f"{path}: created/modified"
    if obj.get("deleted"):
        assert set(obj) == DELETED_KEYS, f"{path}: a deleted object: {sorted(obj)}"
        check_value(f"{path}.modified", obj["modified"], "date-time")
        check_value(f"{path}.created", obj["created"], "date-time")
        return name
    schema = TYPES[name]
    required = schema["required"]
    for key in required:
        assert key in obj, f"{path}: {name} lacks required {key!r}"
    properties = {**COMMON, **schema["properties"]}
    for key, value in obj.items():
        if ":" in key:
            continue  # vendor extension (chapter 3, "Herstellerspezifisch")
        assert key in properties, f"{path}: {name} has no property {key!r}"
        if key in required and isinstance(value, list):
            # 2.4: a required array is given even when empty.
            check_value(f"{path}.{key}", value, properties[key])
            continue
        check_value(f"{path}.{key}", value, properties[key])
        if isinstance(value, list):
            assert value, f"{path}.{key}: an empty optional array"
    return name


def check_list_page(page):
    """2.5: every list page has data, pagination and links."""
    assert set(page) >= {"data", "pagination", "links"}, sorted(page)
    assert isinstance(page["data"], list)
    pagination = page["pagination"]
    for key in ("totalElements", "elementsPerPage", "currentPage", "totalPages"):
        if key in pagination:
            assert isinstance(pagination[key], int), key
    for key, value in page["links"].items():
        assert key in {"first", "prev", "self", "next", "last", "web"}, key
        check_value(f"links.{key}", value, "url")
    if pagination.get("currentPage", 0) < pagination.get("totalPages", 0):
        assert "next" in page["links"], "links.next is required but on the last page"
    for obj in page["data"]:
        check_object(obj)
