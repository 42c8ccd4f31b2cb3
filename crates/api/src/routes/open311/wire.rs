//! GeoReport v2 documents, as JSON and as XML: the same structs serialise to both (serde for JSON,
//! quick-xml for XML), with a wrapper naming the XML root and its repeated element.

use serde::Serialize;
use utoipa::ToSchema;

/// A service: an active complaint category.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Service {
    /// The category's code.
    #[schema(example = "roof_leak")]
    pub service_code: String,
    /// The category's name in Russian.
    #[schema(example = "Протечка кровли")]
    pub service_name: String,
    pub description: String,
    /// Always `false`: no service has extra attributes.
    pub metadata: bool,
    /// Always `realtime`: a request's number is given at once.
    #[serde(rename = "type")]
    #[schema(example = "realtime")]
    pub kind: String,
    /// Comma-separated.
    pub keywords: String,
    /// `Аварийные` (emergencies, counted in hours) or `Плановые`.
    pub group: String,
}

/// A service's definition: its code and (always no) attributes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceDefinition {
    pub service_code: String,
    /// Always empty.
    #[schema(value_type = Vec<Object>)]
    pub attributes: Vec<serde_json::Value>,
}

/// A service request: a complaint as the public may see it (no names, phones, flats or words of
/// the applicant).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ServiceRequest {
    /// The complaint's number.
    #[schema(example = "СУР-2026-000123")]
    pub service_request_id: String,
    /// `open` or `closed`.
    #[schema(example = "open")]
    pub status: String,
    /// The complaint's status in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    /// The category's name: the public never sees the applicant's own words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The management company responsible for the building.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_responsible: Option<String>,
    /// Set on test-mode data: `Тестовые данные GeoReport…`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_notice: Option<String>,
    /// W3C date-time (UTC).
    pub requested_datetime: String,
    pub updated_datetime: String,
    /// The current deadline.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_datetime: Option<String>,
    /// The building's address (never a flat).
    pub address: String,
    /// The building's id in the registry.
    pub address_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zipcode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lat: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub long: Option<f64>,
    /// Never set: no photo is public.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub media_url: Option<String>,
}

/// The answer to a new service request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CreatedRequest {
    #[schema(example = "СУР-2026-000123")]
    pub service_request_id: String,
    /// Resolves at `tokens/{token}` to the same `service_request_id`.
    pub token: String,
    pub service_notice: String,
}

/// A token and the request it stands for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenAnswer {
    pub service_request_id: String,
    pub token: String,
}

/// One GeoReport error; the body is a list of them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GeoReportError {
    /// The HTTP status.
    #[schema(example = 400)]
    pub code: u16,
    #[schema(example = "service_code: no active service has this code")]
    pub description: String,
}

/// The endpoint's discovery document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Discovery {
    pub changeset: String,
    pub contact: String,
    pub key_service: String,
    pub endpoints: Vec<Endpoint>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Endpoint {
    #[schema(example = "http://wiki.open311.org/GeoReport_v2")]
    pub specification: String,
    pub url: String,
    pub changeset: String,
    /// `production`, or `test` while the service runs in test (pilot) mode.
    #[serde(rename = "type")]
    pub kind: String,
    pub formats: Vec<String>,
}

// XML roots and their repeated elements.

#[derive(Serialize)]
#[serde(rename = "services")]
pub struct ServicesXml<'a> {
    pub service: &'a [Service],
}

#[derive(Serialize)]
#[serde(rename = "service_definition")]
pub struct ServiceDefinitionXml<'a> {
    pub service_code: &'a str,
    pub attributes: Empty,
}

/// An empty element (`<attributes/>`).
#[derive(Serialize)]
pub struct Empty {}

#[derive(Serialize)]
#[serde(rename = "service_requests")]
pub struct ServiceRequestsXml<'a, T> {
    pub request: &'a [T],
}

#[derive(Serialize)]
#[serde(rename = "errors")]
pub struct ErrorsXml<'a> {
    pub error: &'a [GeoReportError],
}

#[derive(Serialize)]
#[serde(rename = "discovery")]
pub struct DiscoveryXml<'a> {
    pub changeset: &'a str,
    pub contact: &'a str,
    pub key_service: &'a str,
    pub endpoints: EndpointsXml<'a>,
}

#[derive(Serialize)]
pub struct EndpointsXml<'a> {
    pub endpoint: Vec<EndpointXml<'a>>,
}

#[derive(Serialize)]
pub struct EndpointXml<'a> {
    pub specification: &'a str,
    pub url: &'a str,
    pub changeset: &'a str,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub formats: FormatsXml<'a>,
}

#[derive(Serialize)]
pub struct FormatsXml<'a> {
    pub format: &'a [String],
}

impl Discovery {
    pub fn to_xml(&self) -> DiscoveryXml<'_> {
        DiscoveryXml {
            changeset: &self.changeset,
            contact: &self.contact,
            key_service: &self.key_service,
            endpoints: EndpointsXml {
                endpoint: self
                    .endpoints
                    .iter()
                    .map(|e| EndpointXml {
                        specification: &e.specification,
                        url: &e.url,
                        changeset: &e.changeset,
                        kind: &e.kind,
                        formats: FormatsXml { format: &e.formats },
                    })
                    .collect(),
            },
        }
    }
}
