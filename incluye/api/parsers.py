from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONObjectParser(JSONParser):
    """Every endpoint of this API takes a JSON object: anything else (a list, a number) is a 400
    here, once, rather than an error deep in a view."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError(_("Send a JSON object."))
        return data
