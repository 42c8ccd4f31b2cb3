//! What answers when no route matched: 405 with `Allow` on a documented path, a problem+json 404
//! under `/api`, and the SPA's `index.html` for any other page.

use actix_files::NamedFile;
use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;
use crate::openapi::RouteTable;
use crate::state::AppState;

pub async fn fallback(
    req: HttpRequest,
    state: web::Data<AppState>,
    routes: web::Data<RouteTable>,
) -> Result<HttpResponse, ApiError> {
    let path = req.path();
    if let Some(allow) = routes.allowed_methods(path) {
        return Err(ApiError::method_not_allowed(allow));
    }
    let is_api = path == "/api" || path.starts_with("/api/");
    if is_api || !matches!(*req.method(), Method::GET | Method::HEAD) {
        return Err(ApiError::not_found());
    }
    let web_dir = &state.config.web_dir;
    let file = single_file_name(path)
        .map(|name| web_dir.join(name))
        .filter(|candidate| candidate.is_file())
        .unwrap_or_else(|| web_dir.join("index.html"));
    let named = NamedFile::open_async(&file)
        .await
        .map_err(|_| ApiError::not_found())?;
    let mut response = named.into_response(&req);
    if file.ends_with("index.html") {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-cache"),
        );
    }
    Ok(response)
}

/// A request for a top-level file of the SPA (`/favicon.svg`), never a path that climbs out.
fn single_file_name(path: &str) -> Option<&str> {
    let name = path.strip_prefix('/')?;
    let safe = !name.is_empty()
        && !name.contains('/')
        && !name.contains('\\')
        && !name.starts_with('.')
        && name.contains('.');
    safe.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::single_file_name;

    #[test]
    fn only_plain_top_level_files_are_served() {
        assert_eq!(single_file_name("/favicon.svg"), Some("favicon.svg"));
        assert_eq!(single_file_name("/../etc/passwd"), None);
        assert_eq!(single_file_name("/.env"), None);
        assert_eq!(single_file_name("/dispatcher"), None);
        assert_eq!(single_file_name("/a/b.js"), None);
    }
}
