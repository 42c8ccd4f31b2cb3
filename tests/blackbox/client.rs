//! The client the story uses: GET, POST with an Idempotency-Key, and transitions with If-Match.

use serde_json::{Value, json};

/// One signed-in user of the running binary.
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    pub async fn sign_in(base: &str, login: &str) -> Self {
        let http = reqwest::Client::new();
        let body: Value = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({ "login": login, "password": "demo2026" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = body["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{login} signs in: {body}"))
            .to_owned();
        Self {
            http,
            base: base.to_owned(),
            token,
        }
    }

    pub async fn get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    pub async fn post(&self, path: &str, body: Value, status: u16) -> Value {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .header("idempotency-key", uuid::Uuid::new_v4().to_string())
            .json(&body)
            .send()
            .await
            .unwrap();
        let got = response.status().as_u16();
        let value: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(got, status, "POST {path} {body}: {value}");
        value
    }

    /// A transition with the complaint's version as If-Match; returns the new complaint.
    pub async fn act(&self, complaint: &Value, action: Value) -> Value {
        let id = complaint["id"].as_str().unwrap();
        let response = self
            .http
            .post(format!("{}/api/v1/complaints/{id}/transitions", self.base))
            .bearer_auth(&self.token)
            .header("if-match", format!("\"{}\"", complaint["version"]))
            .json(&action)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let value: Value = response.json().await.unwrap();
        assert_eq!(status, 200, "{action}: {value}");
        value
    }
}
