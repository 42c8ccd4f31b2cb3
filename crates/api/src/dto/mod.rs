//! Wire types shared by several handlers.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// A file sent as the raw request body (`type: string, format: binary`), which generators turn
/// into their file or byte-stream type.
pub struct BinaryBody;

impl utoipa::PartialSchema for BinaryBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for BinaryBody {}

/// One page of a keyset-paginated list: pass `next_cursor` as `cursor` for the next page; it is
/// `null` on the last page. A page costs the same whatever its size and however deep.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// An opaque position; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, next_cursor: Option<impl ToString>) -> Self {
        Self {
            items,
            next_cursor: next_cursor.map(|cursor| cursor.to_string()),
        }
    }
}

/// Query parameters are checked with the same `validator` rules as bodies, but a fault in them
/// is 400 `invalid_query` on every list (a `limit` out of range is one status everywhere).
pub trait CheckedQuery: Validate {
    fn checked(&self) -> Result<(), crate::error::ApiError> {
        self.validate().map_err(|errors| {
            let detail = crate::error::ApiError::from(errors)
                .into_field_errors()
                .unwrap_or_default()
                .into_iter()
                .map(|(field, messages)| format!("{field}: {}", messages.join("; ")))
                .collect::<Vec<_>>()
                .join(", ");
            crate::error::ApiError::new(crate::error::ErrorCode::InvalidQuery, detail)
        })
    }
}

impl<T: Validate> CheckedQuery for T {}

/// Consent to the processing of personal data (152-ФЗ): given by a resident who registers, or by
/// the person a clerk files for, as read out to them.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"accepted": true, "version": "2026-01"}))]
pub struct Consent {
    /// Must be `true`.
    pub accepted: bool,
    /// The version of the consent text shown or read; must be the current one (`consent_version`
    /// of `GET /api/v1/meta`).
    #[validate(length(min = 1, max = 32, message = "must be 1 to 32 characters"))]
    #[schema(min_length = 1, max_length = 32, example = "2026-01")]
    pub version: String,
}

