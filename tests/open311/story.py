"""Open311 GeoReport v2 against the real binary, as a civic app meets it.

The third-party `georeport` client (PyPI) lists the services and their definitions and reads
requests back, in JSON and in XML. It cannot file (it has no POST), so the request is filed with
`requests`, as a form with a ТОС office's API key. The story then goes on through the JSON API (the
company accepts and reports done, the city dispatcher records a satisfied call) until the request
reads `closed`. Every XML answer validates against the XSD shapes in xsd/.

Usage: story.py <base url> <xsd dir>
"""

import json
import sys

import requests
import xmlschema
from georeport import GeoReport

base, xsd_dir = sys.argv[1].rstrip("/"), sys.argv[2]
root = f"{base}/open311/v2"
schemas = {
    name: xmlschema.XMLSchema(f"{xsd_dir}/{name}.xsd")
    for name in ["discovery", "services", "service_definition", "service_requests", "errors"]
}
checked = []


def xml(path, schema, status=200, method="GET", data=None):
    """GETs (or POSTs) an XML answer, checks its status and validates it against `schema`."""
    response = requests.request(method, f"{root}/{path}", data=data, timeout=30)
    assert response.status_code == status, (path, response.status_code, response.text)
    assert response.headers["content-type"].startswith("text/xml"), response.headers
    schemas[schema].validate(response.content)
    checked.append(f"{method} {path} → {status} valid {schema}.xsd")
    return response.text


