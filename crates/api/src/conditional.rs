//! Conditional GET for phones on slow networks: every JSON answer to a GET carries an `ETag`
//! (a complaint's own version, or a hash of the body for lists and other reads), and a request
//! whose `If-None-Match` names it gets `304 Not Modified` with no body.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use base64::Engine;

use crate::error::{ApiError, ErrorCode};

/// The parsed `If-None-Match`.
#[derive(Debug, PartialEq, Eq)]
pub enum IfNoneMatch {
    Any,
    /// The opaque tags, without `W/` (a GET compares weakly).
    Tags(Vec<String>),
}

impl IfNoneMatch {
    /// Parses `*` or a comma-separated list of entity tags (RFC 9110 §8.8.3). The list may be
    /// empty (`#entity-tag`): then nothing matches and the request is unconditional.
    pub fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if value == "*" {
            return Some(IfNoneMatch::Any);
        }
        // Entity tags may hold commas, so the list is read tag by tag, not split.
        let mut tags = Vec::new();
        let mut rest = value;
        loop {
            rest = rest.trim_start_matches([',', ' ', '\t']);
            if rest.is_empty() {
                break;
            }
            let quoted = rest.strip_prefix("W/").unwrap_or(rest).strip_prefix('"')?;
            let end = quoted.find('"')?;
            let opaque = &quoted[..end];
            let valid = opaque
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x7E).contains(&b) || b >= 0x80);
            if !valid {
                return None;
            }
            tags.push(opaque.to_owned());
            rest = &quoted[end + 1..];
            // After a tag: the end, or a separator.
            if !(rest.is_empty() || rest.starts_with([',', ' ', '\t'])) {
                return None;
            }
        }
        Some(IfNoneMatch::Tags(tags))
    }

    fn matches(&self, etag: &str) -> bool {
        let opaque = etag
            .trim()
            .strip_prefix("W/")
            .unwrap_or(etag.trim())
            .trim_matches('"');
        match self {
            IfNoneMatch::Any => true,
            IfNoneMatch::Tags(tags) => tags.iter().any(|tag| tag == opaque),
        }
    }
}

/// A weak entity tag of a body: its XXH3-128. A validator, not a seal: a cache compares it with
/// the tag it kept for the same URL, so a hash built for speed serves (every replica computes
/// the same one).
pub fn body_etag(body: &[u8]) -> String {
    let digest = xxhash_rust::xxh3::xxh3_128(body).to_be_bytes();
    format!(
        "W/\"{}\"",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest)
    )
}

/// The middleware: GET and HEAD only; other methods pass untouched.
pub async fn conditional_get(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let condition = match req.headers().get(header::IF_NONE_MATCH) {
        None => None,
        Some(value) => match value.to_str().ok().and_then(IfNoneMatch::parse) {
            Some(condition) => Some(condition),
            None => {
                let error = ApiError::new(
                    ErrorCode::InvalidIfNoneMatch,
                    "If-None-Match must be * or entity tags, e.g. \"3\" or W/\"abc\".",
                );
                return Ok(req.into_response(error.error_response()));
            }
        },
    };
    let response = next.call(req).await?;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if response.status() != StatusCode::OK || !is_json {
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("the body could not be read"))?;
    let etag = match head
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
    {
        Some(etag) => etag.to_owned(),
        None => {
            let etag = body_etag(&bytes);
            if let Ok(value) = header::HeaderValue::from_str(&etag) {
                head.headers_mut().insert(header::ETAG, value);
            }
            etag
        }
    };
    if condition.is_some_and(|c| c.matches(&etag)) {
        let mut not_modified = HttpResponse::NotModified();
        for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
            if let Some(value) = head.headers().get(&name) {
                not_modified.insert_header((name, value.clone()));
            }
        }
        return Ok(ServiceResponse::new(request, not_modified.finish()));
    }
    Ok(ServiceResponse::new(
        request,
        head.set_body(BoxBody::new(bytes)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_is_parsed_strictly() {
        assert_eq!(IfNoneMatch::parse("*"), Some(IfNoneMatch::Any));
        assert_eq!(
            IfNoneMatch::parse("\"3\", W/\"abc\""),
            Some(IfNoneMatch::Tags(vec!["3".into(), "abc".into()]))
        );
        for bad in ["3", "\"3", "W/3", "\"a b\"", "\"\"\""] {
            assert_eq!(IfNoneMatch::parse(bad), None, "{bad}");
        }
        assert_eq!(
            IfNoneMatch::parse("W/\"a,b\", \"\",\"c\""),
            Some(IfNoneMatch::Tags(vec!["a,b".into(), "".into(), "c".into()]))
        );
        assert_eq!(IfNoneMatch::parse("\"a\"\"b\""), None);
        // An empty list is allowed and matches nothing: the request is unconditional.
        let empty = IfNoneMatch::parse(" ").unwrap();
        assert!(!empty.matches("\"3\""));
        let condition = IfNoneMatch::parse("W/\"7\"").unwrap();
        assert!(condition.matches("\"7\""));
        assert!(!condition.matches("\"8\""));
    }

    #[test]
    fn body_tags_follow_the_body() {
        assert_eq!(body_etag(b"[1]"), body_etag(b"[1]"));
        assert_ne!(body_etag(b"[1]"), body_etag(b"[2]"));
        assert!(body_etag(b"{}").starts_with("W/\""));
    }
}
