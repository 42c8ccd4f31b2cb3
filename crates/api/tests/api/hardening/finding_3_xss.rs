//! Finding 3: stored XSS on the public map. The map now passes text to Leaflet (the e2e story
//! `public-xss` shows it); here, the second wall: no page of the service lets an inline script or
//! handler run.
use crate::helpers::TestApp;

on_both_databases!(finding_3_csp_forbids_inline_script);

fn script_src(policy: &str) -> String {
    policy
        .split(';')
        .map(str::trim)
        .find(|directive| directive.starts_with("script-src"))
        .unwrap_or_else(|| panic!("no script-src in {policy}"))
        .to_owned()
}

async fn finding_3_csp_forbids_inline_script(app: TestApp) {
    // The SPA's entry (any unknown page falls back to it), the API and the docs.
    for path in ["/", "/map", "/api/v1/public/complaints", "/docs/"] {
        let response = app.get(path, None).await;
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let scripts = script_src(&policy);
        assert!(
            !scripts.contains("'unsafe-inline'") && !scripts.contains("'unsafe-eval'"),
            "{path}: {scripts}"
        );
        assert!(policy.contains("object-src 'none'"), "{path}: {policy}");
    }
}
