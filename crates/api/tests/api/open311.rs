//! Open311 GeoReport v2 under /open311/v2: discovery, services and requests in JSON and XML,
//! filing with a ТОС office's API key by lat/long, address_id and address_string, reading back
//! anonymised, and every refusal as a GeoReport error with its status.

use serde_json::{Value, json};

use crate::helpers::{TestApp, User, fixtures};

on_both_databases!(
    discovery_and_services_in_json_and_xml,
    a_tos_key_files_by_location_and_reads_back_anonymised,
    refusals_are_georeport_errors,
);

/// A new API key of the organisation of the demo user `role`, with `scopes`.
async fn key_of(app: &TestApp, role: &str, scopes: Value) -> String {
    let admin = User::new(app, "admin").await;
    let staff = User::new(app, role).await;
    let organisation = staff.get_json("/api/v1/me").await["organisation"]["id"].clone();
    let response = admin
        .post(
            "/api/v1/admin/api-keys",
            &json!({ "name": format!("{role} open311"), "organisation_id": organisation, "scopes": scopes }),
        )
        .await;
    assert_eq!(response.status(), 201);
    response.json::<Value>().await.unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let response = app.get(path, None).await;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, response.text().await.unwrap())
}

async fn get_json(app: &TestApp, path: &str) -> Value {
    let (status, content_type, body) = get(app, path).await;
    assert_eq!(status, 200, "GET {path}: {body}");
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    serde_json::from_str(&body).unwrap()
}

async fn post(app: &TestApp, format: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = app
        .client
        .post(app.url(&format!("/open311/v2/requests.{format}")))
        .form(form)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// The one error of a GeoReport JSON error list, checked to have `status` as its code.
fn error_of(status: u16, body: &str) -> String {
    let errors: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("{body}"));
    assert_eq!(errors[0]["code"], status, "{body}");
    errors[0]["description"].as_str().unwrap().to_owned()
}

