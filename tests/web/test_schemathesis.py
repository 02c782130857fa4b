"""No input ever yields a 500: schemathesis generates requests from the
hand-written OpenAPI file (valid and invalid ones) and checks every response
against it; hypothesis fuzzes raw query strings of the API and the search page.
Runs in-process over WSGI against the real index, with bounded examples."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from search_app.web.api import openapi_spec

FAST = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


EXAMPLES = {"/api/ask": 4}  # answering retrieves and reads ~100 passages per call

# Negative cases only exist for operations that take parameters.
CASES = [
    (path, method.upper(), mode)
    for path, methods in openapi_spec()["paths"].items()
    for method, operation in methods.items()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode == GenerationMode.POSITIVE or operation.get("parameters")
]


@pytest.fixture(scope="session")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


@pytest.mark.parametrize(("path", "method", "mode"), CASES)
def test_api_conforms_to_openapi_and_never_fails(api_schema, path, method, mode):
    """Server errors, undocumented status codes, wrong content types, bodies not
    matching the schema, and invalid input accepted with a 2xx all fail."""
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(FAST, max_examples=EXAMPLES.get(path, FAST.max_examples))
    def check(case):
        case.call_and_validate(
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
                negative_data_rejection,
            ]
        )

    check()


TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=600)
RAW = st.binary(max_size=300)


@given(q=TEXT, mode=st.sampled_from(["keyword", "hybrid", "dense", "x"]), k=TEXT)
@FAST
def test_any_search_parameters_get_200_or_a_swedish_400(app, q, mode, k):
    response = app.test_client().get(
        f"/api/search?q={quote(q)}&mode={quote(mode)}&k={quote(k)}"
    )
    assert response.status_code in (200, 400), response.get_data(as_text=True)
    body = response.get_json()
    if response.status_code == 400:
        assert set(body) == {"error", "detail"}
    else:
        assert body["total"] >= len(body["results"])


@given(raw=RAW)
@FAST
def test_raw_query_strings_never_break_api_or_page(app, raw):
    client = app.test_client()
    for path in ("/api/search", "/"):
        response = client.get(path, environ_overrides={"QUERY_STRING": raw.decode("latin-1")})
        assert response.status_code in (200, 400), (path, raw)


@given(q=TEXT)
@settings(FAST, max_examples=4)
def test_any_question_gets_an_answer_or_a_400(app, q):
    response = app.test_client().get(f"/api/ask?q={quote(q)}")
    assert response.status_code in (200, 400)
    body = response.get_json()
    assert ("found" in body) if response.status_code == 200 else set(body) == {"error", "detail"}


@given(
    q=TEXT,
    sida=st.integers(-3, 120).map(str) | TEXT,
    region=st.sampled_from(["", "Region Värmland"]) | TEXT,
    mode=st.sampled_from(["", "keyword"]) | TEXT,
)
@FAST
def test_any_search_page_parameters_get_200_or_400(app, q, sida, region, mode):
    params = f"q={quote(q)}&sida={quote(sida)}&region={quote(region)}&mode={quote(mode)}"
    response = app.test_client().get("/?" + params)
    assert response.status_code in (200, 400)
    assert response.mimetype == "text/html"
