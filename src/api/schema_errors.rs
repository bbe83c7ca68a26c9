//! Names the fields at fault when a request body does not fit its schema.
//!
//! poem-openapi rejects such bodies before an operation runs, with a message that
//! says which type failed but not which field. This module reads the body again
//! against the operation's own schema in the OpenAPI document, so that a caller hears
//! `{"field": "mode", "message": "must be one of: in_person, online, hybrid"}`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::domain::FieldError;

/// The OpenAPI document, parsed once.
fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| serde_json::from_str(&super::openapi_json()).unwrap_or(Value::Null))
}

/// Request-body schema names by operation id.
fn request_schemas() -> &'static HashMap<String, Value> {
    static MAP: OnceLock<HashMap<String, Value>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = HashMap::new();
        if let Some(paths) = spec()["paths"].as_object() {
            for operations in paths.values().filter_map(Value::as_object) {
                for operation in operations.values() {
                    let (Some(id), Some(content)) = (
                        operation["operationId"].as_str(),
                        operation["requestBody"]["content"].as_object(),
                    ) else {
                        continue;
                    };
                    if let Some(media) = content.values().next() {
                        map.insert(id.to_owned(), media["schema"].clone());
                    }
                }
            }
        }
        map
    })
}

/// Every field of `body` that does not fit the request schema of `operation_id`.
pub fn field_errors(operation_id: &str, body: &[u8]) -> Vec<FieldError> {
    let Some(schema) = request_schemas().get(operation_id) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_slice::<Value>(body) else {
        return Vec::new();
    };
    let mut errors = Vec::new();
    check(schema, &value, "", &mut errors);
    errors
}

/// Follows `$ref` and the `allOf: [{$ref}, {description}]` wrapper poem-openapi uses.
fn resolve(schema: &Value) -> &Value {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return resolve(&spec()["components"]["schemas"][name]);
    }
    if let Some(first) = schema["allOf"].as_array().and_then(|all| all.first()) {
        return resolve(first);
    }
    schema
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn check(schema: &Value, value: &Value, path: &str, errors: &mut Vec<FieldError>) {
    let schema = resolve(schema);
    let here = if path.is_empty() { "body" } else { path };
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            let words: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
            errors.push(FieldError::new(
                here,
                format!("must be one of: {}", words.join(", ")),
            ));
        }
        return;
    }
    if let Some(alternatives) = schema["oneOf"].as_array() {
        // Fits if any one form fits; otherwise name the forms accepted.
        let fits = alternatives.iter().any(|alternative| {
            let mut errors = Vec::new();
            check(alternative, value, path, &mut errors);
            errors.is_empty()
        });
        if !fits {
            let forms: Vec<&str> = alternatives
                .iter()
                .map(|a| match resolve(a)["type"].as_str() {
                    Some("string") => "text",
                    Some("object") => "an object",
                    Some("array") => "a list",
                    Some(other) => other,
                    None => "another form",
                })
                .collect();
            errors.push(FieldError::new(
                here,
                format!("must be {}", forms.join(" or ")),
            ));
        }
        return;
    }
    match schema["type"].as_str() {
        Some("object") => {
            let Some(object) = value.as_object() else {
                errors.push(FieldError::new(here, "must be a JSON object"));
                return;
            };
            for name in schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if object.get(name).is_none_or(Value::is_null) {
                    errors.push(FieldError::new(join(path, name), "is required"));
                }
            }
            if let Some(properties) = schema["properties"].as_object() {
                for (name, property) in properties {
                    match object.get(name) {
                        None | Some(Value::Null) => {}
                        Some(v) => check(property, v, &join(path, name), errors),
                    }
                }
            }
        }
        Some("array") => match value.as_array() {
            None => errors.push(FieldError::new(here, "must be a list")),
            Some(items) => {
                for (index, item) in items.iter().enumerate() {
                    check(&schema["items"], item, &format!("{here}[{index}]"), errors);
                }
            }
        },
        Some("string") => match value.as_str() {
            None => errors.push(FieldError::new(here, "must be a string")),
            Some(text) => {
                let ok = match schema["format"].as_str() {
                    Some("date-time") => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
                    Some("naive-date" | "date") => {
                        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
                    }
                    Some("uuid") => uuid::Uuid::parse_str(text).is_ok(),
                    _ => true,
                };
                if !ok {
                    let expected = match schema["format"].as_str() {
                        Some("date-time") => {
                            "a date and time with offset, such as 2026-03-12T10:00:00Z"
                        }
                        Some("uuid") => "an id (UUID)",
                        _ => "a date, such as 2026-03-26",
                    };
                    errors.push(FieldError::new(here, format!("must be {expected}")));
                }
            }
        },
        Some("integer") if !(value.is_i64() || value.is_u64()) => {
            errors.push(FieldError::new(here, "must be a whole number"));
        }
        Some("number") if !value.is_number() => {
            errors.push(FieldError::new(here, "must be a number"));
        }
        Some("boolean") if !value.is_boolean() => {
            errors.push(FieldError::new(here, "must be true or false"));
        }
        _ => {}
    }
}