def api(method, path, token=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if token:
        headers["authorization"] = f"Bearer {token}"
    response = requests.request(method, f"{base}/api/v1{path}", headers=headers, timeout=30, **kwargs)
    assert response.status_code < 300, (method, path, response.status_code, response.text)
    return response.json()


def login(role):
    return api("POST", "/auth/login", json={"login": f"{role}@demo.test", "password": "demo2026"})[
        "access_token"
    ]


# A ТОС office's key, with the file scope, issued by the administrator.
admin = login("admin")
tos = api("GET", "/admin/organisations?kind=tos_office", admin)["items"][0]
key = api(
    "POST",
    "/admin/api-keys",
    admin,
    json={"name": "civic app", "organisation_id": tos["id"], "scopes": ["complaints:file"]},
)["key"]

# Discovery and services, through the client in both formats.
xml("discovery.xml", "discovery")
client = GeoReport(root, api_key=key)
client_xml = GeoReport(root, api_key=key, output_format="xml")
services = client.get_service_list()
assert services and all(s["metadata"] is False and s["type"] == "realtime" for s in services), services
services_xml = client_xml.get_service_list()
assert [s["service_code"] for s in services_xml] == [s["service_code"] for s in services]
xml("services.xml", "services")
company = login("company")
company_org = api("GET", "/me", company)["organisation"]["id"]
building = next(b for b in api("GET", "/buildings?limit=50") if b["company_id"] == company_org)
service = next(s for s in services if s["group"] == "Плановые")
code = service["service_code"]
assert client.get_service_definition(code) == {"service_code": code, "attributes": []}
assert client_xml.get_service_definition(code)["service_code"] == code
xml(f"services/{code}.xml", "service_definition")
print(f"open311: {len(services)} services listed by the georeport client (JSON and XML)")

# File a request by location, with the key (a form, as GeoReport has it).
filed = requests.post(
    f"{root}/requests.json",
    data={
        "api_key": key,
        "service_code": code,
        "lat": building["latitude"],
        "long": building["longitude"],
        "first_name": "Мария",
        "last_name": "Кузнецова",
        "phone": "+7 922 111-22-33",
        "description": "Не работает домофон в квартире 17, Кузнецова",
    },
    timeout=30,
)
assert filed.status_code == 201, filed.text
answer = filed.json()[0]
number, token = answer["service_request_id"], answer["token"]
print(f"open311: filed {number} with the ТОС key")
xml(f"tokens/{token}.xml", "service_requests")
assert requests.get(f"{root}/tokens/{token}.json", timeout=30).json()[0]["service_request_id"] == number
filed_xml = xml(
    "requests.xml",
    "service_requests",
    status=201,
    method="POST",
    data={"api_key": key, "service_code": code, "address_id": building["id"], "first_name": "Олег"},
)
assert "<service_request_id>" in filed_xml

# Read it back through the client: open, anonymised.
request = client.get_service_request(number)
assert request["status"] == "open", request
assert request["address"] == building["address"] and request["address_id"] == building["id"]
assert request["service_code"] == code and request["agency_responsible"], request
text = json.dumps(request, ensure_ascii=False)
for secret in ["Кузнецова", "Мария", "111-22-33", "79221112233", "квартир", "домофон"]:
    assert secret not in text, (secret, text)
assert client_xml.get_service_request(number)["status"] == "open"
xml(f"requests/{number}.xml", "service_requests")
xml("requests.xml?status=open", "service_requests")
assert number in [r["service_request_id"] for r in client.get_service_requests(service_code=code, status="open")]

# The story, through the JSON API: accept, done, a satisfied call.
dispatcher = login("dispatcher")


def complaint():
    return api("GET", f"/complaints?q={number}", dispatcher)["items"][0]


def act(token, action):
    c = complaint()
    api("POST", f"/complaints/{c['id']}/transitions", token, json=action, headers={"if-match": f"\"{c['version']}\""})


act(company, {"type": "accept"})
assert client.get_service_request(number)["status"] == "open"
act(company, {"type": "report_done", "note": "Заменили блок питания домофона"})
act(dispatcher, {"type": "record_call", "outcome": "satisfied"})
closed = client.get_service_request(number)
assert closed["status"] == "closed", closed
assert client_xml.get_service_request(number)["status"] == "closed"
assert number in [r["service_request_id"] for r in client.get_service_requests(status="closed")]
assert number not in [r["service_request_id"] for r in client.get_service_requests(status="open")]
print(f"open311: {number} reads closed after accept, report_done and a satisfied call")

# Errors, in GeoReport's own format.
xml("services/no_such_service.xml", "errors", status=404)
xml("requests.xml?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", "errors", status=400)
xml("requests.xml", "errors", status=403, method="POST", data={"service_code": code})
xml(
    "requests.xml",
    "errors",
    status=400,
    method="POST",
    data={"api_key": key, "service_code": code, "lat": "0", "long": "0", "first_name": "Олег"},
)
bad = requests.get(f"{root}/requests.json?status=pending", timeout=30)
assert bad.status_code == 400 and bad.json()[0]["code"] == 400, bad.text
# Odd forms with a valid key: every one is refused or filed, never a server error.
odd = ["", " ", "0", "-1", "1e309", "nan", "NaN", "Infinity", "999", "-91", "x" * 5000, "💥", "%00", "null",
       "61.25", "73.39", building["id"], "2026-13-45T00:00:00Z"]
fields = ["service_code", "lat", "long", "address_string", "address_id", "first_name", "last_name",
          "phone", "email", "description", "media_url"]
for i, field in enumerate(fields * 3):
    form = {"api_key": key, "service_code": code, "address_id": building["id"], "first_name": "Олег"}
    form[field] = odd[(i * 7) % len(odd)]
    for fmt in ["json", "xml"]:
        r = requests.post(f"{root}/requests.{fmt}", data=form, timeout=30)
        assert r.status_code < 500, (form, r.status_code, r.text)
for query in ["start_date=0001-01-01T00:00:00Z", "end_date=9999-12-31T23:59:59Z", "start_date=9999-12-31T23:59:59Z",
              "service_request_id=" + ",".join(["x"] * 101), "status=open,closed,open", "service_code=,,,"]:
    r = requests.get(f"{root}/requests.json?{query}", timeout=30)
    assert r.status_code < 500, (query, r.status_code, r.text)
print("open311: odd forms and queries are refused or served, never a server error")
for line in checked:
    print(f"open311: {line}")
print(f"open311: ok ({len(checked)} XML answers valid)")