async fn discovery_and_services_in_json_and_xml(app: TestApp) {
    let discovery = get_json(&app, "/open311/v2/discovery.json").await;
    assert_eq!(
        discovery["endpoints"][0]["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    assert_eq!(
        discovery["endpoints"][0]["formats"],
        json!(["text/xml", "application/json"])
    );
    let (status, content_type, xml) = get(&app, "/open311/v2/discovery.xml").await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/xml"), "{content_type}");
    assert!(xml.contains("<discovery><changeset>"), "{xml}");
    assert!(
        xml.contains(
            "<formats><format>text/xml</format><format>application/json</format></formats>"
        ),
        "{xml}"
    );

    let categories = app
        .get("/api/v1/categories", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let services = get_json(&app, "/open311/v2/services.json").await;
    let services = services.as_array().unwrap();
    assert_eq!(services.len(), categories.as_array().unwrap().len());
    let first = &categories[0];
    let service = services
        .iter()
        .find(|s| s["service_code"] == first["code"])
        .unwrap();
    assert_eq!(service["service_name"], first["name_ru"]);
    assert_eq!(service["metadata"], false);
    assert_eq!(service["type"], "realtime");
    assert!(service["group"] == "Аварийные" || service["group"] == "Плановые");
    assert!(service["keywords"].is_string() && service["description"].is_string());

    let (status, _, xml) = get(&app, "/open311/v2/services.xml").await;
    assert_eq!(status, 200);
    let code = first["code"].as_str().unwrap();
    assert!(
        xml.contains(&format!("<service><service_code>{code}</service_code>")),
        "{xml}"
    );
    assert!(
        xml.contains("<metadata>false</metadata><type>realtime</type>"),
        "{xml}"
    );

    let definition = get_json(&app, &format!("/open311/v2/services/{code}.json")).await;
    assert_eq!(
        definition,
        json!({ "service_code": code, "attributes": [] })
    );
    let (_, _, xml) = get(&app, &format!("/open311/v2/services/{code}.xml")).await;
    assert!(xml.contains(&format!("<service_definition><service_code>{code}</service_code><attributes/></service_definition>")), "{xml}");

    let (status, _, body) = get(&app, "/open311/v2/services/no_such_thing.json").await;
    assert_eq!(status, 404);
    assert!(error_of(404, &body).contains("service_code"));
    let (status, content_type, body) = get(&app, "/open311/v2/services/no_such_thing.xml").await;
    assert_eq!(status, 404);
    assert!(content_type.starts_with("text/xml"));
    assert!(
        body.contains("<errors><error><code>404</code><description>"),
        "{body}"
    );
    let (status, _, body) = get(&app, "/open311/v2/services.yaml").await;
    assert_eq!(status, 400);
    assert!(error_of(400, &body).contains(".json or .xml"));
}

async fn a_tos_key_files_by_location_and_reads_back_anonymised(app: TestApp) {
    let (building_id, category_id, _) = fixtures(&app).await;
    let buildings = app
        .get("/api/v1/buildings?limit=50", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let building = buildings
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["id"] == building_id.as_str())
        .cloned()
        .unwrap();
    let categories = app
        .get("/api/v1/categories", None)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let code = categories
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == category_id.as_str())
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = key_of(&app, "clerk", json!(["complaints:file"])).await;

    // By lat/long, about 5 m from the building.
    let lat = (building["latitude"].as_f64().unwrap() + 0.00005).to_string();
    let long = building["longitude"].as_f64().unwrap().to_string();
    let (status, body) = post(
        &app,
        "json",
        &[
            ("api_key", &key),
            ("service_code", &code),
            ("lat", &lat),
            ("long", &long),
            ("first_name", "Пётр"),
            ("last_name", "Сидоров"),
            ("phone", "+7 922 765-43-21"),
            ("email", "petr@example.test"),
            ("description", "Течёт кран в квартире 45 у Сидорова"),
        ],
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    let number = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let token = created[0]["token"].as_str().unwrap().to_owned();
    assert!(number.starts_with("СУР-"), "{number}");

    // The complaint is the clerk-intake kind: the applicant, the consent version, a PIN.
    let dispatcher = User::new(&app, "dispatcher").await;
    let stored = dispatcher
        .get_json(&format!("/api/v1/complaints?q={}", number))
        .await["items"][0]
        .clone();
    assert_eq!(stored["building"]["id"], building_id.as_str());
    assert_eq!(stored["status"], "registered");
    assert!(
        stored["description"]
            .as_str()
            .unwrap()
            .contains("E-mail: petr@example.test")
    );

    // Read back: one request, anonymised.
    let one = get_json(&app, &format!("/open311/v2/requests/{number}.json")).await;
    let request = &one[0];
    assert_eq!(request["service_request_id"], number.as_str());
    assert_eq!(request["status"], "open");
    assert_eq!(request["service_code"], code.as_str());
    assert_eq!(request["address"], building["address"]);
    assert_eq!(request["address_id"], building_id.as_str());
    assert_eq!(request["agency_responsible"], stored["company"]["name"]);
    assert!(request["expected_datetime"].is_string());
    assert!(
        request["requested_datetime"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    assert!(request["lat"].is_number() && request["long"].is_number());
    assert!(request.get("media_url").is_none());
    assert!(request.get("service_notice").is_none(), "not test data");
    let text = one.to_string();
    for secret in [
        "Сидоров",
        "Пётр",
        "765-43-21",
        "79227654321",
        "квартир",
        "кран",
        "petr@",
    ] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    let (status, _, xml) = get(&app, &format!("/open311/v2/requests/{number}.xml")).await;
    assert_eq!(status, 200);
    assert!(xml.contains(&format!("<service_requests><request><service_request_id>{number}</service_request_id><status>open</status>")), "{xml}");
    for secret in ["Сидоров", "765-43", "кран"] {
        assert!(!xml.contains(secret), "{secret} leaked: {xml}");
    }

    // The token resolves to the number.
    let resolved = get_json(&app, &format!("/open311/v2/tokens/{token}.json")).await;
    assert_eq!(
        resolved,
        json!([{ "service_request_id": number, "token": token }])
    );

    // By address_id and by address_string (in XML).
    let (status, body) = post(
        &app,
        "json",
        &[
            ("api_key", &key),
            ("service_code", &code),
            ("address_id", &building_id),
            ("first_name", "Анна"),
        ],
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let second: Value = serde_json::from_str(&body).unwrap();
    let second = second[0]["service_request_id"].as_str().unwrap().to_owned();
    let address = building["address"].as_str().unwrap();
    let (status, body) = post(
        &app,
        "xml",
        &[
            ("api_key", &key),
            ("service_code", &code),
            ("address_string", address),
            ("last_name", "Иванова"),
        ],
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert!(
        body.contains("<service_requests><request><service_request_id>СУР-"),
        "{body}"
    );

    // By numbers, by service and status.
    let both = get_json(
        &app,
        &format!("/open311/v2/requests.json?service_request_id={number},{second}"),
    )
    .await;
    assert_eq!(both.as_array().unwrap().len(), 2);
    let listed = get_json(
        &app,
        &format!("/open311/v2/requests.json?service_code={code}&status=open"),
    )
    .await;
    let numbers: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["service_request_id"].as_str().unwrap())
        .collect();
    assert!(numbers.contains(&number.as_str()) && numbers.contains(&second.as_str()));
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["service_code"] == code.as_str() && r["status"] == "open")
    );
    let closed = get_json(&app, "/open311/v2/requests.json?status=closed").await;
    assert!(
        closed
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "closed")
    );
    let old = get_json(
        &app,
        "/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z",
    )
    .await;
    assert_eq!(old, json!([]));
    let (status, _, xml) = get(&app, "/open311/v2/requests.xml").await;
    assert_eq!(status, 200);
    assert!(xml.contains(&number), "{xml}");
}

async fn refusals_are_georeport_errors(app: TestApp) {
    let (building_id, _, _) = fixtures(&app).await;
    let code = app
        .get("/api/v1/categories", None)
        .await
        .json::<Value>()
        .await
        .unwrap()[0]["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let key = key_of(&app, "clerk", json!(["complaints:file"])).await;
    let company_key = key_of(
        &app,
        "company",
        json!(["complaints:read", "complaints:work"]),
    )
    .await;
    let base = |key: &str| {
        vec![
            ("api_key".to_owned(), key.to_owned()),
            ("service_code".to_owned(), code.clone()),
            ("address_id".to_owned(), building_id.clone()),
            ("first_name".to_owned(), "Пётр".to_owned()),
        ]
    };
    let send = |form: Vec<(String, String)>| {
        let app = &app;
        async move {
            let form: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post(app, "json", &form).await
        }
    };
    let without = |form: Vec<(String, String)>, name: &str| {
        form.into_iter()
            .filter(|(k, _)| k != name)
            .collect::<Vec<_>>()
    };
    let with = |mut form: Vec<(String, String)>, name: &str, value: &str| {
        form.retain(|(k, _)| k != name);
        form.push((name.to_owned(), value.to_owned()));
        form
    };

    let (status, body) = send(without(base(&key), "api_key")).await;
    assert_eq!(status, 403);
    assert!(error_of(403, &body).contains("api_key"));
    let (status, body) = send(base("dk_00000000000000000000000000000000_nope")).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = send(base(&company_key)).await;
    assert_eq!(status, 403, "a company's key may not file: {body}");
    let (status, body) = send(with(base(&key), "service_code", "no_such_service")).await;
    assert_eq!(status, 404);
    assert!(error_of(404, &body).contains("service_code"));
    let far = with(
        with(without(base(&key), "address_id"), "lat", "0.0"),
        "long",
        "0.0",
    );
    let (status, body) = send(far).await;
    assert_eq!(status, 400);
    assert!(
        error_of(400, &body).contains("no registered building within 150 m"),
        "{body}"
    );
    let (status, body) = send(with(without(base(&key), "address_id"), "lat", "61.25")).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = send(without(base(&key), "address_id")).await;
    assert_eq!(status, 400);
    assert!(error_of(400, &body).contains("location"));
    let (status, body) = send(with(base(&key), "lat", "north")).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = send(without(base(&key), "first_name")).await;
    assert_eq!(status, 400);
    assert!(
        error_of(400, &body).contains("first_name/last_name"),
        "{body}"
    );
    let (status, body) = send(with(base(&key), "phone", "12")).await;
    assert_eq!(status, 400);
    assert!(error_of(400, &body).starts_with("phone"), "{body}");
    let (status, body) = send(with(base(&key), "address_string", "нет такого адреса")).await;
    assert_eq!(status, 201, "address_id wins over address_string: {body}");

    // Queries.
    for (query, what) in [
        (
            "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
            "after end_date",
        ),
        (
            "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
            "90 days",
        ),
        ("start_date=yesterday", "W3C"),
        ("status=pending", "neither open nor closed"),
    ] {
        let (status, _, body) = get(&app, &format!("/open311/v2/requests.json?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(error_of(400, &body).contains(what), "{query}: {body}");
    }
    let (status, _, body) = get(&app, "/open311/v2/requests.json?service_code=nothing").await;
    assert_eq!(status, 404, "{body}");
    let (status, content_type, body) = get(&app, "/open311/v2/requests.xml?status=pending").await;
    assert_eq!(status, 400);
    assert!(content_type.starts_with("text/xml"));
    assert!(
        body.contains("<errors><error><code>400</code><description>status:"),
        "{body}"
    );
    let (status, _, body) = get(&app, "/open311/v2/requests/СУР-1999-000001.json").await;
    assert_eq!(status, 404);
    error_of(404, &body);
    let (status, _, body) = get(&app, "/open311/v2/tokens/not-a-token.json").await;
    assert_eq!(status, 404);
    error_of(404, &body);
    // An unknown method on a known path is 405 with Allow.
    let response = app
        .client
        .delete(app.url("/open311/v2/requests.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET, POST");
}

/// In pilot (test) mode everything filed is test data: shown, and marked as such.
mod test_mode {
    use crate::helpers::{Backend, Options, spawn_app_with};

    async fn app(backend: Backend) -> crate::helpers::TestApp {
        spawn_app_with(
            backend,
            Options {
                pilot_mode: true,
                ..Options::default()
            },
        )
        .await
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::test_mode_data_is_marked(app(Backend::Sqlite).await).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::test_mode_data_is_marked(app(Backend::Postgres).await).await;
    }
}

async fn test_mode_data_is_marked(app: TestApp) {
    let (building, category, _) = fixtures(&app).await;
    let resident = User::new(&app, "resident").await;
    let number = resident
        .file(&building, &category, "Протекает крыша над кухней")
        .await["complaint"]["number"]
        .as_str()
        .unwrap()
        .to_owned();
    let discovery = get_json(&app, "/open311/v2/discovery.json").await;
    assert_eq!(discovery["endpoints"][0]["type"], "test");
    let one = get_json(&app, &format!("/open311/v2/requests/{number}.json")).await;
    assert!(
        one[0]["service_notice"]
            .as_str()
            .unwrap()
            .starts_with("Тестовые данные GeoReport"),
        "{one}"
    );
    let (_, _, xml) = get(&app, &format!("/open311/v2/requests/{number}.xml")).await;
    assert!(
        xml.contains("<service_notice>Тестовые данные GeoReport"),
        "{xml}"
    );
}
