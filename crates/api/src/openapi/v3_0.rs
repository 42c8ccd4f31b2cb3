//! The OpenAPI 3.0 rendering of the 3.1 document, for mobile and partner generators that do not
//! read 3.1 yet. Served at `/api/v1/openapi-3.0.json` and committed as `openapi/openapi-3.0.json`.
//!
//! What differs between the two versions, and what this does about it:
//! - nullable types: `type: [T, "null"]` → `type: T, nullable: true`; `oneOf` with a `null`
//!   member → the rest, `nullable: true` (a lone `$ref` goes into `allOf`, since 3.0 ignores
//!   siblings of `$ref`);
//! - `const: v` → `enum: [v]`; `examples: [..]` in a schema → `example`; a numeric
//!   `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with the boolean form;
//! - `license.identifier`, `jsonSchemaDialect`, `webhooks` and the newer JSON Schema keywords
//!   (`propertyNames`, `contentMediaType`, …) do not exist in 3.0 and are dropped;
//! - security requirements of non-OAuth schemes must list no scopes in 3.0: the scopes an API key
//!   needs are moved into the operation's description.

use serde_json::{Map, Value, json};

/// The 3.0.3 form of a 3.1 document.
pub fn downgrade(mut spec: Value) -> Value {
    if let Some(root) = spec.as_object_mut() {
        root.insert("openapi".to_owned(), json!("3.0.3"));
        root.remove("jsonSchemaDialect");
        root.remove("webhooks");
        if let Some(license) = root
            .get_mut("info")
            .and_then(|info| info.get_mut("license"))
            .and_then(Value::as_object_mut)
        {
            license.remove("identifier");
        }
        if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
            for item in paths.values_mut() {
                for operation in item
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|i| i.values_mut())
                {
                    move_scopes_to_description(operation);
                }
            }
        }
    }
    schemas_of(&mut spec);
    spec
}

/// Security requirements in 3.0 carry scopes for OAuth2 only: the API-key scopes go to the text.
fn move_scopes_to_description(operation: &mut Value) {
    let Some(operation) = operation.as_object_mut() else {
        return;
    };
    let mut scopes = Vec::new();
    if let Some(requirements) = operation.get_mut("security").and_then(Value::as_array_mut) {
        for requirement in requirements.iter_mut().filter_map(Value::as_object_mut) {
            for names in requirement.values_mut() {
                if let Some(list) = names.as_array() {
                    scopes.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
                }
                *names = json!([]);
            }
        }
    }
    if !scopes.is_empty() {
        scopes.sort();
        scopes.dedup();
        let note = format!("\n\nAPI key scopes: `{}`.", scopes.join("`, `"));
        let description = operation.entry("description").or_insert_with(|| json!(""));
        if let Some(text) = description.as_str() {
            *description = json!(format!("{text}{note}"));
        }
    }
}

/// Rewrites every schema object found anywhere in the document.
fn schemas_of(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if looks_like_schema(map) {
                downgrade_schema(map);
            }
            for child in map.values_mut() {
                schemas_of(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(schemas_of),
        _ => {}
    }
}

fn looks_like_schema(map: &Map<String, Value>) -> bool {
    [
        "type",
        "oneOf",
        "anyOf",
        "allOf",
        "$ref",
        "const",
        "properties",
        "items",
    ]
    .iter()
    .any(|key| map.contains_key(*key))
}

fn is_null_schema(value: &Value) -> bool {
    value.get("type").and_then(Value::as_str) == Some("null")
}

fn downgrade_schema(schema: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = schema.get("type").cloned() {
        let rest: Vec<Value> = types
            .iter()
            .filter(|t| t.as_str() != Some("null"))
            .cloned()
            .collect();
        if rest.len() < types.len() {
            schema.insert("nullable".to_owned(), json!(true));
        }
        match rest.as_slice() {
            [single] => {
                schema.insert("type".to_owned(), single.clone());
            }
            [] => {
                schema.remove("type");
            }
            _ => {
                schema.remove("type");
                let any: Vec<Value> = rest.into_iter().map(|t| json!({ "type": t })).collect();
                schema.insert("anyOf".to_owned(), Value::Array(any));
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = schema.get(key).cloned() {
            let rest: Vec<Value> = members
                .iter()
                .filter(|m| !is_null_schema(m))
                .cloned()
                .collect();
            if rest.len() < members.len() {
                schema.insert("nullable".to_owned(), json!(true));
                match rest.as_slice() {
                    [single] if single.get("$ref").is_some() => {
                        schema.remove(key);
                        schema.insert("allOf".to_owned(), json!([single]));
                    }
                    [Value::Object(single)] => {
                        schema.remove(key);
                        for (k, v) in single {
                            schema.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                    _ => {
                        schema.insert(key.to_owned(), Value::Array(rest));
                    }
                }
            }
        }
    }
    if let Some(reference) = schema.get("$ref").cloned()
        && schema.len() > 1
    {
        schema.remove("$ref");
        schema.insert("allOf".to_owned(), json!([{ "$ref": reference }]));
    }
    if let Some(constant) = schema.remove("const") {
        schema.insert("enum".to_owned(), json!([constant]));
    }
    if let Some(Value::Array(examples)) = schema.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        schema.entry("example").or_insert(first);
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(limit) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
            schema.insert(bound.to_owned(), limit);
            schema.insert(exclusive.to_owned(), json!(true));
        }
    }
    for keyword in [
        "contentMediaType",
        "contentEncoding",
        "propertyNames",
        "unevaluatedProperties",
        "unevaluatedItems",
        "prefixItems",
        "dependentRequired",
        "dependentSchemas",
        "$schema",
        "$id",
        "$comment",
    ] {
        schema.remove(keyword);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_types_and_refs_become_3_0() {
        let spec = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "license": {"name": "AGPL", "identifier": "AGPL-3.0"}},
            "paths": {"/x": {"get": {
                "security": [{"api_key": ["complaints:read"]}],
                "responses": {"200": {"description": "OK"}}
            }}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {
                    "name": {"type": ["string", "null"]},
                    "other": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/B"}]},
                    "kind": {"const": "x"},
                    "n": {"type": "integer", "exclusiveMinimum": 0, "examples": [3]}
                }},
                "B": {"type": "string"}
            }}
        });
        let down = downgrade(spec);
        assert_eq!(down["openapi"], "3.0.3");
        assert!(down["info"]["license"].get("identifier").is_none());
        let props = &down["components"]["schemas"]["A"]["properties"];
        assert_eq!(props["name"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            props["other"],
            json!({"allOf": [{"$ref": "#/components/schemas/B"}], "nullable": true})
        );
        assert_eq!(props["kind"], json!({"enum": ["x"]}));
        assert_eq!(props["n"]["minimum"], 0);
        assert_eq!(props["n"]["exclusiveMinimum"], true);
        assert_eq!(props["n"]["example"], 3);
        let operation = &down["paths"]["/x"]["get"];
        assert_eq!(operation["security"], json!([{"api_key": []}]));
        assert!(
            operation["description"]
                .as_str()
                .unwrap()
                .contains("complaints:read")
        );
    }
}
