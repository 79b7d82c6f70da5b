//! The `requestState` of 2026-07-28 multi round-trip requests: the input gathered so far,
//! sealed with HMAC-SHA256 so that a client can only echo it, never forge or edit it.
//!
//! The state binds the method, the tool/prompt/resource name and the time it was issued; a
//! state replayed on another request, edited, or older than its time-to-live is refused with
//! `-32602`.

use alloc::collections::BTreeMap;
use alloc::string::String;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::Sha256;

use crate::jsonrpc::ErrorObject;

/// The secret that seals request states. Every server instance that may receive a retry must
/// share it.
#[derive(Clone)]
pub struct StateKey(pub [u8; 32]);

impl core::fmt::Debug for StateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("StateKey(..)")
    }
}

#[derive(Serialize, Deserialize)]
struct Payload<'a> {
    /// Method.
    m: &'a str,
    /// Tool, prompt or resource the request names.
    n: &'a str,
    /// Issued at (ms on the server's clock).
    t: u64,
    /// Input responses gathered so far.
    r: BTreeMap<String, Value>,
}

fn mac(key: &StateKey) -> Hmac<Sha256> {
    // HMAC takes keys of any length; 32 bytes cannot fail.
    Hmac::<Sha256>::new_from_slice(&key.0)
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

/// Seals the responses gathered so far into a `requestState`.
pub(crate) fn seal(
    key: &StateKey,
    method: &str,
    name: &str,
    now_ms: u64,
    responses: BTreeMap<String, Value>,
) -> String {
    let payload = serde_json::to_vec(&Payload { m: method, n: name, t: now_ms, r: responses })
        .unwrap_or_default();
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
    method: &str,
    name: &str,
    now_ms: u64,
    ttl_ms: u64,
) -> Result<BTreeMap<String, Value>, ErrorObject> {
    let invalid = || ErrorObject::invalid_params("invalid or expired requestState");
    let (body, tag) = state.split_once('.').ok_or_else(invalid)?;
    let payload = URL_SAFE_NO_PAD.decode(body).map_err(|_| invalid())?;
    let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| invalid())?;
    let mut mac = mac(key);
    mac.update(&payload);
    mac.verify_slice(&tag).map_err(|_| invalid())?;
    let p: Payload<'_> = serde_json::from_slice(&payload).map_err(|_| invalid())?;
    let fresh = now_ms >= p.t && now_ms - p.t <= ttl_ms;
    if p.m != method || p.n != name || !fresh {
        return Err(invalid());
    }
    Ok(p.r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_state_opens_only_unchanged_bound_and_fresh() {
        let key = StateKey([7; 32]);
        let mut r = BTreeMap::new();
        r.insert("elicitation-0".into(), serde_json::json!({"action": "accept"}));
        let s = seal(&key, "tools/call", "t", 1000, r.clone());
        assert_eq!(open(&key, &s, "tools/call", "t", 1500, 600_000).unwrap(), r);
        assert!(open(&key, &s, "tools/call", "other", 1500, 600_000).is_err());
        assert!(open(&key, &s, "prompts/get", "t", 1500, 600_000).is_err());
        assert!(open(&key, &s, "tools/call", "t", 700_000, 600_000).is_err());
        assert!(open(&StateKey([8; 32]), &s, "tools/call", "t", 1500, 600_000).is_err());
        let mut tampered = s.clone();
        tampered.replace_range(0..1, if s.starts_with('A') { "B" } else { "A" });
        assert!(open(&key, &tampered, "tools/call", "t", 1500, 600_000).is_err());
        assert!(open(&key, "garbage", "tools/call", "t", 1500, 600_000).is_err());
    }
}
