//! Which capability each method needs, in each direction.
//!
//! One table for both checks: the sender refuses locally what the peer did not declare, and
//! the receiver answers `-32601` for what it did not declare itself.

use crate::jsonrpc::RawJson;
use crate::jsonrpc::object::RawObject;
use crate::methods as m;
use crate::types::{ClientCapabilities, ServerCapabilities};
use crate::version::ProtocolVersion;

/// Checks a client→server request against the server's capabilities. `Err` names the missing
/// capability.
pub(crate) fn server_supports(
    caps: &ServerCapabilities,
    method: &str,
    version: ProtocolVersion,
) -> Result<(), &'static str> {
    let ok = match method {
        m::TOOLS_LIST | m::TOOLS_CALL => caps.tools.is_some(),
        m::RESOURCES_LIST | m::RESOURCES_TEMPLATES_LIST | m::RESOURCES_READ => {
            caps.resources.is_some()
        }
        m::RESOURCES_SUBSCRIBE | m::RESOURCES_UNSUBSCRIBE => {
            return caps
                .resources
                .as_ref()
                .and_then(|r| r.subscribe)
                .unwrap_or(false)
                .then_some(())
                .ok_or("resources.subscribe");
        }
        m::PROMPTS_LIST | m::PROMPTS_GET => caps.prompts.is_some(),
        // 2024-11-05 had completion without a capability flag.
        m::COMPLETION_COMPLETE => {
            version == ProtocolVersion::V2024_11_05 || caps.completions.is_some()
        }
        m::LOGGING_SET_LEVEL => caps.logging.is_some(),
        _ => true,
    };
    if ok { Ok(()) } else { Err(capability_name(method)) }
}

fn capability_name(method: &str) -> &'static str {
    match method {
        m::TOOLS_LIST | m::TOOLS_CALL => "tools",
        m::PROMPTS_LIST | m::PROMPTS_GET => "prompts",
        m::COMPLETION_COMPLETE => "completions",
        m::LOGGING_SET_LEVEL => "logging",
        m::SAMPLING_CREATE_MESSAGE => "sampling",
        m::ELICITATION_CREATE => "elicitation",
        m::ROOTS_LIST => "roots",
        _ => "resources",
    }
}

/// Checks a server→client request (legacy) or an MRTR input request (2026-07-28) against the
/// client's capabilities. `Err` names the missing capability.
pub(crate) fn client_supports(
    caps: &ClientCapabilities,
    method: &str,
    params: Option<&RawJson>,
) -> Result<(), &'static str> {
    let member = |name: &str| -> Option<alloc::string::String> {
        let params = params?;
        let obj = RawObject::parse(params.as_str()).ok()?;
        obj.get(name).filter(|v| v.get() != "null").map(|v| v.get().into())
    };
    match method {
        m::SAMPLING_CREATE_MESSAGE => {
            let sampling = caps.sampling.as_ref().ok_or("sampling")?;
            if member("tools").is_some() && sampling.tools.is_none() {
                return Err("sampling.tools");
            }
            Ok(())
        }
        m::ELICITATION_CREATE => {
            let elicitation = caps.elicitation.as_ref().ok_or("elicitation")?;
            if member("mode").as_deref() == Some("\"url\"") {
                elicitation.url.as_ref().map(|_| ()).ok_or("elicitation.url")
            } else if elicitation.form.is_some() || elicitation.url.is_none() {
                // `elicitation: {}` means form mode.
                Ok(())
            } else {
                Err("elicitation.form")
            }
        }
        m::ROOTS_LIST => caps.roots.as_ref().map(|_| ()).ok_or("roots"),
        _ => Ok(()),
    }
}

/// Checks a notification the server wants to send against its own capabilities.
pub(crate) fn server_may_notify(
    caps: &ServerCapabilities,
    method: &str,
) -> Result<(), &'static str> {
    let list_changed = |c: Option<Option<bool>>| c.flatten().unwrap_or(false);
    let ok = match method {
        m::TOOLS_LIST_CHANGED => list_changed(caps.tools.as_ref().map(|t| t.list_changed)),
        m::PROMPTS_LIST_CHANGED => list_changed(caps.prompts.as_ref().map(|t| t.list_changed)),
        m::RESOURCES_LIST_CHANGED => list_changed(caps.resources.as_ref().map(|t| t.list_changed)),
        m::RESOURCES_UPDATED => list_changed(caps.resources.as_ref().map(|t| t.subscribe)),
        m::MESSAGE => caps.logging.is_some(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(match method {
            m::TOOLS_LIST_CHANGED => "tools.listChanged",
            m::PROMPTS_LIST_CHANGED => "prompts.listChanged",
            m::RESOURCES_LIST_CHANGED => "resources.listChanged",
            m::RESOURCES_UPDATED => "resources.subscribe",
            _ => "logging",
        })
    }
}

/// Methods only a client sends.
pub(crate) fn is_client_request(method: &str) -> bool {
    matches!(
        method,
        m::INITIALIZE
            | m::SERVER_DISCOVER
            | m::TOOLS_LIST
            | m::TOOLS_CALL
            | m::RESOURCES_LIST
            | m::RESOURCES_TEMPLATES_LIST
            | m::RESOURCES_READ
            | m::RESOURCES_SUBSCRIBE
            | m::RESOURCES_UNSUBSCRIBE
            | m::PROMPTS_LIST
            | m::PROMPTS_GET
            | m::COMPLETION_COMPLETE
            | m::LOGGING_SET_LEVEL
            | m::SUBSCRIPTIONS_LISTEN
    )
}

/// Methods only a server sends.
pub(crate) fn is_server_request(method: &str) -> bool {
    matches!(method, m::SAMPLING_CREATE_MESSAGE | m::ELICITATION_CREATE | m::ROOTS_LIST)
}

/// Methods that exist only in the legacy era.
pub(crate) fn is_legacy_only(method: &str) -> bool {
    matches!(
        method,
        m::INITIALIZE
            | m::PING
            | m::LOGGING_SET_LEVEL
            | m::RESOURCES_SUBSCRIBE
            | m::RESOURCES_UNSUBSCRIBE
            | m::INITIALIZED
            | m::ROOTS_LIST_CHANGED
    )
}

/// Methods that exist only in the stateless era.
pub(crate) fn is_stateless_only(method: &str) -> bool {
    matches!(method, m::SERVER_DISCOVER | m::SUBSCRIPTIONS_LISTEN)
}

/// Methods whose result may be `input_required` (2026-07-28 MRTR).
pub(crate) fn allows_input_required(method: &str) -> bool {
    matches!(method, m::TOOLS_CALL | m::PROMPTS_GET | m::RESOURCES_READ)
}
