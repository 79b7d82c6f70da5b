//! Validation against the spec's `schema.json` documents.
//!
//! ```ignore
//! mod support;
//! use support::schema;
//!
//! schema::assert_valid(ProtocolVersion::V2025_11_25, "CallToolResult", &json!({"content": []}));
//! schema::assert_message_valid(ProtocolVersion::V2026_07_28, &message_json);
//! schema::assert_response_valid(ProtocolVersion::V2026_07_28, "tools/call", &response_json);
//! ```
//!
//! The documents are draft-07 with `definitions` up to 2025-06-18 and JSON Schema 2020-12
//! with `$defs` from 2025-11-25; each refers only to its own definitions, so the `jsonschema`
//! crate is used without any resolver. Each revision's document is compiled once per test
//! binary into a map of validators, one per definition, and shared between threads.

use std::collections::BTreeMap;
use std::fs;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::{Draft, ValidatorMap};
use mcp_sansio::ProtocolVersion;
use serde_json::Value;

use super::spec;

/// A revision, named by a [`ProtocolVersion`] or by its folder name (`"draft"` included).
pub trait Revision {
    /// The folder under the spec directory.
    fn dir(&self) -> &str;
}

impl Revision for ProtocolVersion {
    fn dir(&self) -> &str {
        self.as_str()
    }
}

impl Revision for &str {
    fn dir(&self) -> &str {
        self
    }
}

impl Revision for String {
    fn dir(&self) -> &str {
        self
    }
}

/// One revision's compiled schema document.
struct RevisionSchema {
    /// `#/definitions/` or `#/$defs/`.
    prefix: &'static str,
    /// The document's definitions.
    definitions: serde_json::Map<String, Value>,
    validators: ValidatorMap,
    /// Method → definition, for the requests of `ClientRequest`/`ServerRequest`.
    requests: BTreeMap<String, String>,
    /// Method → definition, for the notifications of `ClientNotification`/`ServerNotification`.
    notifications: BTreeMap<String, String>,
}

static SCHEMAS: OnceLock<Mutex<BTreeMap<String, Arc<RevisionSchema>>>> = OnceLock::new();
static VALIDATIONS: AtomicUsize = AtomicUsize::new(0);

/// How many validations have run in this test binary.
pub fn validation_count() -> usize {
    VALIDATIONS.load(Ordering::Relaxed)
}

fn schema(rev: &str) -> Arc<RevisionSchema> {
    let cache = SCHEMAS.get_or_init(Default::default);
    // Compiling under the lock makes concurrent tests wait for one compilation rather than
    // each doing their own.
    let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(s) = cache.get(rev) {
        return Arc::clone(s);
    }
    let compiled = Arc::new(compile(rev));
    cache.insert(rev.to_owned(), Arc::clone(&compiled));
    compiled
}

fn compile(rev: &str) -> RevisionSchema {
    let path = spec::root().join(rev).join("schema.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let document: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (draft, key, prefix) = match document["$schema"].as_str() {
        Some("http://json-schema.org/draft-07/schema#") => {
            (Draft::Draft7, "definitions", "#/definitions/")
        }
        Some("https://json-schema.org/draft/2020-12/schema") => {
            (Draft::Draft202012, "$defs", "#/$defs/")
        }
        other => panic!("{}: unexpected $schema {other:?}", path.display()),
    };
    let definitions =
        document[key].as_object().unwrap_or_else(|| panic!("{}: no {key}", path.display())).clone();
    let validators = jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .build_map(&document)
        .unwrap_or_else(|e| panic!("{}: does not compile: {e}", path.display()));
    let members = |unions: &[&str]| -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for union in unions {
            let Some(def) = definitions.get(*union) else { continue };
            for member in def["anyOf"].as_array().or(def["oneOf"].as_array()).into_iter().flatten()
            {
                let name = member["$ref"]
                    .as_str()
                    .and_then(|r| r.strip_prefix(prefix))
                    .unwrap_or_else(|| panic!("{rev}: odd member of {union}: {member}"));
                let method = definitions[name]["properties"]["method"]["const"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{rev}: {name} has no constant method"));
                out.insert(method.to_owned(), name.to_owned());
            }
        }
        out
    };
    let requests = members(&["ClientRequest", "ServerRequest"]);
    let notifications = members(&["ClientNotification", "ServerNotification"]);
    assert!(!requests.is_empty() && !notifications.is_empty(), "{rev}: no message unions");
    RevisionSchema { prefix, definitions, validators, requests, notifications }
}

/// The validation errors of `instance` against `definition` of revision `rev`, as text.
/// Panics if the revision has no such definition.
pub fn errors(rev: impl Revision, definition: &str, instance: &Value) -> Vec<String> {
    let rev = rev.dir();
    let s = schema(rev);
    let pointer = format!("{}{definition}", s.prefix);
    let validator = s
        .validators
        .get(&pointer)
        .unwrap_or_else(|| panic!("revision {rev} has no definition {definition}"));
    VALIDATIONS.fetch_add(1, Ordering::Relaxed);
    validator
        .iter_errors(instance)
        .map(|e| format!("at {:?}: {e}", e.instance_path().as_str()))
        .collect()
}

