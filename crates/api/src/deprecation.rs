//! Retiring an operation of `/api/v1` without surprising anyone: an entry in [`SCHEDULE`] marks
//! it `deprecated` in the spec and makes every answer carry `Deprecation` (RFC 9745), `Sunset`
//! (RFC 8594) and a `Link` to its successor, for at least the notice period the README promises.
//! Nothing is scheduled yet.

use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{body::MessageBody, web};
use chrono::{DateTime, Utc};

/// An operation on its way out.
#[derive(Debug, Clone)]
pub struct Retirement {
    /// `GET`, `POST`, ...
    pub method: &'static str,
    /// The route as registered, e.g. `/api/v1/complaints/{id}`.
    pub path: &'static str,
    pub deprecated_since: DateTime<Utc>,
    /// After this instant the operation may answer 410.
    pub sunset: DateTime<Utc>,
    /// What to use instead.
    pub successor: &'static str,
}

/// The operations being retired. Empty: nothing in `/api/v1` is deprecated today.
pub const SCHEDULE: &[Retirement] = &[];

/// The retirement schedule the server runs with (the constant, or a test's own).
#[derive(Debug, Clone, Default)]
pub struct Schedule(pub Vec<Retirement>);

impl Schedule {
    pub fn current() -> Self {
        Schedule(SCHEDULE.to_vec())
    }

    pub fn find(&self, method: &str, path: &str) -> Option<&Retirement> {
        self.0
            .iter()
            .find(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
    }
}

/// Adds the retirement headers to every answer of a scheduled operation.
pub async fn announce(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let retirement = req
        .app_data::<web::Data<Schedule>>()
        .zip(crate::route::matched_route(&req))
        .and_then(|(schedule, pattern)| schedule.find(req.method().as_str(), &pattern).cloned());
    let mut response = next.call(req).await?;
    if let Some(retirement) = retirement {
        let headers = [
            (
                "deprecation",
                format!("@{}", retirement.deprecated_since.timestamp()),
            ),
            (
                "sunset",
                retirement
                    .sunset
                    .format("%a, %d %b %Y %H:%M:%S GMT")
                    .to_string(),
            ),
            (
                "link",
                format!("<{}>; rel=\"successor-version\"", retirement.successor),
            ),
        ];
        for (name, value) in headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                response
                    .headers_mut()
                    .insert(HeaderName::from_static(name), value);
            }
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test as atest, web};
    use chrono::TimeZone;

    use super::*;

    #[actix_web::test]
    async fn a_scheduled_operation_announces_its_retirement() {
        let retirement = Retirement {
            method: "GET",
            path: "/old/{id}",
            deprecated_since: Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap(),
            sunset: Utc.with_ymd_and_hms(2027, 7, 1, 0, 0, 0).unwrap(),
            successor: "/api/v2/new/{id}",
        };
        let app = atest::init_service(
            App::new()
                .app_data(web::Data::new(Schedule(vec![retirement])))
                .wrap(from_fn(announce))
                .route("/old/{id}", web::get().to(HttpResponse::Ok))
                .route("/current/{id}", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let old =
            atest::call_service(&app, atest::TestRequest::get().uri("/old/7").to_request()).await;
        assert_eq!(old.headers().get("deprecation").unwrap(), "@1798761600");
        assert_eq!(
            old.headers().get("sunset").unwrap(),
            "Thu, 01 Jul 2027 00:00:00 GMT"
        );
        assert_eq!(
            old.headers().get("link").unwrap(),
            "</api/v2/new/{id}>; rel=\"successor-version\""
        );
        let current = atest::call_service(
            &app,
            atest::TestRequest::get().uri("/current/7").to_request(),
        )
        .await;
        assert!(current.headers().get("deprecation").is_none());
        assert!(current.headers().get("sunset").is_none());
        assert!(
            Schedule::current().0.is_empty(),
            "nothing is deprecated in /api/v1 today"
        );
    }
}
