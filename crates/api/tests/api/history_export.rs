//! The signed history export: JSON and a printable page, verified offline with the published key;
//! a changed file or a tampered database does not pass; checkpoints stored as signed files.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};

use crate::helpers::{Backend, Options, TestApp, User, fixtures, pdf_text, spawn_app_with};
use crate::history_chain::edit_past_the_triggers;

on_both_databases!(
    the_history_exports_signed_and_verifies_offline,
    a_changed_export_or_a_tampered_history_does_not_verify,
);

macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await;
                }
            }
        )*
    };
}

on_both_backends!(
    checkpoints_are_stored_as_signed_files,
    the_key_file_is_made_once_and_kept,
);

async fn public_key(app: &TestApp) -> String {
    let key: Value = app
        .get("/api/v1/history/signing-key", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(key["algorithm"], "Ed25519");
    key["public_key"].as_str().unwrap().to_owned()
}

/// A complaint the resident filed and the company accepted.
async fn story(app: &TestApp) -> Value {
    let (building, category, _) = fixtures(app).await;
    let (resident, company) = (
        User::new(app, "resident").await,
        User::new(app, "company").await,
    );
    let created = resident
        .file(&building, &category, "Течёт крыша над пятым этажом")
        .await;
    company
        .ok(&created["complaint"], json!({ "type": "accept" }))
        .await
}

async fn export(user: &User<'_>, c: &Value) -> (String, Value) {
    let id = c["id"].as_str().unwrap();
    let response = user
        .get(&format!("/api/v1/complaints/{id}/history/export"))
        .await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.contains(&format!("filename=\"history-{id}.json\"")),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''history-%D0%A1"),
        "the number in UTF-8: {disposition}"
    );
    let text = response.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap();
    (text, value)
}

