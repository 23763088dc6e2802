"""The OpenAPI document at /api/v1/openapi.json describes every endpoint."""

import json

PATHS = {
    "/api/v1/accounts/me": "get",
    "/api/v1/regions/": "get",
    "/api/v1/regions/{code}": "get",
    "/api/v1/regions/{code}/children": "get",
    "/api/v1/regions/{code}/progress": "get",
    "/api/v1/audit/events": "get",
    "/api/v1/audit/verify": "get",
    "/api/v1/jobs/{job_id}": "get",
    "/api/v1/jobs/{job_id}/result": "get",
}


def test_the_openapi_document_lists_every_endpoint(client, db):
    # when anyone fetches the schema (it holds no data)
    response = client.get("/api/v1/openapi.json")
    # then it is an OpenAPI 3 document
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "GreenCommunity API"
    # listing every endpoint
    for path, method in PATHS.items():
        assert method in schema["paths"].get(path, {}), path
    # each of them behind authentication: session, Bearer token or X-API-Token
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"http", "apiKey"}
    for path in PATHS:
        assert schema["paths"][path]["get"]["security"], path


def test_operation_ids_are_unique(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
