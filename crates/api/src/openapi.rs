//! The OpenAPI document, and the table of documented routes that the fallback uses to answer
//! 405 with `Allow` for a known path.

use utoipa::Modify;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

use crate::error::Problem;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Виртуальная диспетчерская ЖКХ — API",
        description = "Residents' complaints about building management companies (УК): filed by residents or by ТОС clerks, \
                       routed to the company and watched by the city housing department (ДГХ), verified by phone, escalated \
                       to the municipal housing inspection, and published as per-company scorecards.\n\n\
                       Errors are `application/problem+json` (RFC 9457) with a stable `code`. Authenticate with \
                       `POST /api/v1/auth/login` and send `Authorization: Bearer <access_token>`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    servers((url = "/", description = "This server")),
    modifiers(&BearerAuth),
    components(schemas(Problem)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "meta", description = "Deployment facts"),
        (name = "auth", description = "Sign-in and the current user"),
        (name = "admin", description = "Accounts, managed by administrators"),
        (name = "api-keys", description = "API keys of third-party integrations (service accounts), managed by administrators")
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "X-Api-Key",
                    "An integration's API key, `dk_<id>_<secret>`; also accepted as `Authorization: Bearer dk_...`.",
                ),
            )),
        );
    }
}

/// Documented paths and their methods, matched segment by segment (`{param}` matches any).
pub struct RouteTable {
    routes: Vec<(Vec<Segment>, Vec<String>)>,
}

enum Segment {
    Literal(String),
    Param,
}

impl RouteTable {
    pub fn from_spec(spec: &utoipa::openapi::OpenApi) -> Self {
        let routes = spec
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path
                    .trim_matches('/')
                    .split('/')
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            Segment::Param
                        } else {
                            Segment::Literal(s.to_owned())
                        }
                    })
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(name, _)| name.to_owned())
                .collect();
                (segments, methods)
            })
            .collect();
        Self { routes }
    }

    /// The methods documented for `path`, or `None` when the path is unknown.
    pub fn allowed_methods(&self, path: &str) -> Option<Vec<String>> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let mut allowed: Vec<String> = Vec::new();
        let mut found = false;
        for (segments, methods) in &self.routes {
            let matches = segments.len() == parts.len()
                && segments
                    .iter()
                    .zip(&parts)
                    .all(|(segment, part)| match segment {
                        Segment::Literal(text) => text == part,
                        Segment::Param => !part.is_empty(),
                    });
            if matches {
                found = true;
                allowed.extend(methods.iter().cloned());
            }
        }
        allowed.sort();
        allowed.dedup();
        found.then_some(allowed)
    }
}
