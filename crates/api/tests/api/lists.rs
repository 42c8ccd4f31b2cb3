//! Every list answers the same fault the same way: a `limit` out of range is 400 `invalid_query`
//! whichever list it is sent to.

use crate::helpers::TestApp;

on_both_databases!(a_limit_out_of_range_is_one_status_on_every_list);

async fn a_limit_out_of_range_is_one_status_on_every_list(app: TestApp) {
    let resident = app.login_as("resident").await;
    let admin = app.login_as("admin").await;
    let lists = [
        ("/api/v1/complaints", Some(&resident)),
        ("/api/v1/notifications", Some(&resident)),
        ("/api/v1/buildings?q=ленина", None),
        ("/api/v1/public/complaints", None),
        ("/api/v1/admin/users", Some(&admin)),
        ("/api/v1/admin/organisations", Some(&admin)),
        ("/api/v1/admin/buildings", Some(&admin)),
        ("/api/v1/admin/categories", Some(&admin)),
    ];
    for (path, token) in lists {
        let separator = if path.contains('?') { '&' } else { '?' };
        for limit in ["0", "100000", "-1", "ten"] {
            let url = format!("{path}{separator}limit={limit}");
            let response = app.get(&url, token.map(String::as_str)).await;
            assert_eq!(response.status(), 400, "{url}");
            let problem: serde_json::Value = response.json().await.unwrap();
            assert_eq!(problem["code"], "invalid_query", "{url}: {problem}");
        }
    }
}
