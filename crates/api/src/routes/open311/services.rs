//! Discovery and services: what this endpoint is and which kinds of request it takes (the active
//! complaint categories).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::wire::{
    Discovery, Empty, Endpoint, Service, ServiceDefinition, ServiceDefinitionXml, ServicesXml,
};
use super::{CHANGESET, Format, GeoError, SPECIFICATION, answer, document};
use crate::state::AppState;

/// The discovery document: the specification, this endpoint's address and its formats.
#[utoipa::path(
    operation_id = "open311_discovery",
    tag = "Open311",
    params(("format" = inline(Format), Path, description = "`json` or `xml`")),
    responses(
        (status = 200, description = "The discovery document", content((Discovery = "application/json"), (String = "text/xml"))),
        (status = 400, description = "Not .json or .xml", content((Vec<super::wire::GeoReportError> = "application/json"), (String = "text/xml")))
    )
)]
#[get("/discovery.{format}")]
pub async fn open311_discovery(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let format = match Format::of(&req) {
        Ok(format) => format,
        Err(error) => return super::error_response(Format::Json, &error),
    };
    let discovery = Discovery {
        changeset: CHANGESET.to_owned(),
        contact: "Департамент городского хозяйства, виртуальная диспетчерская ЖКХ".to_owned(),
        key_service:
            "API keys are issued by the administrator to ТОС offices (scope complaints:file)"
                .to_owned(),
        endpoints: vec![Endpoint {
            specification: SPECIFICATION.to_owned(),
            url: format!("{}/open311/v2", state.config.public_url),
            changeset: CHANGESET.to_owned(),
            kind: if state.config.pilot_mode {
                "test"
            } else {
                "production"
            }
            .to_owned(),
            formats: vec!["text/xml".to_owned(), "application/json".to_owned()],
        }],
    };
    answer(
        format,
        document(StatusCode::OK, format, &discovery, &discovery.to_xml()),
    )
}

/// The active categories: the services.
pub(super) async fn active_categories(
    state: &AppState,
) -> Result<Vec<persistence::registry::CategoryRecord>, GeoError> {
    let mut categories = state.reads.run(persistence::registry::categories).await?;
    categories.retain(|c| c.is_active);
    Ok(categories)
}

/// The active category whose code is `code`, or 404.
pub(super) fn find_category<'a>(
    active: &'a [persistence::registry::CategoryRecord],
    code: &str,
) -> Result<&'a persistence::registry::CategoryRecord, GeoError> {
    active
        .iter()
        .find(|c| c.category.code == code)
        .ok_or_else(|| {
            GeoError::not_found(format!(
                "service_code: no active service has the code {code:?}"
            ))
        })
}

/// A category as a service.
fn service(c: &persistence::registry::CategoryRecord) -> Service {
    Service {
        service_code: c.category.code.clone(),
        service_name: c.name_ru.clone(),
        description: match &c.legal_basis {
            Some(basis) => format!("{} ({})", c.name_ru, basis),
            None => c.name_ru.clone(),
        },
        metadata: false,
        kind: "realtime".to_owned(),
        keywords: keywords(&[
            c.name_ru.to_lowercase(),
            c.name_en.to_lowercase(),
            c.category.code.replace('_', " "),
        ]),
        group: if c.category.emergency {
            "Аварийные"
        } else {
            "Плановые"
        }
        .to_owned(),
    }
}

/// Every service (active complaint category): code, Russian name, group, keywords.
#[utoipa::path(
    operation_id = "open311_services",
    tag = "Open311",
    params(("format" = inline(Format), Path, description = "`json` or `xml`")),
    responses(
        (status = 200, description = "The services", content((Vec<Service> = "application/json"), (String = "text/xml"))),
        (status = 400, description = "Not .json or .xml", content((Vec<super::wire::GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 503, description = "The database is unavailable; retry", content((Vec<super::wire::GeoReportError> = "application/json"), (String = "text/xml")))
    )
)]
#[get("/services.{format}")]
pub async fn open311_services(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let format = match Format::of(&req) {
        Ok(format) => format,
        Err(error) => return super::error_response(Format::Json, &error),
    };
    let result = async {
        let services: Vec<Service> = active_categories(&state)
            .await?
            .iter()
            .map(service)
            .collect();
        document(
            StatusCode::OK,
            format,
            &services,
            &ServicesXml { service: &services },
        )
    }
    .await;
    answer(format, result)
}

/// A service's definition. No service has attributes (`metadata` is always false).
#[utoipa::path(
    operation_id = "open311_service_definition",
    tag = "Open311",
    params(
        ("service_code" = String, Path, description = "A service's code", max_length = 64),
        ("format" = inline(Format), Path, description = "`json` or `xml`")
    ),
    responses(
        (status = 200, description = "The definition", content((ServiceDefinition = "application/json"), (String = "text/xml"))),
        (status = 400, description = "Not .json or .xml", content((Vec<super::wire::GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 404, description = "No active service has this code", content((Vec<super::wire::GeoReportError> = "application/json"), (String = "text/xml"))),
        (status = 503, description = "The database is unavailable; retry", content((Vec<super::wire::GeoReportError> = "application/json"), (String = "text/xml")))
    )
)]
#[get("/services/{service_code}.{format}")]
pub async fn open311_service_definition(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> HttpResponse {
    let format = match Format::of(&req) {
        Ok(format) => format,
        Err(error) => return super::error_response(Format::Json, &error),
    };
    let code = req
        .match_info()
        .get("service_code")
        .unwrap_or_default()
        .to_owned();
    let result = async {
        let active = active_categories(&state).await?;
        let category = find_category(&active, &code)?;
        let definition = ServiceDefinition {
            service_code: category.category.code.clone(),
            attributes: Vec::new(),
        };
        document(
            StatusCode::OK,
            format,
            &definition,
            &ServiceDefinitionXml {
                service_code: &category.category.code,
                attributes: Empty {},
            },
        )
    }
    .await;
    answer(format, result)
}

/// The words a category is found by, each once, in order.
fn keywords(words: &[String]) -> String {
    let mut kept: Vec<&str> = Vec::with_capacity(words.len());
    for word in words {
        if !word.is_empty() && !kept.contains(&word.as_str()) {
            kept.push(word);
        }
    }
    kept.join(", ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn keywords_name_each_word_once() {
        let words = ["засор канализации", "sewer blockage", "sewer blockage"].map(String::from);
        assert_eq!(super::keywords(&words), "засор канализации, sewer blockage");
    }
}
