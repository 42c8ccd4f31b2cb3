//! The route a request matched (`/api/v1/complaints/{id}`), worked out once per request.
//!
//! The request's span, the metrics and the retirement headers each label a request by its
//! route's pattern, and actix's `match_pattern` walks the whole resource tree again on every call:
//! four walks per request took 8 % of a company-queue request's CPU (perf, issue 18). The root
//! span, the outermost layer, walks it once and leaves the answer in the request's extensions;
//! the other layers read it from there.

use std::rc::Rc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

/// The pattern of the route a request matched; `None` for a path no route serves.
#[derive(Debug, Clone)]
struct MatchedRoute(Option<Rc<str>>);

/// The pattern of the route `request` matched, worked out on the first call only.
pub fn matched_route(request: &ServiceRequest) -> Option<Rc<str>> {
    if let Some(known) = request.extensions().get::<MatchedRoute>() {
        return known.0.clone();
    }
    let pattern: Option<Rc<str>> = request.match_pattern().map(Rc::from);
    request
        .extensions_mut()
        .insert(MatchedRoute(pattern.clone()));
    pattern
}

/// The request's root span, as `tracing_actix_web`'s default (method, route, target, status,
/// request id, client and user agent), with the route worked out once for everyone.
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = matched_route(request);
        if !tracing::span_enabled!(tracing::Level::INFO) {
            return Span::none();
        }
        let request_id = request.extensions().get::<RequestId>().copied();
        let connection = request.connection_info();
        let user_agent = request
            .headers()
            .get(actix_web::http::header::USER_AGENT)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route.as_deref().unwrap_or("default"),
            http.target = %request.uri().path_and_query().map_or("", |p| p.as_str()),
            http.client_ip = %connection.realip_remote_addr().unwrap_or(""),
            http.user_agent = %user_agent,
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            request_id = %request_id.map(|id| id.to_string()).unwrap_or_default(),
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