/// Whether revision `rev` defines `definition`.
pub fn has_definition(rev: impl Revision, definition: &str) -> bool {
    schema(rev.dir()).definitions.contains_key(definition)
}

/// The definition a request `method` instantiates in `rev` (`CallToolRequest` for
/// `tools/call`), if `rev` defines it as a JSON-RPC request.
pub fn request_definition(rev: impl Revision, method: &str) -> Option<String> {
    schema(rev.dir()).requests.get(method).cloned()
}

/// The definition a notification `method` instantiates in `rev`, if any.
pub fn notification_definition(rev: impl Revision, method: &str) -> Option<String> {
    schema(rev.dir()).notifications.get(method).cloned()
}

/// Asserts that `instance` is valid against `definition` of revision `rev`.
#[track_caller]
pub fn assert_valid(rev: impl Revision, definition: &str, instance: &Value) {
    let rev = rev.dir();
    let errors = errors(rev, definition, instance);
    assert!(
        errors.is_empty(),
        "not a valid {definition} in {rev}:\n  {}\ninstance: {}",
        errors.join("\n  "),
        serde_json::to_string_pretty(instance).unwrap_or_default()
    );
}

/// Asserts that `instance` is *not* valid against `definition` of revision `rev`.
#[track_caller]
pub fn assert_invalid(rev: impl Revision, definition: &str, instance: &Value) {
    let rev = rev.dir();
    assert!(
        !errors(rev, definition, instance).is_empty(),
        "unexpectedly a valid {definition} in {rev}: {instance}"
    );
}

/// Asserts that `message` is a valid JSON-RPC message of revision `rev`, checked as precisely
/// as the message alone allows:
///
/// - always against `JSONRPCMessage`;
/// - a request or notification also against the definition for its method (e.g.
///   `CallToolRequest`), which must exist in `rev` (a `ping` in 2026-07-28 fails);
/// - an error response with an MCP-defined code also against that error's definition
///   (`UnsupportedProtocolVersionError`, `MissingRequiredClientCapabilityError`,
///   `HeaderMismatchError`, `URLElicitationRequiredError`) where `rev` has it.
///
/// A result can only be checked knowing the request's method: see [`assert_response_valid`].
#[track_caller]
pub fn assert_message_valid(rev: impl Revision, message: &Value) {
    let rev = rev.dir();
    assert_valid(rev, "JSONRPCMessage", message);
    if let Some(method) = message.get("method").and_then(Value::as_str) {
        let definition = if message.get("id").is_some() {
            request_definition(rev, method)
        } else {
            notification_definition(rev, method)
        };
        let kind = if message.get("id").is_some() { "request" } else { "notification" };
        let definition =
            definition.unwrap_or_else(|| panic!("{rev} has no {kind} {method:?}: {message}"));
        assert_valid(rev, &definition, message);
    } else if let Some(code) = message.pointer("/error/code").and_then(Value::as_i64) {
        let definition = match code {
            -32020 => "HeaderMismatchError",
            -32021 => "MissingRequiredClientCapabilityError",
            -32022 => "UnsupportedProtocolVersionError",
            -32042 => "URLElicitationRequiredError",
            _ => return,
        };
        if has_definition(rev, definition) {
            assert_valid(rev, definition, message);
        }
    }
}

/// [`assert_message_valid`] for a message as bytes (one JSON text).
#[track_caller]
pub fn assert_message_bytes_valid(rev: impl Revision, message: &[u8]) {
    let value: Value = serde_json::from_slice(message).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(message));
    });
    assert_message_valid(rev, &value);
}

/// The definition the result of `method` instantiates in `rev`, given the result (2026
/// `input_required` results and 2025-11-25 task creation depend on its members).
pub fn result_definition(rev: impl Revision, method: &str, result: &Value) -> String {
    let rev = rev.dir();
    let request = request_definition(rev, method)
        .unwrap_or_else(|| panic!("{rev} has no request {method:?}"));
    if result.get("resultType").and_then(Value::as_str) == Some("input_required") {
        return "InputRequiredResult".to_owned();
    }
    if result.get("task").is_some_and(Value::is_object) && has_definition(rev, "CreateTaskResult") {
        return "CreateTaskResult".to_owned();
    }
    let named = format!("{}Result", request.strip_suffix("Request").unwrap_or(&request));
    if has_definition(rev, &named) { named } else { "EmptyResult".to_owned() }
}

/// Asserts that `result` is a valid result of a `method` request in revision `rev`.
#[track_caller]
pub fn assert_result_valid(rev: impl Revision, method: &str, result: &Value) {
    let rev = rev.dir();
    let definition = result_definition(rev, method, result);
    assert_valid(rev, &definition, result);
}

/// Asserts that `message` is a valid response of revision `rev` to a `method` request: the
/// message as in [`assert_message_valid`], and a `result` as in [`assert_result_valid`].
#[track_caller]
pub fn assert_response_valid(rev: impl Revision, method: &str, message: &Value) {
    let rev = rev.dir();
    assert_message_valid(rev, message);
    if let Some(result) = message.get("result") {
        assert_result_valid(rev, method, result);
    }
}
