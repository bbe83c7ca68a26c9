//! The committed `openapi.json` must match what the code produces, so that every
//! change to the API shows up in review. After an intended change, refresh it with
//! `cargo run -- openapi > openapi.json`.

#[test]
fn the_committed_openapi_document_matches_the_code() {
    let produced = minutebook::api::openapi_json();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed.trim_end() == produced.trim_end(),
        "openapi.json differs from the API the code serves; review the change and run \
         `cargo run -- openapi > openapi.json`"
    );
}

#[test]
fn every_operation_is_described_with_an_id_a_summary_and_its_responses() {
    let spec: serde_json::Value = serde_json::from_str(&minutebook::api::openapi_json()).unwrap();
    let paths = spec["paths"].as_object().expect("paths");
    assert!(!paths.is_empty());
    for (path, operations) in paths {
        for (method, op) in operations.as_object().unwrap() {
            let name = format!("{method} {path}");
            assert!(op["operationId"].is_string(), "{name} has an operationId");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{name} has a summary"
            );
            for (status, response) in op["responses"].as_object().unwrap() {
                assert!(
                    response["description"]
                        .as_str()
                        .is_some_and(|d| !d.is_empty()),
                    "{name} {status} has a description"
                );
            }
        }
    }
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            let described = property["description"]
                .as_str()
                .is_some_and(|d| !d.is_empty());
            assert!(described, "{name}.{field} has a description");
        }
    }
}
