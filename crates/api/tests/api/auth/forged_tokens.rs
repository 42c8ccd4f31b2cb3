//! Forged, expired and misdirected JWTs are refused.

use super::{me, problem, refresh, sign_in, text};
use crate::helpers::{DEMO_PASSWORD, SECRET, TestApp};
use serde_json::{Value, json};

on_both_databases!(forged_tokens_are_refused);

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn claims(sub: &str, iss: &str, aud: &str, exp: i64) -> Value {
    let now = chrono::Utc::now().timestamp();
    json!({
        "sub": sub, "role": "admin", "iss": iss, "aud": aud, "iat": now, "exp": exp,
        "jti": uuid::Uuid::new_v4(), "typ": "access"
    })
}

fn sign(algorithm: jsonwebtoken::Algorithm, secret: &str, claims: &Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(algorithm),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

async fn forged_tokens_are_refused(app: TestApp) {
    use jsonwebtoken::Algorithm::{HS256, HS384};
    let session = sign_in(&app, "resident@demo.test", DEMO_PASSWORD).await;
    let genuine = text(&session, "access_token");
    let sub = session["user"]["id"].as_str().unwrap().to_owned();
    assert_eq!(me(&app, &genuine).await.status(), 200);
    let in_ten_minutes = chrono::Utc::now().timestamp() + 600;
    let aud = api::auth::AUDIENCE;
    // The control: a token built here with the right key, issuer and audience is accepted.
    let control = sign(
        HS256,
        SECRET,
        &claims(&sub, "dispatch", aud, in_ten_minutes),
    );
    assert_eq!(me(&app, &control).await.status(), 200);

    let alg_none = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims(&sub, "dispatch", aud, in_ten_minutes)
            .to_string()
            .as_bytes())
    );
    let other_key = sign(
        HS256,
        "another-secret-0123456789abcdef-0123456789",
        &claims(&sub, "dispatch", aud, in_ten_minutes),
    );
    let other_algorithm = sign(
        HS384,
        SECRET,
        &claims(&sub, "dispatch", aud, in_ten_minutes),
    );
    let tampered = {
        let parts: Vec<&str> = genuine.split('.').collect();
        let mut payload: Value = serde_json::from_slice(
            &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, parts[1])
                .unwrap(),
        )
        .unwrap();
        payload["role"] = json!("admin");
        format!(
            "{}.{}.{}",
            parts[0],
            b64(payload.to_string().as_bytes()),
            parts[2]
        )
    };
    let expired = sign(
        HS256,
        SECRET,
        &claims(&sub, "dispatch", aud, chrono::Utc::now().timestamp() - 1),
    );
    let wrong_aud = sign(
        HS256,
        SECRET,
        &claims(&sub, "dispatch", "someone-else", in_ten_minutes),
    );
    let wrong_iss = sign(HS256, SECRET, &claims(&sub, "evil", aud, in_ten_minutes));
    let refresh_token = text(&session, "refresh_token");
    for (name, token) in [
        ("alg none", alg_none),
        ("HS256 with another key", other_key),
        ("HS384 with the right key", other_algorithm),
        ("tampered payload", tampered),
        ("expired", expired),
        ("wrong audience", wrong_aud),
        ("wrong issuer", wrong_iss),
        ("refresh token as bearer", refresh_token.clone()),
    ] {
        let (status, code, _) = problem(me(&app, &token).await).await;
        assert_eq!((status, code.as_str()), (401, "invalid_token"), "{name}");
        let (status, _, _) = problem(app.get("/api/v1/admin/users", Some(&token)).await).await;
        assert_eq!(status, 401, "{name}");
    }
    // The refresh token itself still works where it belongs.
    assert_eq!(refresh(&app, &refresh_token).await.status(), 200);
}
