"""The OpenAPI schema generates without a warning (CI's deploy check fails on any), and names each kind of token."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings_and_names_both_token_kinds(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schemes = yaml.safe_load(target.read_text())["components"]["securitySchemes"]
    assert {"loginTokenAuth", "tokenAuth", "cookieAuth"} <= set(schemes)