impl Consent {
    /// The consent as the domain checks it.
    pub fn given(&self) -> domain::Consent {
        domain::Consent {
            accepted: self.accepted,
            version: self.version.clone(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationRef {
    pub id: Uuid,
    #[schema(example = "ООО «УК Северный город»")]
    pub name: String,
}

/// The signed-in user.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    #[schema(example = "Смирнова Ольга Викторовна")]
    pub name: String,
    #[schema(example = "dispatcher@demo.test")]
    pub login: String,
    pub role: domain::Role,
    pub organisation: Option<OrganisationRef>,
}

impl From<persistence::users::UserRecord> for Me {
    fn from(user: persistence::users::UserRecord) -> Self {
        Self {
            id: user.id,
            name: user.name,
            login: user.login,
            role: user.role,
            organisation: user.organisation.map(|o| OrganisationRef {
                id: o.id,
                name: o.name,
            }),
        }
    }
}

/// Whole numbers as JSON allows them: `15000` and also `15000.0`, which JSON Schema counts as an
/// integer too. A fraction or a negative number is refused.
pub mod whole_number {
    use serde::{Deserialize, Deserializer, de::Error};

    /// The same for a `u32` field.
    pub fn deserialize_u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
        let value = deserialize(deserializer)?;
        u32::try_from(value).map_err(|_| D::Error::custom(format!("{value} is too large")))
    }

    /// The same for an optional `u32` field, with `#[serde(default, deserialize_with = ...)]`:
    /// absent or `null` is `None`.
    pub fn deserialize_optional_u32<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<u32>, D::Error> {
        Option::<serde_json::Number>::deserialize(deserializer)?
            .map(|number| {
                let value = whole(number).map_err(D::Error::custom)?;
                u32::try_from(value).map_err(|_| D::Error::custom(format!("{value} is too large")))
            })
            .transpose()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
        whole(serde_json::Number::deserialize(deserializer)?).map_err(D::Error::custom)
    }

    fn whole(value: serde_json::Number) -> Result<u64, String> {
        if let Some(n) = value.as_u64() {
            return Ok(n);
        }
        match value.as_f64() {
            Some(f) if f >= 0.0 && f.fract() == 0.0 && f <= 9_007_199_254_740_992.0 => Ok(f as u64),
            _ => Err(format!("expected a whole non-negative number, got {value}")),
        }
    }

    #[cfg(test)]
    mod tests {
        #[derive(serde::Deserialize)]
        struct Amount {
            #[serde(with = "super")]
            value: u64,
        }

        fn parse(json: &str) -> Result<u64, serde_json::Error> {
            serde_json::from_str::<Amount>(json).map(|a| a.value)
        }

        #[test]
        fn accepts_integral_floats_and_refuses_the_rest() {
            assert_eq!(parse(r#"{"value": 15000}"#).unwrap(), 15000);
            assert_eq!(parse(r#"{"value": 15000.0}"#).unwrap(), 15000);
            assert!(parse(r#"{"value": 1.5}"#).is_err());
            assert!(parse(r#"{"value": -1}"#).is_err());
            assert!(parse(r#"{"value": "1"}"#).is_err());
        }

        #[derive(serde::Deserialize)]
        struct Limit {
            #[serde(default, deserialize_with = "super::deserialize_optional_u32")]
            value: Option<u32>,
        }

        fn parse_optional(json: &str) -> Result<Option<u32>, serde_json::Error> {
            serde_json::from_str::<Limit>(json).map(|l| l.value)
        }

        #[test]
        fn optional_fields_take_absent_null_and_integral_floats() {
            assert_eq!(parse_optional("{}").unwrap(), None);
            assert_eq!(parse_optional(r#"{"value": null}"#).unwrap(), None);
            assert_eq!(
                parse_optional(r#"{"value": 92072.0}"#).unwrap(),
                Some(92072)
            );
            assert!(parse_optional(r#"{"value": 0.5}"#).is_err());
            assert!(parse_optional(r#"{"value": 4294967296}"#).is_err());
        }
    }
}

/// A JSON request body that must be an object. `web::Json` alone would also build a struct from
/// a JSON array of its fields (`["a@b.c", "secret"]`), which the spec does not allow. Size,
/// content-type and syntax errors are those of `web::JsonConfig`.
pub struct JsonObject<T>(pub T);

impl<T> JsonObject<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for JsonObject<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: serde::de::DeserializeOwned + 'static> actix_web::FromRequest for JsonObject<T> {
    type Error = actix_web::Error;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(
        req: &actix_web::HttpRequest,
        payload: &mut actix_web::dev::Payload,
    ) -> Self::Future {
        let value = actix_web::web::Json::<serde_json::Value>::from_request(req, payload);
        Box::pin(async move {
            let actix_web::web::Json(value) = value.await?;
            if !value.is_object() {
                return Err(crate::error::ApiError::new(
                    crate::error::ErrorCode::MalformedJson,
                    "The body must be a JSON object.".to_owned(),
                )
                .into());
            }
            let faults = text_faults(&value);
            if !faults.is_empty() {
                return Err(crate::error::ApiError::validation(faults).into());
            }
            serde_json::from_value(value).map(JsonObject).map_err(|e| {
                crate::error::ApiError::new(crate::error::ErrorCode::MalformedJson, e.to_string())
                    .into()
            })
        })
    }
}

/// Every string of a body (keys included) that `domain::text` refuses, by its path
/// (`consent.version`, `items[2].name`): one check for all bodies, before any field is read.
pub fn text_faults(value: &serde_json::Value) -> std::collections::BTreeMap<String, Vec<String>> {
    fn walk(
        value: &serde_json::Value,
        path: &str,
        field: &str,
        faults: &mut std::collections::BTreeMap<String, Vec<String>>,
    ) {
        match value {
            serde_json::Value::String(text) => {
                if let Err(fault) =
                    domain::text::check(text, domain::text::is_multiline_field(field))
                {
                    faults
                        .entry(path.to_owned())
                        .or_default()
                        .push(fault.message().to_owned());
                }
            }
            serde_json::Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{path}[{i}]"), field, faults);
                }
            }
            serde_json::Value::Object(map) => {
                for (key, item) in map {
                    let inner = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    if let Err(fault) = domain::text::check(key, false) {
                        faults
                            .entry(inner.escape_debug().to_string())
                            .or_default()
                            .push(fault.message().to_owned());
                        continue;
                    }
                    walk(item, &inner, key, faults);
                }
            }
            serde_json::Value::Null | serde_json::Value::Bool(_) | serde_json::Value::Number(_) => {
            }
        }
    }
    let mut faults = std::collections::BTreeMap::new();
    walk(value, "", "", &mut faults);
    faults
}