async fn the_history_exports_signed_and_verifies_offline(app: TestApp) {
    let c = story(&app).await;
    let id = c["id"].as_str().unwrap();
    let (resident, company, other_company, clerk, admin) = (
        User::new(&app, "resident").await,
        User::new(&app, "company").await,
        User::new(&app, "company2").await,
        User::new(&app, "clerk").await,
        User::new(&app, "admin").await,
    );
    let key = public_key(&app).await;

    // The resident's own copy: their phone in full, the chain as the proof endpoint shows it.
    let (text, file) = export(&resident, &c).await;
    let doc = &file["document"];
    assert_eq!(doc["format"], "dispatch.history-export.v1");
    assert_eq!(doc["signer"]["public_key"], key.as_str());
    assert_eq!(file["signature"]["public_key"], key.as_str());
    assert_eq!(doc["complaint"]["number"], c["number"]);
    assert_eq!(doc["complaint"]["applicant"]["masked"], false);
    assert_eq!(doc["complaint"]["applicant"]["phone"], "+79220000001");
    let proof = resident
        .get_json(&format!("/api/v1/complaints/{id}/history/proof"))
        .await;
    assert_eq!(doc["head"], proof["head"]);
    assert_eq!(doc["events"].as_array().unwrap().len(), 2);
    assert_eq!(doc["events"][1]["prev_hash"], doc["events"][0]["hash"]);
    assert!(doc["checkpoint"].is_null());
    let report = api::history::verify_export(&text, Some(&key)).unwrap();
    assert!(report.contains("2 events, chain verified"), "{report}");
    assert!(report.ends_with("OK\n"), "{report}");

    // The company's copy: the applicant masked as the company sees them.
    let (_, file) = export(&company, &c).await;
    let applicant = &file["document"]["complaint"]["applicant"];
    assert_eq!(applicant["masked"], true);
    assert!(applicant["name"].is_null());
    assert_eq!(applicant["phone"], "+7 *** ***-**-01");
    assert!(!file.to_string().contains("+79220000001"), "no full phone");

    // Foreign objects answer 404; no token, 401.
    let path = format!("/api/v1/complaints/{id}/history/export");
    for outsider in [&other_company, &clerk] {
        assert_eq!(outsider.get(&path).await.status(), 404);
        assert_eq!(outsider.get(&format!("{path}.html")).await.status(), 404);
    }
    assert_eq!(app.get(&path, None).await.status(), 401);
    assert_eq!(
        company.get(&format!("{path}?reason=ok")).await.status(),
        422
    );

    // After the day's checkpoint the export carries the inclusion proof, and it verifies.
    let tomorrow = Utc::now() + TimeDelta::days(1);
    let made = api::history::checkpoint(&app.state, tomorrow)
        .await
        .unwrap()
        .expect("a checkpoint");
    let (text, file) = export(&admin, &c).await;
    let checkpoint = &file["document"]["checkpoint"];
    assert_eq!(checkpoint["root"], made.root.to_hex());
    assert_eq!(checkpoint["included"], true);
    let report = api::history::verify_export(&text, Some(&key)).unwrap();
    assert!(
        report.contains(&format!("included in checkpoint {}", made.day)),
        "{report}"
    );

    // The printable page: the final hash and the signature, in Russian.
    let page = admin.get(&format!("{path}.html")).await;
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("Выписка из истории обращения"));
    assert!(html.contains(file["document"]["head"].as_str().unwrap()));
    assert!(html.contains(&key));
    assert!(html.contains("Итоговый хеш цепочки"));

    // Staff exports are in the audit log; the resident's own copy is not.
    let log = admin
        .get_json(&format!(
            "/api/v1/admin/audit-log?action=export_history&complaint_id={id}"
        ))
        .await;
    let roles: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["actor_role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["admin", "admin", "company"], "newest first");

    // The printable PDF: the same document, its text read back with pdftotext.
    for outsider in [&other_company, &clerk] {
        assert_eq!(outsider.get(&format!("{path}.pdf")).await.status(), 404);
    }
    assert_eq!(app.get(&format!("{path}.pdf"), None).await.status(), 401);
    let response = admin.get(&format!("{path}.pdf")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let pdf = pdf_text(&response.bytes().await.unwrap());
    let doc = &file["document"];
    for expected in [
        "ВЫПИСКА ИЗ ИСТОРИИ ОБРАЩЕНИЯ",
        doc["complaint"]["number"].as_str().unwrap(),
        doc["complaint"]["category"].as_str().unwrap(),
        doc["complaint"]["address"].as_str().unwrap(),
        "Жалоба зарегистрирована",
        "Принята в работу",
        "ИТОГОВЫЙ ХЕШ ЦЕПОЧКИ",
        doc["head"].as_str().unwrap(),
        doc["events"][1]["hash"].as_str().unwrap(),
        doc["signer"]["key_id"].as_str().unwrap(),
        "Идентификатор ключа",
        "Подпись",
    ] {
        assert!(pdf.contains(expected), "{expected:?} missing from:\n{pdf}");
    }
    // The resident's own PDF shows their phone; the company's shows it masked.
    let own = pdf_text(
        &resident
            .get(&format!("{path}.pdf"))
            .await
            .bytes()
            .await
            .unwrap(),
    );
    assert!(own.contains("+79220000001"), "{own}");
    let theirs = pdf_text(
        &company
            .get(&format!("{path}.pdf"))
            .await
            .bytes()
            .await
            .unwrap(),
    );
    assert!(theirs.contains("+7 *** ***-**-01"), "{theirs}");
    assert!(!theirs.contains("+79220000001"), "{theirs}");
    let log = admin
        .get_json(&format!(
            "/api/v1/admin/audit-log?action=export_history&complaint_id={id}"
        ))
        .await;
    assert_eq!(log["items"].as_array().unwrap().len(), 5, "{log}");
}

async fn a_changed_export_or_a_tampered_history_does_not_verify(app: TestApp) {
    let c = story(&app).await;
    let resident = User::new(&app, "resident").await;
    let key = public_key(&app).await;
    let (_, file) = export(&resident, &c).await;

    // Any change to the file after signing.
    for (pointer, value) in [
        ("/document/events/1/kind", json!("reject")),
        ("/document/head", json!("0".repeat(64))),
        ("/document/complaint/applicant/phone", json!("+79990000000")),
    ] {
        let mut changed = file.clone();
        *changed.pointer_mut(pointer).unwrap() = value;
        let err = api::history::verify_export(&changed.to_string(), Some(&key)).unwrap_err();
        assert!(err.contains("signature does not match"), "{pointer}: {err}");
    }
    // A file signed by another server (another key) is not this server's.
    let other = spawn_app_with(app.backend, Options::default()).await;
    let other_key = public_key(&other).await;
    assert_ne!(other_key, key);
    let err = api::history::verify_export(&file.to_string(), Some(&other_key)).unwrap_err();
    assert!(err.contains("signed with key"), "{err}");
    assert!(api::history::verify_export("not json", None).is_err());
    assert!(api::history::verify_export(&file.to_string(), Some("zz")).is_err());

    // An event edited in the database past the triggers: the server refuses to sign the history.
    let event_id = file["document"]["events"][0]["event_id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    edit_past_the_triggers(&app, event_id).await;
    let id = c["id"].as_str().unwrap();
    let response = resident
        .get(&format!("/api/v1/complaints/{id}/history/export"))
        .await;
    assert_eq!(response.status(), 409);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["code"], "action_not_possible");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains(&event_id.to_string()),
        "{problem}"
    );
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dispatch-{name}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn checkpoints_are_stored_as_signed_files(backend: Backend) {
    let dir = temp_dir("checkpoints");
    let app = spawn_app_with(
        backend,
        Options {
            env: vec![("APP_CHECKPOINT_DIR", dir.display().to_string())],
            ..Options::default()
        },
    )
    .await;
    story(&app).await;
    let key = public_key(&app).await;
    let tomorrow = Utc::now() + TimeDelta::days(1);
    let made = api::history::checkpoint(&app.state, tomorrow)
        .await
        .unwrap()
        .expect("a checkpoint");
    let path = dir.join(format!("checkpoint-{}.json", made.day));
    let text = std::fs::read_to_string(&path).expect("the signed checkpoint file");
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["document"]["format"], "dispatch.checkpoint.v1");
    assert_eq!(file["document"]["root"], made.root.to_hex());
    let report = api::history::verify_export(&text, Some(&key)).unwrap();
    assert!(report.contains(&made.root.to_hex()), "{report}");

    // A changed root does not verify.
    let mut changed = file.clone();
    changed["document"]["root"] = json!("1".repeat(64));
    assert!(api::history::verify_export(&changed.to_string(), Some(&key)).is_err());

    // Lost (or never written): the next pass writes it again; an existing file is left alone.
    std::fs::remove_file(&path).unwrap();
    assert!(
        api::history::checkpoint(&app.state, tomorrow)
            .await
            .unwrap()
            .is_none()
    );
    let again = std::fs::read_to_string(&path).expect("written again");
    let again: Value = serde_json::from_str(&again).unwrap();
    assert_eq!(again["document"]["root"], made.root.to_hex());
    std::fs::remove_dir_all(&dir).unwrap();
}

async fn the_key_file_is_made_once_and_kept(backend: Backend) {
    let dir = temp_dir("key");
    let path = dir.join("history.key");
    let options = || Options {
        env: vec![("APP_HISTORY_KEY_FILE", path.display().to_string())],
        ..Options::default()
    };
    let first = spawn_app_with(backend, options()).await;
    let key = public_key(&first).await;
    let seed = std::fs::read_to_string(&path).expect("the key file is made");
    assert_eq!(seed.trim().len(), 64);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by its owner only");
    }
    // Another start (another replica) signs with the same key.
    let second = spawn_app_with(backend, options()).await;
    assert_eq!(public_key(&second).await, key);
    // APP_HISTORY_KEY wins, and a key file that is not a key stops the start with a message.
    std::fs::write(&path, "not a key").unwrap();
    let config = api::config::Config::from_lookup(|name| match name {
        "APP_DEMO" => Some("true".to_owned()),
        "APP_HISTORY_KEY_FILE" => Some(path.display().to_string()),
        _ => None,
    })
    .unwrap();
    let err = api::signing::load(&config).unwrap_err();
    assert!(err.contains("not an Ed25519 seed"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
