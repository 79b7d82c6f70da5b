//! The `requestState` of 2026-07-28 multi round-trip requests: the input gathered so far,
//! sealed with HMAC-SHA256 so that a client can only echo it, never forge or edit it.
//!
//! The state binds the method, the tool/prompt/resource name, a digest of the arguments, the
//! keys of the input requests it answers, and the time it was issued; a state replayed on
//! another request, edited, or older than its time-to-live is refused with `-32602`.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use crate::jsonrpc::{ErrorObject, RawJson};

/// The secret that seals request states. Every server instance that may receive a retry must
/// share it.
#[derive(Clone)]
pub struct StateKey(pub [u8; 32]);

impl core::fmt::Debug for StateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("StateKey(..)")
    }
}

/// What a request state is bound to: the request's method, the tool, prompt or resource it
/// names, and a digest of its arguments (a retry that changes them starts over).
///
/// The digest is taken only when a state is sealed or opened: most calls do neither.
#[derive(Clone, Debug)]
pub(crate) struct Binding {
    pub method: &'static str,
    pub name: String,
    arguments: Option<RawJson>,
}

impl Binding {
    /// Binds to `arguments` as a JSON value.
    pub fn new(method: &'static str, name: &str, arguments: Option<&Value>) -> Self {
        Binding::raw(method, name, arguments.map(RawJson::to_raw))
    }

    /// Binds to `arguments` as the client sent them.
    pub fn raw(method: &'static str, name: &str, arguments: Option<RawJson>) -> Self {
        Binding { method, name: name.into(), arguments }
    }

    /// The SHA-256 of the arguments' JSON with object keys sorted (the maps of this crate's
    /// JSON values are ordered), so a client that re-serializes them still matches.
    fn digest(&self) -> String {
        use sha2::Digest;
        let canonical = self
            .arguments
            .as_ref()
            .and_then(|a| a.parse_owned::<Value>().ok())
            .map(|a| serde_json::to_vec(&a).unwrap_or_default())
            .unwrap_or_default();
        URL_SAFE_NO_PAD.encode(Sha256::digest(&canonical))
    }
}

/// A state that passed every check: the responses so far, and the keys it asked for.
pub(crate) struct Opened {
    pub responses: BTreeMap<String, Value>,
    pub asked: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct Payload<'a> {
    /// Method.
    m: &'a str,
    /// Tool, prompt or resource the request names.
    n: &'a str,
    /// Digest of the request's arguments.
    d: &'a str,
    /// Issued at (ms).
    t: u64,
    /// Input responses gathered so far.
    r: BTreeMap<String, Value>,
    /// Keys of the input requests this state asks for.
    k: Vec<String>,
}

fn mac(key: &StateKey) -> Hmac<Sha256> {
    // HMAC takes keys of any length; 32 bytes cannot fail.
    Hmac::<Sha256>::new_from_slice(&key.0)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

/// Seals the responses gathered so far and the keys still asked for into a `requestState`.
pub(crate) fn seal(
    key: &StateKey,
    binding: &Binding,
    now_ms: u64,
    responses: BTreeMap<String, Value>,
    asked: Vec<String>,
) -> String {
    let digest = binding.digest();
    let payload = Payload {
        m: binding.method,
        n: &binding.name,
        d: &digest,
        t: now_ms,
        r: responses,
        k: asked,
    };
    let payload = serde_json::to_vec(&payload).unwrap_or_default();
    let mut mac = mac(key);
    mac.update(&payload);
    let tag = mac.finalize().into_bytes();
    let mut out = URL_SAFE_NO_PAD.encode(&payload);
    out.push('.');
    out.push_str(&URL_SAFE_NO_PAD.encode(tag));
    out
}

/// Opens a `requestState` the client echoed, checking its seal, its binding and its age.
pub(crate) fn open(
    key: &StateKey,
    state: &str,
    binding: &Binding,
    now_ms: u64,
    ttl_ms: u64,
) -> Result<Opened, ErrorObject> {
    let invalid = || ErrorObject::invalid_params("invalid or expired requestState");
    let (body, tag) = state.split_once('.').ok_or_else(invalid)?;
    let payload = URL_SAFE_NO_PAD.decode(body).map_err(|_| invalid())?;
    let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| invalid())?;
    let mut mac = mac(key);
    mac.update(&payload);
    mac.verify_slice(&tag).map_err(|_| invalid())?;
    let p: Payload<'_> = serde_json::from_slice(&payload).map_err(|_| invalid())?;
    let fresh = now_ms >= p.t && now_ms - p.t <= ttl_ms;
    if p.m != binding.method || p.n != binding.name || p.d != binding.digest() || !fresh {
        return Err(invalid());
    }
    Ok(Opened { responses: p.r, asked: p.k })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_state_opens_only_unchanged_bound_and_fresh() {
        let key = StateKey([7; 32]);
        let args = serde_json::json!({"file": "a.txt"});
        let bind = |m: &'static str, n: &str, a: &Value| Binding::new(m, n, Some(a));
        let mut r = BTreeMap::new();
        r.insert("elicitation-0".into(), serde_json::json!({"action": "accept"}));
        let s = seal(
            &key,
            &bind("tools/call", "t", &args),
            1000,
            r.clone(),
            alloc::vec!["elicitation-1".into()],
        );
        let opened = open(&key, &s, &bind("tools/call", "t", &args), 1500, 600_000).unwrap();
        assert_eq!(
            (opened.responses, opened.asked),
            (r, alloc::vec![String::from("elicitation-1")])
        );
        let other = serde_json::json!({"file": "/"});
        assert!(
            open(&key, &s, &bind("tools/call", "t", &other), 1500, 600_000).is_err(),
            "arguments changed"
        );
        assert!(open(&key, &s, &bind("tools/call", "other", &args), 1500, 600_000).is_err());
        assert!(open(&key, &s, &bind("prompts/get", "t", &args), 1500, 600_000).is_err());
        assert!(
            open(&key, &s, &bind("tools/call", "t", &args), 700_000, 600_000).is_err(),
            "expired"
        );
        assert!(
            open(&StateKey([8; 32]), &s, &bind("tools/call", "t", &args), 1500, 600_000).is_err()
        );
        let mut tampered = s.clone();
        tampered.replace_range(0..1, if s.starts_with('A') { "B" } else { "A" });
        assert!(open(&key, &tampered, &bind("tools/call", "t", &args), 1500, 600_000).is_err());
        assert!(open(&key, "garbage", &bind("tools/call", "t", &args), 1500, 600_000).is_err());
    }
}
