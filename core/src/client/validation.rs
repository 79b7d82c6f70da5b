//! Checking a tool's `structuredContent` against its `outputSchema`.

use alloc::string::String;

use serde_json::Value;

use crate::types::JsonObject;

/// Validates JSON values against JSON Schemas (2020-12 unless the schema says otherwise).
pub trait SchemaValidator: Send + Sync {
    /// `Ok` if `value` conforms to `schema`, else a description of the first problems.
    fn validate(&self, schema: &JsonObject, value: &Value) -> Result<(), String>;
}

/// A [`SchemaValidator`] backed by the `jsonschema` crate. Never fetches remote `$ref`s.
#[cfg(feature = "validation")]
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonSchemaValidator;

#[cfg(feature = "validation")]
impl SchemaValidator for JsonSchemaValidator {
    fn validate(&self, schema: &JsonObject, value: &Value) -> Result<(), String> {
        use alloc::string::ToString;
        use alloc::vec::Vec;
        let schema = Value::Object(schema.clone());
        let validator = jsonschema::validator_for(&schema)
            .map_err(|e| alloc::format!("invalid outputSchema: {e}"))?;
        let errors: Vec<String> =
            validator.iter_errors(value).take(3).map(|e| e.to_string()).collect();
        if errors.is_empty() { Ok(()) } else { Err(errors.join("; ")) }
    }
}
