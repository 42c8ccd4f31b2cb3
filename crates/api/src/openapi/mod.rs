//! The OpenAPI document, and the table of documented routes that the fallback uses to answer
//! 405 with `Allow` for a known path.

pub mod v3_0;

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
    // The body of every webhook, so that receivers generate its type from this document too.
    components(schemas(Problem, crate::webhooks::compose::WebhookPayload)),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "meta", description = "Deployment facts"),
        (name = "auth", description = "Sign-in and the current user"),
        (name = "admin", description = "Accounts, managed by administrators"),
        (name = "api-keys", description = "API keys of third-party integrations (service accounts), managed by administrators"),
        (name = "webhooks", description = "Signed webhooks (Standard Webhooks): every step of a complaint POSTed to subscribed endpoints as a `WebhookPayload`, with `webhook-id`, `webhook-timestamp` and `webhook-signature` headers; at least once, in order per complaint, retried for about a day"),
        (name = "privacy", description = "Personal data under 152-ФЗ: a resident's export, withdrawal of consent and erasure; the same for a person without an account, by a clerk or an administrator, audited"),
        (name = "inspection", description = "The housing inspection's paperwork: printed orders (предписания) and inspection acts (акты проверки) as PDF, the registers of orders and fines with CSV export, and the inspector's visits"),
        (name = "calls", description = "The call desk of verification calls (dispatchers): the queue ordered by what is due, taking a call, giving it back, \"call back at\". Attempts are `record_call` transitions, refused within `APP_CALL_MIN_GAP_MINUTES` of an unanswered one and outside the calling hours"),
        (name = "messaging", description = "SMS and e-mail: each person's choices, the delivery log and the message templates"),
        (name = "Open311", description = "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2: services are the active categories, requests the complaints as the public sees them; filing takes a ТОС office's API key in the form field `api_key`. JSON or XML by the path's suffix; errors are GeoReport's own list of `{code, description}` (or `<errors>`), never problem+json.")
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
    /// Literal text and parameters within one segment (`services.{format}`, `{id}.{format}`).
    Mixed(Vec<Piece>),
}

enum Piece {
    Text(String),
    Param,
}

impl Segment {
    fn parse(segment: &str) -> Segment {
        if segment.starts_with('{') && segment.ends_with('}') && segment.matches('{').count() == 1 {
            return Segment::Param;
        }
        if !segment.contains('{') {
            return Segment::Literal(segment.to_owned());
        }
        let mut pieces = Vec::new();
        let mut rest = segment;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_owned()));
            }
            pieces.push(Piece::Param);
            rest = rest[open..]
                .find('}')
                .map_or("", |close| &rest[open + close + 1..]);
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_owned()));
        }
        Segment::Mixed(pieces)
    }

    fn matches(&self, part: &str) -> bool {
        match self {
            Segment::Literal(text) => text == part,
            Segment::Param => !part.is_empty(),
            Segment::Mixed(pieces) => pieces_match(pieces, part),
        }
    }
}

/// Whether `part` is `pieces`: each text as written, each parameter one character or more.
fn pieces_match(pieces: &[Piece], part: &str) -> bool {
    match pieces.split_first() {
        None => part.is_empty(),
        Some((Piece::Text(text), rest)) => part
            .strip_prefix(text.as_str())
            .is_some_and(|after| pieces_match(rest, after)),
        Some((Piece::Param, rest)) => part
            .char_indices()
            .skip(1)
            .map(|(at, _)| at)
            .chain(std::iter::once(part.len()))
            .filter(|at| *at > 0)
            .any(|at| pieces_match(rest, &part[at..])),
    }
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
                    .map(Segment::parse)
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

    /// The methods documented for `path`, or `None` when the path is unknown. When several
    /// templates match (`/buildings/import` and `/buildings/{id}`), the most literal one wins,
    /// as it does in routing.
    pub fn allowed_methods(&self, path: &str) -> Option<Vec<String>> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let best = self
            .routes
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments
                        .iter()
                        .zip(&parts)
                        .all(|(segment, part)| segment.matches(part))
            })
            .map(|(segments, methods)| {
                let literals = segments
                    .iter()
                    .filter(|s| matches!(s, Segment::Literal(_)))
                    .count();
                (literals, methods)
            })
            .max_by_key(|(literals, _)| *literals)?;
        let mut allowed = best.1.clone();
        allowed.sort();
        allowed.dedup();
        Some(allowed)
    }
}

/// Completes every operation with the answers any of them can give, so that the spec lists every
/// status a client may see: 400, 413 and 415 where a body is read, 401 where a token is needed,
/// 503 wherever the database is asked. Also closes request variants of tagged unions to unknown
/// fields, as the server does.
pub fn complete(spec: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::Operation;
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

    let problem = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build()
    };
    let add = |operation: &mut Operation, secured_by_default: bool, uses_database: bool| {
        let responses = &mut operation.responses.responses;
        if operation.request_body.is_some() {
            for (status, description) in [
                ("400", "Malformed body (`malformed_json`, `bad_body`)"),
                ("413", "Body too large (`payload_too_large`)"),
                ("415", "Wrong Content-Type (`unsupported_media_type`)"),
            ] {
                responses
                    .entry(status.to_owned())
                    .or_insert_with(|| problem(description).into());
            }
        }
        let secured = operation
            .security
            .as_ref()
            .map_or(secured_by_default, |s| !s.is_empty());
        if secured {
            responses.entry("400".to_owned()).or_insert_with(|| {
                problem("Both a bearer token and an API key were sent (`ambiguous_credentials`)")
                    .into()
            });
            responses
                .entry("401".to_owned())
                .or_insert_with(|| {
                    problem("Missing or invalid credentials (`missing_token`, `invalid_token`, `invalid_api_key`, `ambiguous_credentials`)").into()
                });
        }
        if uses_database {
            responses.entry("503".to_owned()).or_insert_with(|| {
                problem("The database is unavailable; retry (`service_unavailable`)").into()
            });
        }
    };
    for (path, item) in spec.paths.paths.iter_mut() {
        let uses_database = path != "/health" && path != "/api/v1/meta";
        // Open311 documents its own errors (GeoReport's format), each in its annotation.
        let own_errors = path.starts_with("/open311/");
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            describe_responses(operation);
        }
        if let Some(get) = item.get.as_mut()
            && path.starts_with("/api/")
        {
            conditional(get);
        }
        for (method, operation) in [
            ("GET", &mut item.get),
            ("POST", &mut item.post),
            ("PUT", &mut item.put),
            ("PATCH", &mut item.patch),
            ("DELETE", &mut item.delete),
        ] {
            if let Some(operation) = operation
                && crate::deprecation::Schedule::current()
                    .find(method, path)
                    .is_some()
            {
                operation.deprecated = Some(utoipa::openapi::Deprecated::True);
            }
        }
        for operation in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            if !own_errors {
                add(operation, false, uses_database);
            }
        }
    }
    if let Some(components) = spec.components.as_mut()
        && let Some(utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::OneOf(one_of))) =
            components.schemas.get_mut("TransitionRequest")
    {
        for variant in &mut one_of.items {
            if let utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::Object(object)) =
                variant
            {
                object.additional_properties = Some(Box::new(
                    utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
                ));
            }
        }
    }
}

/// Every response object needs a `description` (OpenAPI requires it, and generators refuse a spec
/// without one): an undescribed one gets the meaning of its status.
fn describe_responses(operation: &mut utoipa::openapi::path::Operation) {
    for (status, response) in operation.responses.responses.iter_mut() {
        if let utoipa::openapi::RefOr::T(response) = response
            && response.description.trim().is_empty()
        {
            response.description = match status.as_str() {
                "200" => "OK",
                "201" => "Created",
                "204" => "Done; nothing to return",
                "304" => "Not modified since the ETag sent in `If-None-Match`",
                "307" | "308" => "Redirect",
                "400" => "Malformed request",
                "401" => "Missing or invalid credentials",
                "403" => "Not allowed for this caller",
                "404" => "Not found, or not visible to this caller",
                "409" => "Conflicts with the current state",
                "412" => "The version sent in `If-Match` is not the current one",
                "413" => "Too large",
                "415" => "Unsupported media type",
                "422" => "Invalid fields",
                "428" => "`If-Match` is required",
                "429" => "Too many requests; see `Retry-After`",
                "503" => "Temporarily unavailable; retry",
                _ => "See the problem's `code`",
            }
            .to_owned();
        }
    }
}

/// What [`crate::conditional::IfNoneMatch::parse`] accepts: `*`, or entity tags separated by
/// commas, spaces or tabs, with empty list elements allowed (RFC 9110 `#entity-tag`), e.g. `,`.
const IF_NONE_MATCH_PATTERN: &str =
    r#"^[ \t]*(\*|[ ,\t]*((W/)?"[!#-~]*"([ ,\t]+(W/)?"[!#-~]*")*[ ,\t]*)?)[ \t]*$"#;

/// A GET that answers JSON takes `If-None-Match` and may answer 304; its 200 carries an `ETag`
/// (see [`crate::conditional`]).
fn conditional(operation: &mut utoipa::openapi::path::Operation) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{HeaderBuilder, RefOr, Required, ResponseBuilder};

    let Some(RefOr::T(ok)) = operation.responses.responses.get_mut("200") else {
        return;
    };
    if !ok.content.contains_key("application/json") {
        return;
    }
    ok.headers.entry("ETag".to_owned()).or_insert_with(|| {
        HeaderBuilder::new()
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .description(Some(
                "The representation's entity tag: send it as `If-None-Match` to get 304 when \
                 nothing changed",
            ))
            .build()
            .into()
    });
    operation
        .responses
        .responses
        .entry("304".to_owned())
        .or_insert_with(|| {
            ResponseBuilder::new()
                .description("Not modified since the ETag sent in `If-None-Match`")
                .build()
                .into()
        });
    operation
        .responses
        .responses
        .entry("400".to_owned())
        .or_insert_with(|| {
            ResponseBuilder::new()
                .description("Malformed `If-None-Match` (`invalid_if_none_match`)")
                .content(
                    "application/problem+json",
                    utoipa::openapi::ContentBuilder::new()
                        .schema(Some(utoipa::openapi::Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build()
                .into()
        });
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    let named = |p: &RefOr<utoipa::openapi::path::Parameter>| match p {
        RefOr::T(parameter) => parameter.name == "If-None-Match",
        RefOr::Ref(_) => false,
    };
    if !parameters.iter().any(named) {
        parameters.push(
            ParameterBuilder::new()
                .name("If-None-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "The ETag of the copy the client has; 304 if it is current",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .pattern(Some(IF_NONE_MATCH_PATTERN)),
                ))
                .build()
                .into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::Segment;

    #[test]
    fn parameters_within_a_segment_match_as_routing_does() {
        let suffix = Segment::parse("services.{format}");
        assert!(suffix.matches("services.json"));
        assert!(!suffix.matches("services."));
        assert!(!suffix.matches("servicesxjson"));
        let two = Segment::parse("{service_request_id}.{format}");
        assert!(two.matches("СУР-2026-000123.xml"));
        assert!(two.matches("a.b.c"));
        assert!(!two.matches(".xml"));
        assert!(!two.matches("nodot"));
        assert!(Segment::parse("{id}").matches("anything"));
        assert!(Segment::parse("import").matches("import"));
        assert!(!Segment::parse("import").matches("imports"));
    }
}
